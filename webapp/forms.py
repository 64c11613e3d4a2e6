"""Flask-WTF forms; account rules come from webapp.validation so the API applies the same ones."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation, ValidationError

from webapp.validation import email_error, password_error, username_error


def rule(check: Callable[[str], str | None]) -> Callable[[FlaskForm, object], None]:
    """Turn a ``value -> error or None`` function into a WTForms validator."""

    def validator(_form: FlaskForm, field: object) -> None:
        problem = check(field.data or "")  # type: ignore[attr-defined]
        if problem:
            raise ValidationError(problem)

    return validator


def only_when_sent(_form: FlaskForm, field: object) -> None:
    """Skip the field's other checks when the request did not include it at all."""
    if not field.raw_data:  # type: ignore[attr-defined]
        raise StopValidation()


PLAIN_VALUES = (str, int, float, bool, type(None))


class Form(FlaskForm):
    """A FlaskForm that takes a JSON body only as an object of plain values; anything else is a 400."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: FlaskForm, formdata: object) -> object:
            # Flask-WTF reads a JSON body as the form's data and crashes on `false` or nested values.
            if request.method != "GET" and request.is_json and not request.form and not request.files:
                data = request.get_json()
                if not isinstance(data, dict) or not all(isinstance(v, PLAIN_VALUES) for v in data.values()):
                    abort(400, "A JSON form body must be an object of plain values.")
            return super().wrap_formdata(form, formdata)


class LoginForm(Form):
    username = StringField("Username or email", validators=[DataRequired("Username is required.")])
    password = PasswordField("Password", validators=[DataRequired("Password is required.")])
    remember = BooleanField("Remember me")


class RegistrationForm(Form):
    username = StringField("Username", validators=[rule(username_error)])
    email = StringField("Email", validators=[rule(email_error)])
    password = PasswordField("Password", validators=[rule(password_error)])
    # Checked only when sent: the seed's clients register without it (the page always sends it).
    confirm_password = PasswordField(
        "Confirm password",
        validators=[only_when_sent, DataRequired("Confirm your password."),
                    EqualTo("password", "Passwords must match.")],
    )


class PostForm(Form):
    title = StringField("Title", validators=[DataRequired("Title is required."), Length(max=200)])
    content = TextAreaField("Content", validators=[DataRequired("Content is required.")])
    draft = BooleanField("Save as draft (only you can see it)")


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons that change state."""


class UploadForm(Form):
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])
    description = StringField("Description", validators=[Length(max=500)])


class ImageUploadForm(Form):
    image = FileField("Image", validators=[FileRequired("Choose an image to upload.")])


class EmailForm(Form):
    email = StringField("Email", validators=[rule(email_error)])


class PasswordChangeForm(Form):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField("New password", validators=[rule(password_error)])
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Confirm your new password."),
                    EqualTo("new_password", "Passwords must match.")],
    )
