"""Outgoing email: one function, three backends chosen by ``MAIL_BACKEND``."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def outbox() -> list[EmailMessage]:
    """Messages sent by the 'outbox' backend of the current app, oldest first."""
    return current_app.extensions.setdefault("mail_outbox", [])


def send_email(*, to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; return True once the backend has accepted it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)

    backend = config["MAIL_BACKEND"]
    if backend == "outbox":
        outbox().append(message)
    elif backend == "console":
        current_app.logger.info("Email to %s: %s\n%s", to, subject, body)
    elif backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            smtp.send_message(message)
    else:
        raise ValueError(f"Unknown MAIL_BACKEND {backend!r}; use 'console', 'outbox' or 'smtp'")
    return True


def send_welcome_email(username: str, email: str, login_url: str | None = None) -> bool:
    """Greet a newly registered user, with the link to the login page when there is one."""
    where = f": {login_url}" if login_url else "."
    return send_email(
        to=email,
        subject=f"Welcome to Webapp, {username}!",
        body=f"Hello {username},\n\nYour account is ready. Log in any time{where}\n",
    )
