"""Views for registration, login and logout."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from webapp.auth import bp, limits
from webapp.extensions import db
from webapp.forms import LoginForm, RegistrationForm
from webapp.models import User
from webapp.services import email_service
from webapp.services.auth_service import authenticate
from webapp.users.queries import email_taken, username_taken
from webapp.validation import normalize_email
from webapp.web.redirects import safe_next_url


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create an account, send the welcome email, and invite the user to log in."""
    form = RegistrationForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/register.html", form=form), status

    username = form.username.data.strip()
    email = normalize_email(form.email.data)
    if username_taken(username):
        form.username.errors.append("Username already taken.")
    if email_taken(email):
        form.email.errors.append("Email already registered.")
    if form.username.errors or form.email.errors:
        return render_template("auth/register.html", form=form), 400

    user = User(username=username, email=email)
    user.set_password(form.password.data)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # registered by a concurrent request since the checks above
        db.session.rollback()
        form.username.errors.append("Username or email already registered.")
        return render_template("auth/register.html", form=form), 400
    flash("Registration successful. You can now log in.", "success")
    try:
        email_service.send_welcome_email(username, email, url_for("auth.login", _external=True))
    except OSError:  # smtplib.SMTPException and refused or timed-out connections are all OSErrors
        # The account is already committed: a mail outage must not turn it into an error page.
        current_app.logger.exception("Could not send the welcome email to %s", email)
        flash("Your account is ready, but the welcome email could not be sent.", "warning")
    return render_template("auth/login.html", form=LoginForm(formdata=None, username=username))


@bp.route("/login", methods=["GET", "POST"])
@limits.per_address
@limits.per_account
def login() -> ResponseReturnValue:
    """Log a user in by username or email and password."""
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("main.dashboard"))
        return render_template("auth/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400

    user = authenticate(form.username.data.strip(), form.password.data)
    if user is None:
        flash("Invalid username or password.", "danger")
        return render_template("auth/login.html", form=form), 401

    login_user(user, remember=form.remember.data)
    return redirect(safe_next_url(request.args.get("next"), url_for("main.dashboard")))


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout() -> ResponseReturnValue:
    """End the session, and every remember-me cookie and token, and go back to the home page."""
    current_user.revoke_sessions()
    db.session.commit()
    logout_user()
    flash("You have been logged out.", "info")
    return redirect(url_for("main.index"))
