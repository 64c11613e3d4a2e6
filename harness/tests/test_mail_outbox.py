"""``mail_outbox`` (issue 16, item 4): the mail an app sends in a test, and nothing sent for real.

One app, three ways of sending (Flask-Mail, Flask-Mailman, a backend of its own routed by the
``pytest_flask_harness_mail`` hook), each configured to send over SMTP to a real listener the
project starts on a local port. A test without ``mail_outbox`` proves the listener is reached; with
it, the listener must see no connection while the outbox holds every message: from the test
client, from a live-server request, and from a thread a request started.
"""

from __future__ import annotations

import pytest

from example_apps import QUIET, write_ini

MAIL_APP = '''
import os
import smtplib
import threading
from email.message import EmailMessage

from flask import Flask, current_app, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def send_own(to, subject, text):
    """The app's own backend: an "outbox" list in tests, SMTP otherwise."""
    message = EmailMessage()
    message["From"] = "shop@example.com"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if current_app.config["OWN_MAIL"] == "outbox":
        current_app.extensions.setdefault("own_outbox", []).append(message)
    else:
        with smtplib.SMTP(current_app.config["MAIL_SERVER"], current_app.config["MAIL_PORT"], timeout=5) as smtp:
            smtp.send_message(message)


def create_app():
    kind, smtp_port = os.environ["MAIL_KIND"], int(os.environ["SMTP_PORT"])
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port,
                      MAIL_SUPPRESS_SEND=False, MAIL_BACKEND="smtp", MAIL_DEFAULT_SENDER="shop@example.com",
                      OWN_MAIL="smtp")
    db.init_app(app)
    if kind == "flask_mail":
        from flask_mail import Mail, Message

        mail = Mail(app)

        def send(to, subject, text, html):
            mail.send(Message(subject, recipients=[to], cc=["boss@example.com"], body=text, html=html))
    elif kind == "flask_mailman":
        from flask_mailman import EmailMultiAlternatives, Mail

        Mail(app)

        def send(to, subject, text, html):
            message = EmailMultiAlternatives(subject, text, to=[to], bcc=["audit@example.com"])
            message.attach_alternative(html, "text/html")
            message.send()
    else:
        def send(to, subject, text, html):
            send_own(to, subject, text)

    def invite(to):
        link = f"{request.host_url}join?token=abc123"
        send(to, "You are invited", f"Join us: {link}.", f'<p><a href="{link}">Join</a></p>')

    @app.post("/invite")
    def invite_now():
        invite(request.form["to"])
        return "sent", 201

    @app.post("/invite-later")
    def invite_later():
        to, link_app = request.form["to"], current_app._get_current_object()

        def later():
            with link_app.test_request_context(base_url="http://localhost/"):
                invite(to)

        threading.Thread(target=later).start()
        return "queued", 202

    return app
'''

CONFTEST = '''
import os
import socket
import threading

import pytest

SEEN = []  # every connection the SMTP listener accepted
LISTENER = socket.socket()
LISTENER.bind(("127.0.0.1", 0))
LISTENER.listen()


def accept():
    while True:
        connection, _ = LISTENER.accept()
        SEEN.append(connection.getpeername())
        connection.close()


threading.Thread(target=accept, daemon=True).start()
os.environ.update(MAIL_KIND={kind!r}, SMTP_PORT=str(LISTENER.getsockname()[1]))


@pytest.fixture
def smtp_connections():
    return SEEN


def pytest_flask_harness_mail(app, outbox):
    if {kind!r} != "own":
        return None
    app.config["OWN_MAIL"] = "outbox"
    app.extensions["own_outbox"] = outbox  # the app's test backend appends to it
    return lambda: app.config.update(OWN_MAIL="smtp")
'''

