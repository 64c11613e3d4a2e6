"""The mail wing's fixture: ``mail_outbox``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from flask_harness.mail.capture import captured
from flask_harness.mail.outbox import MailOutbox

if TYPE_CHECKING:
    from flask import Flask


@pytest.fixture
def mail_outbox(request: pytest.FixtureRequest, flask_harness_app: Flask) -> Iterator[MailOutbox]:
    """Every message the app sends during the test, from the test client, the live server or a
    thread they start, as ``SentMail`` (subject, sender, to, cc, bcc, text, html, ``links()``).

    Flask-Mail and Flask-Mailman are captured; another backend is routed by the project's
    ``pytest_flask_harness_mail`` hook. Nothing is sent: an SMTP connection fails the test.
    """
    outbox = MailOutbox()
    with captured(flask_harness_app, outbox, request.config.hook.pytest_flask_harness_mail):
        yield outbox
