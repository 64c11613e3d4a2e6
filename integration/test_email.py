"""The welcome email sent on registration, with the mail backend replaced by mocks."""

from __future__ import annotations

import logging
import smtplib
from unittest.mock import MagicMock, patch

import pytest
from flask.testing import FlaskClient

from webapp.models import User

pytestmark = pytest.mark.integration

SEND_EMAIL = "webapp.services.email_service.send_email"
NEW_ACCOUNT = {
    "username": "newuser",
    "email": "new@example.com",
    "password": "StrongPass123!",
    "confirm_password": "StrongPass123!",
}


def test_register_sends_welcome_email_with_unittest_patch(client: FlaskClient) -> None:
    with patch(SEND_EMAIL) as mock_send:
        mock_send.return_value = True

        response = client.post("/register", data=NEW_ACCOUNT)

    assert response.status_code == 200
    mock_send.assert_called_once()
    assert mock_send.call_args.kwargs["to"] == "new@example.com"
    assert "Welcome" in mock_send.call_args.kwargs["subject"]


def test_register_sends_welcome_email_with_mocker(client: FlaskClient, mocker) -> None:
    mock_send = mocker.patch(SEND_EMAIL)
    mock_send.return_value = True

    client.post("/register", data=NEW_ACCOUNT)

    mock_send.assert_called_once()
    assert mock_send.call_args.kwargs["to"] == "new@example.com"
    assert "Welcome" in mock_send.call_args.kwargs["subject"]


def test_rejected_registration_sends_no_email(client: FlaskClient, sample_user: User, mocker) -> None:
    mock_send = mocker.patch(SEND_EMAIL, return_value=True)

    response = client.post("/register", data={**NEW_ACCOUNT, "email": sample_user.email})

    assert response.status_code == 400
    mock_send.assert_not_called()


class TestMailBackendFailure:
    """When the mail server refuses or cannot be reached, the new account must survive."""

    @pytest.fixture(
        params=[smtplib.SMTPException("550 mailbox unavailable"), ConnectionRefusedError(111, "refused")],
        ids=["smtp-error", "server-down"],
    )
    def failing_mail(self, request: pytest.FixtureRequest, mocker) -> MagicMock:
        """send_email raising the way smtplib does when the server refuses or cannot be reached."""
        return mocker.patch(SEND_EMAIL, side_effect=request.param)

    def test_registration_keeps_account_and_says_email_was_not_sent(
        self, client: FlaskClient, failing_mail: MagicMock
    ) -> None:
        response = client.post("/register", data=NEW_ACCOUNT)

        assert response.status_code == 200
        user = User.query.filter_by(username="newuser").one_or_none()
        assert user is not None
        assert user.check_password("StrongPass123!")
        assert "welcome email could not be sent" in response.get_data(as_text=True)

    def test_registration_logs_the_failure_as_error(
        self, client: FlaskClient, failing_mail: MagicMock, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.ERROR):
            client.post("/register", data=NEW_ACCOUNT)

        errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
        assert errors == ["Could not send the welcome email to new@example.com"]
