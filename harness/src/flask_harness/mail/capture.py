"""Routing an app's mail into a test's outbox for the length of the test: nothing leaves the machine.

- Flask-Mail: its ``email_dispatched`` signal (sent for each message, from any thread; 0.9 and
  0.10 send it differently) fills the outbox, and the extension's ``suppress`` is on, so it opens
  no SMTP connection.
- Flask-Mailman: the extension's backend is a class that fills the outbox (as its ``locmem`` does).
- Any other backend: the project's ``pytest_flask_harness_mail(app, outbox)`` hook routes it.
- Whatever still opens an SMTP connection (``smtplib``, in any thread) fails loudly instead.
"""

from __future__ import annotations

import importlib.util
import smtplib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask import Flask

    from flask_harness.mail.outbox import MailOutbox


class RealMailRefused(RuntimeError):
    """The app opened an SMTP connection during a test that captures its mail."""


@contextmanager
def captured(app: Flask, outbox: MailOutbox, own_backends: Callable[..., list[Any]]) -> Iterator[None]:
    """Send the app's mail to ``outbox`` instead of the world; ``own_backends`` is the project's hook."""
    with ExitStack() as undo:
        undo.enter_context(_no_real_smtp())
        if "mail" in app.extensions and importlib.util.find_spec("flask_mail"):
            undo.enter_context(_flask_mail(app, outbox))
        if "mailman" in app.extensions:
            undo.enter_context(_flask_mailman(app, outbox))
        for undo_own in own_backends(app=app, outbox=outbox):
            if callable(undo_own):
                undo.callback(undo_own)
        yield


@contextmanager
def _flask_mail(app: Flask, outbox: MailOutbox) -> Iterator[None]:
    from flask_mail import email_dispatched

    state = app.extensions["mail"]

    def record(sender: Any, **sent: Any) -> None:
        # Flask-Mail 0.10 sends (app, message=…); 0.9 sent (message, app=…).
        message, sent_by = (sent["message"], sender) if "message" in sent else (sender, sent.get("app"))
        if sent_by is app:
            outbox.record(message)

    with pytest.MonkeyPatch.context() as patch, email_dispatched.connected_to(record):
        patch.setattr(state, "suppress", True)
        yield


@contextmanager
def _flask_mailman(app: Flask, outbox: MailOutbox) -> Iterator[None]:
    from flask_mailman.backends.base import BaseEmailBackend

    class OutboxBackend(BaseEmailBackend):  # type: ignore[misc]
        """Flask-Mailman's backend for the test: each message into the outbox."""

        def send_messages(self, messages: list[Any]) -> int:
            for message in messages:
                message.message()  # validates the headers, as the locmem backend does
                outbox.record(message)
            return len(messages)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app.extensions["mailman"], "backend", OutboxBackend)
        yield


@contextmanager
def _no_real_smtp() -> Iterator[None]:
    def refuse(self: smtplib.SMTP, host: str = "localhost", port: int = 0, *_: Any, **__: Any) -> Any:
        raise RealMailRefused(
            f"The app opened an SMTP connection to {host}:{port or smtplib.SMTP_PORT} during a test that uses "
            "mail_outbox: nothing is sent for real. Flask-Mail and Flask-Mailman are captured by themselves; "
            "route your own mail backend with the pytest_flask_harness_mail(app, outbox) hook.")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(smtplib.SMTP, "connect", refuse)
        yield
