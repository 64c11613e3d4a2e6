"""Outgoing mail in webapp.services.email_service: the outbox, console and smtp backends."""

from __future__ import annotations

import logging
import re
from unittest.mock import patch

import flask
import pytest

from webapp.services.email_service import outbox, send_email, send_welcome_email

pytestmark = pytest.mark.unit


def test_outbox_backend_keeps_complete_message(app_context: flask.Flask) -> None:
    send_email(to="bob@example.com", subject="Hi", body="Hello Bob")

    [message] = outbox()
    assert (message["From"], message["To"], message["Subject"], message.get_content()) == (
        "noreply@webapp.test", "bob@example.com", "Hi", "Hello Bob\n",
    )


def test_console_backend_logs_recipient_subject_and_body(
    app_context: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app_context.config["MAIL_BACKEND"] = "console"
    caplog.set_level(logging.INFO, logger=app_context.logger.name)

    send_email(to="bob@example.com", subject="Hi", body="Hello Bob")

    assert [record.getMessage() for record in caplog.records] == ["Email to bob@example.com: Hi\nHello Bob"]


def test_smtp_backend_connects_to_configured_server(app_context: flask.Flask) -> None:
    app_context.config["MAIL_BACKEND"] = "smtp"

    with patch("webapp.services.email_service.smtplib.SMTP") as smtp_class:
        send_email(to="bob@example.com", subject="Hi", body="Hello Bob")

    smtp_class.assert_called_once_with("mail.webapp.test", 2525, timeout=10)


def test_smtp_backend_sends_message_with_recipient_and_subject(app_context: flask.Flask) -> None:
    app_context.config["MAIL_BACKEND"] = "smtp"

    with patch("webapp.services.email_service.smtplib.SMTP") as smtp_class:
        accepted = send_email(to="bob@example.com", subject="Hi", body="Hello Bob")

    connection = smtp_class.return_value.__enter__.return_value
    [message] = connection.send_message.call_args.args
    assert (accepted, message["To"], message["Subject"]) == (True, "bob@example.com", "Hi")


def test_unknown_backend_raises_value_error(app_context: flask.Flask) -> None:
    app_context.config["MAIL_BACKEND"] = "pigeon"

    expected = "Unknown MAIL_BACKEND 'pigeon'; use 'console', 'outbox' or 'smtp'"

    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        send_email(to="bob@example.com", subject="Hi", body="Hello Bob")


def test_welcome_email_greets_user_by_name(app_context: flask.Flask) -> None:
    send_welcome_email("alice", "alice@example.com")

    [message] = outbox()
    assert (message["To"], message["Subject"]) == ("alice@example.com", "Welcome to Webapp, alice!")


def test_welcome_email_links_to_the_login_page_when_given_its_url(app_context: flask.Flask) -> None:
    send_welcome_email("alice", "alice@example.com", "https://webapp.example/login")

    [message] = outbox()
    assert "Log in any time: https://webapp.example/login\n" in message.get_content()
