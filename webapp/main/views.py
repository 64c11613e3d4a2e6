"""Views for the site's pages."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from webapp.extensions import db
from webapp.forms import EmailForm, PasswordChangeForm
from webapp.main import bp
from webapp.models import Post, Upload
from webapp.users.queries import email_taken, user_by_username
from webapp.validation import normalize_email


@bp.route("/")
def index() -> ResponseReturnValue:
    """Home page with the latest published posts."""
    latest = db.session.scalars(
        select(Post).filter_by(is_published=True).order_by(Post.created_at.desc(), Post.id.desc())
        .limit(5)
    ).all()
    return render_template("main/index.html", latest=latest)


@bp.route("/about")
def about() -> ResponseReturnValue:
    """What this site is."""
    return render_template("main/about.html")


@bp.route("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    """The logged-in user's posts and uploads."""
    user = current_user._get_current_object()
    uploads = db.session.scalars(
        select(Upload).filter_by(owner_id=user.id).order_by(Upload.created_at.desc(), Upload.id.desc())
    ).all()
    return render_template("dashboard.html", user=user, posts=user.posts, uploads=uploads)


@bp.route("/profile")
@login_required
def profile() -> ResponseReturnValue:
    """The logged-in user's account details."""
    return render_template("main/profile.html", user=current_user)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    """Change the account's email address or password."""
    email_form = EmailForm(prefix="email", email=current_user.email)
    password_form = PasswordChangeForm(prefix="password")
    status = 200
    if request.method == "POST":
        action = request.form.get("action")
        if action == "email":
            status = _change_email(email_form)
        elif action == "password":
            status = _change_password(password_form)
        else:
            abort(400, "Unknown settings action.")
        if status == 302:
            return redirect(url_for("main.settings"))
    return render_template(
        "main/settings.html", email_form=email_form, password_form=password_form
    ), status


def _change_email(form: EmailForm) -> int:
    if not form.validate_on_submit():
        return 400
    email = normalize_email(form.email.data)
    if email_taken(email, except_id=current_user.id):
        form.email.errors.append("Email already registered.")
        return 400
    current_user.email = email
    db.session.commit()
    flash("Email updated.", "success")
    return 302


def _change_password(form: PasswordChangeForm) -> int:
    if not form.validate_on_submit():
        return 400
    if not current_user.check_password(form.current_password.data):
        form.current_password.errors.append("Current password is incorrect.")
        return 400
    current_user.set_password(form.new_password.data)  # revokes every session, remember cookie and token
    db.session.commit()
    # This browser stays logged in, under the new session version.
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(current_user._get_current_object(), remember=remembered)
    flash("Password changed.", "success")
    return 302


@bp.route("/users/<username>")
def user_page(username: str) -> ResponseReturnValue:
    """A user's public page with their published posts."""
    user = user_by_username(username)
    if user is None:
        abort(404)
    posts = [post for post in user.posts if post.is_published]
    return render_template("main/user.html", user=user, posts=posts)
