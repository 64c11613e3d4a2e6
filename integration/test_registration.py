"""Registration through the HTML form: the seed's tests, one expected behaviour per assertion."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from werkzeug.test import TestResponse

from webapp.models import User
from webapp.services import email_service

pytestmark = pytest.mark.integration

VALID_FORM = {
    "username": "alice",
    "email": "alice@example.com",
    "password": "SecurePass123!",
    "confirm_password": "SecurePass123!",
}


def register(client: FlaskClient, **changes: str) -> TestResponse:
    """POST the registration form: valid data with ``changes`` applied."""
    return client.post("/register", data={**VALID_FORM, **changes})


def field_error(message: str) -> str:
    """How the form renders one error message under its field."""
    return f"<li>{escape(message)}</li>"


@pytest.fixture
def outbox(app) -> Iterator[list[EmailMessage]]:
    """The app's mail outbox, emptied before and after the test (the app outlives the test)."""
    with app.app_context():
        messages = email_service.outbox()
    messages.clear()
    yield messages
    messages.clear()


# --- success ---------------------------------------------------------------------------------


def test_register_with_valid_data_answers_200_with_success_message(client, db):
    response = client.post("/register", data=VALID_FORM, follow_redirects=True)

    assert response.status_code == 200
    assert "Registration successful" in response.get_data(as_text=True)


def test_register_with_valid_data_stores_user_with_hashed_password(client, db):
    register(client)

    user = User.query.filter_by(username="alice").one()
    assert user.email == "alice@example.com"
    assert user.check_password("SecurePass123!") is True
    assert user.password_hash != "SecurePass123!"


# --- duplicates ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["testuser", "TestUser"])
def test_register_duplicate_username_returns_400_with_message(client, sample_user, username):
    response = register(client, username=username, email="different@example.com")

    assert response.status_code == 400
    assert field_error("Username already taken.") in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["test@example.com", "TEST@example.com"])
def test_register_duplicate_email_returns_400_and_creates_no_account(client, sample_user, email):
    response = register(client, username="different_user", email=email)

    assert response.status_code == 400
    assert field_error("Email already registered.") in response.get_data(as_text=True)
    assert User.query.filter_by(username="different_user").count() == 0


def test_register_without_confirm_password_creates_the_user(client, db):
    """The seed's "edge cases" example registers with no confirmation field: it is checked only when sent."""
    response = client.post("/register", data={"username": "alice", "email": "alice@example.com",
                                              "password": "Pass123!"})

    assert response.status_code == 200
    assert User.query.filter_by(username="alice").count() == 1


def test_register_with_empty_confirm_password_returns_400_with_message(client, db):
    response = register(client, confirm_password="")

    assert response.status_code == 400
    assert field_error("Confirm your password.") in response.get_data(as_text=True)


# --- password rules --------------------------------------------------------------------------


def test_register_password_mismatch_returns_400_with_message(client, db):
    response = register(client, confirm_password="DifferentPass456!")

    assert response.status_code == 400
    assert field_error("Passwords must match.") in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("123", "Password must be at least 8 characters."),
        ("alllowercase1", "Password must contain an uppercase letter."),
        ("ALLUPPERCASE1", "Password must contain a lowercase letter."),
        ("NoDigitsHere", "Password must contain a digit."),
        ("abcdefgh", "Password must contain an uppercase letter, a digit."),
        ("Aa1" * 43, "Password must be at most 128 characters."),
    ],
    ids=["too-short", "no-uppercase", "no-lowercase", "no-digit", "two-missing", "too-long"],
)
def test_register_weak_password_returns_400_with_policy_message(client, db, password, message):
    response = register(client, password=password, confirm_password=password)

    assert response.status_code == 400
    assert field_error(message) in response.get_data(as_text=True)
    assert User.query.filter_by(username="alice").count() == 0


# --- missing and invalid fields ----------------------------------------------------------------


@pytest.mark.parametrize("message", ["Email is required.", "Password is required."])
def test_register_with_missing_fields_returns_400_with_message(client, db, message):
    response = client.post("/register", data={"username": "newuser"})

    assert response.status_code == 400
    assert field_error(message) in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "", "Username is required."),
        ("email", "", "Email is required."),
        ("password", "", "Password is required."),
        ("email", "not-an-email", "Enter a valid email address."),
    ],
    ids=["empty-username", "empty-email", "empty-password", "invalid-email"],
)
def test_register_invalid_input_returns_400_with_message(client, db, field, value, message):
    response = register(client, **{field: value})

    assert response.status_code == 400
    assert field_error(message) in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Username is required."),
        ("a", "Username must be at least 3 characters."),
        ("a" * 256, "Username must be at most 32 characters."),
        ("user name", "Username may contain only letters, digits, '.', '_' and '-'."),
        ("user@name", "Username may contain only letters, digits, '.', '_' and '-'."),
        ("admin", "That username is reserved."),
        ("<script>alert(1)</script>", "Username may contain only letters, digits, '.', '_' and '-'."),
    ],
    ids=["empty", "too-short", "too-long", "space", "at-sign", "reserved", "xss"],
)
def test_register_invalid_username_returns_400_and_creates_no_user(client, db, username, message):
    response = register(client, username=username, email="test@example.com")

    assert response.status_code == 400
    assert field_error(message) in response.get_data(as_text=True)
    assert User.query.filter_by(email="test@example.com").count() == 0


def test_register_xss_username_is_echoed_escaped_never_raw(client, db):
    response = register(client, username="<script>alert(1)</script>")

    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


# --- welcome email -----------------------------------------------------------------------------


def test_register_sends_welcome_email_once_to_the_new_address(client, db, mocker):
    mock_send = mocker.patch("webapp.services.email_service.send_email")
    mock_send.return_value = True

    register(client, username="newuser", email="new@example.com")

    mock_send.assert_called_once()
    assert mock_send.call_args.kwargs["to"] == "new@example.com"
    assert "Welcome" in mock_send.call_args.kwargs["subject"]


def test_register_puts_one_welcome_message_for_the_user_in_the_outbox(client, db, outbox):
    register(client, username="newuser", email="new@example.com")

    assert [(message["To"], message["Subject"]) for message in outbox] == [
        ("new@example.com", "Welcome to Webapp, newuser!")
    ]


def test_failed_registration_sends_no_email(client, sample_user, outbox):
    register(client, username="testuser", email="other@example.com")

    assert outbox == []