TESTS = '''
import urllib.parse
import urllib.request

import pytest


def test_1_without_the_outbox_the_app_reaches_the_smtp_listener(client, smtp_connections):
    before = len(smtp_connections)
    with pytest.raises(Exception):  # the listener hangs up: the send fails, but it was tried
        client.post("/invite", data={{"to": "ann@example.com"}})
    assert len(smtp_connections) == before + 1


def test_2_a_test_client_request_mail_is_in_the_outbox(client, mail_outbox, smtp_connections):
    before = len(smtp_connections)
    assert client.post("/invite", data={{"to": "ann@example.com"}}).status_code == 201
    [mail] = mail_outbox
    assert (mail.subject, mail.to, mail.sender) == ("You are invited", ["ann@example.com"], "shop@example.com")
    assert mail.recipients == {recipients!r}
    assert "Join us: http://localhost/join?token=abc123." in mail.text
    assert mail.html == {html!r}
    assert mail.links() == ["http://localhost/join?token=abc123"]
    assert len(smtp_connections) == before


def test_3_the_next_test_starts_with_an_empty_outbox(mail_outbox):
    assert list(mail_outbox) == []


def test_4_a_live_server_request_mail_is_in_the_outbox(live, mail_outbox, smtp_connections):
    before = len(smtp_connections)
    body = urllib.parse.urlencode({{"to": "bob@example.com"}}).encode()
    with urllib.request.urlopen(live.url + "/invite", data=body) as response:
        assert response.status == 201
    assert [mail.to for mail in mail_outbox] == [["bob@example.com"]]
    assert mail_outbox.links() == [live.url + "/join?token=abc123"]
    assert len(smtp_connections) == before


def test_5_a_thread_a_request_started_is_waited_for(client, mail_outbox, smtp_connections):
    before = len(smtp_connections)
    assert client.post("/invite-later", data={{"to": "cy@example.com"}}).status_code == 202
    [mail] = mail_outbox.wait_for(1, timeout=10)
    assert mail.to == ["cy@example.com"]
    assert len(smtp_connections) == before


def test_6_waiting_for_mail_that_never_comes_fails_saying_so(mail_outbox):
    with pytest.raises(AssertionError, match=r"expected 1 sent message\\(s\\) within 0.2s, got 0"):
        mail_outbox.wait_for(1, timeout=0.2)
'''

KINDS = {
    # kind: (recipients, html body) as the test sees them
    "flask_mail": (["ann@example.com", "boss@example.com"],
                   '<p><a href="http://localhost/join?token=abc123">Join</a></p>'),
    "flask_mailman": (["ann@example.com", "audit@example.com"],
                      '<p><a href="http://localhost/join?token=abc123">Join</a></p>'),
    "own": (["ann@example.com"], ""),
}


def make_mail_project(pytester: pytest.Pytester, kind: str) -> None:
    recipients, html = KINDS[kind]
    pytester.makepyfile(mailapp=MAIL_APP)
    pytester.makeconftest(CONFTEST.format(kind=kind))
    pytester.makepyfile(test_mail=TESTS.format(recipients=recipients, html=html))
    write_ini(pytester, flask_app="mailapp:create_app")


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "n2"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_mail_outbox_captures_every_message_and_nothing_reaches_smtp(
    pytester: pytest.Pytester, kind: str, workers: tuple[str, ...],
) -> None:
    make_mail_project(pytester, kind)

    result = pytester.runpytest_subprocess(*QUIET, *workers)

    result.assert_outcomes(passed=6)


SMTP_FROM_ANOTHER_LIBRARY = '''
import smtplib

import pytest

from flask_harness.mail.capture import RealMailRefused


def test_an_smtp_connection_fails_loudly_under_mail_outbox(mail_outbox, smtp_connections):
    with pytest.raises(RealMailRefused, match="opened an SMTP connection to 127.0.0.1:.*pytest_flask_harness_mail"):
        smtplib.SMTP("127.0.0.1", 2525, timeout=1)
    assert smtp_connections == []
'''


def test_smtp_opened_by_anything_else_fails_the_test_loudly(pytester: pytest.Pytester) -> None:
    make_mail_project(pytester, "own")
    pytester.makepyfile(test_other=SMTP_FROM_ANOTHER_LIBRARY)

    result = pytester.runpytest_subprocess(*QUIET, "test_other.py")

    result.assert_outcomes(passed=1)


OLD_FLASK_MAIL_SIGNAL = '''
from flask_mail import Message, email_dispatched


def test_flask_mail_0_9_signal_shape_is_recorded(app, mail_outbox):
    # Flask-Mail 0.9 (microblog pins it) sends the message as the signal's sender and the app as
    # a keyword; 0.10 sends the app as the sender and the message as a keyword.
    with app.app_context():
        email_dispatched.send(Message("Old style", recipients=["old@example.com"], body="hi"), app=app)
        email_dispatched.send(app, message=Message("New style", recipients=["new@example.com"], body="hi"))
    assert mail_outbox.subjects() == ["Old style", "New style"]
'''


def test_both_shapes_of_flask_mails_signal_are_recorded(pytester: pytest.Pytester) -> None:
    make_mail_project(pytester, "flask_mail")
    pytester.makepyfile(test_old=OLD_FLASK_MAIL_SIGNAL)

    result = pytester.runpytest_subprocess(*QUIET, "test_old.py")

    result.assert_outcomes(passed=1)
