"""Command-line tools: ``flask --app webapp init-db | load-demo | create-user``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from webapp.extensions import db
from webapp.models import Post, User
from webapp.users.queries import email_taken, username_taken
from webapp.validation import email_error, normalize_email, password_error, username_error

DEMO_PASSWORD = "DemoPass123!"
DEMO_USERS = (
    ("alice", "alice@example.com", True),
    ("bob", "bob@example.com", False),
    ("carol", "carol@example.com", False),
)


def load_demo_data() -> int:
    """Add demo users and posts unless they exist; return how many users were added."""
    added = 0
    for username, email, is_admin in DEMO_USERS:
        if username_taken(username):
            continue
        user = User(username=username, email=email, is_admin=is_admin)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        for n in range(1, 4):
            user.posts.append(
                Post(
                    title=f"{username.title()}'s post #{n}",
                    content=f"This is demo post {n} by {username}.\n\nEdit or delete it freely.",
                    is_published=n != 3,
                )
            )
        added += 1
    db.session.commit()
    return added


@click.command("init-db")
@click.option("--demo", is_flag=True, help="Also load demo users and posts.")
@with_appcontext
def init_db_command(demo: bool) -> None:
    """Create or upgrade the database schema by applying the migrations."""
    upgrade()
    click.echo("Database is up to date.")
    if demo:
        _echo_demo(load_demo_data())


@click.command("load-demo")
@with_appcontext
def load_demo_command() -> None:
    """Load demo users (password DemoPass123!) and their posts."""
    _echo_demo(load_demo_data())


def _echo_demo(added: int) -> None:
    names = ", ".join(name for name, _, _ in DEMO_USERS)
    click.echo(f"Demo data: {added} user(s) added. Log in as one of {names} "
               f"with password {DEMO_PASSWORD}")


@click.command("create-user")
@click.argument("username")
@click.argument("email")
@click.password_option()
@click.option("--admin", is_flag=True, help="Give the user administrator rights.")
@with_appcontext
def create_user_command(username: str, email: str, password: str, admin: bool) -> None:
    """Create a user account."""
    email = normalize_email(email)
    for problem in (username_error(username), email_error(email), password_error(password)):
        if problem:
            raise click.UsageError(problem)
    if username_taken(username):
        raise click.UsageError(f"Username {username!r} is already taken.")
    if email_taken(email):
        raise click.UsageError(f"Email {email!r} is already registered.")
    user = User(username=username, email=email, is_admin=admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {'admin ' if admin else ''}user {username}.")


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    for command in (init_db_command, load_demo_command, create_user_command):
        app.cli.add_command(command)
