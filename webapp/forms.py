"""Flask-WTF forms; account rules come from webapp.validation so the API applies the same ones."""

from __future__ import annotations

from collections.abc import Callable

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


class LoginForm(FlaskForm):
    username = StringField("Username or email", validators=[DataRequired("Username is required.")])
    password = PasswordField("Password", validators=[DataRequired("Password is required.")])
    remember = BooleanField("Remember me")


class RegistrationForm(FlaskForm):
    username = StringField("Username", validators=[rule(username_error)])
    email = StringField("Email", validators=[rule(email_error)])
    password = PasswordField("Password", validators=[rule(password_error)])
    # Checked only when sent: the seed's clients register without it (the page always sends it).
    confirm_password = PasswordField(
        "Confirm password",
        validators=[only_when_sent, DataRequired("Confirm your password."),
                    EqualTo("password", "Passwords must match.")],
    )


class PostForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Title is required."), Length(max=200)])
    content = TextAreaField("Content", validators=[DataRequired("Content is required.")])
    draft = BooleanField("Save as draft (only you can see it)")


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class UploadForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to upload.")])
    description = StringField("Description", validators=[Length(max=500)])


class ImageUploadForm(FlaskForm):
    image = FileField("Image", validators=[FileRequired("Choose an image to upload.")])


class EmailForm(FlaskForm):
    email = StringField("Email", validators=[rule(email_error)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField("New password", validators=[rule(password_error)])
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Confirm your new password."),
                    EqualTo("new_password", "Passwords must match.")],
    )
