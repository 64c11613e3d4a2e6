"""The rest of the API: creating and counting users, weather, greetings, site data and rate limits."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import MagicMock

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from factories import PostFactory, UploadFactory, UserFactory
from webapp.models import User

pytestmark = pytest.mark.integration

WEATHER_GET = "webapp.services.weather_service.requests.get"


def upstream_answer(status_code: int, payload: dict | None = None) -> MagicMock:
    """A stand-in for the weather service's HTTP response."""
    response = MagicMock()
    response.status_code = status_code
    response.json.return_value = payload or {}
    return response


class TestCreateUser:
    """POST /api/users: the seed's "Ignoring Test Output" and validation-format examples."""

    def test_create_user_returns_full_record_without_password(
        self, client: FlaskClient, auth_headers: dict
    ) -> None:
        response = client.post(
            "/api/users",
            json={"username": "alice", "email": "alice@example.com", "password": "SecurePass123!"},
            headers=auth_headers,
        )

        assert response.status_code == 201
        data = response.get_json()
        assert data["username"] == "alice"
        assert data["email"] == "alice@example.com"
        assert "id" in data
        assert "created_at" in data
        assert "password" not in data
        assert "password_hash" not in data

    def test_create_user_stores_an_account_that_can_log_in(
        self, client: FlaskClient, auth_headers: dict
    ) -> None:
        client.post(
            "/api/users",
            json={"username": "alice", "email": "alice@example.com", "password": "SecurePass123!"},
            headers=auth_headers,
        )

        assert User.query.filter_by(username="alice").one().check_password("SecurePass123!")

    def test_invalid_user_returns_400_with_errors_per_field(
        self, client: FlaskClient, auth_headers: dict
    ) -> None:
        response = client.post("/api/users", json={"email": "not-a-valid-email"}, headers=auth_headers)

        assert response.status_code == 400
        errors = response.get_json()["errors"]
        assert isinstance(errors, dict)
        assert "email" in errors
        assert "username" in errors

    def test_duplicate_username_returns_400_on_username(
        self, client: FlaskClient, auth_headers: dict, sample_user: User
    ) -> None:
        response = client.post(
            "/api/users", json={"username": "testuser", "email": "other@example.com"}, headers=auth_headers
        )

        assert response.status_code == 400
        assert response.get_json()["errors"]["username"] == "Username already taken."

    @pytest.mark.parametrize("weak_password", ["Short1", "NoDigitsHere"], ids=["too-short", "no-digit"])
    def test_weak_password_returns_error_on_password(
        self, client: FlaskClient, auth_headers: dict, weak_password: str
    ) -> None:
        response = client.post(
            "/api/users",
            json={"username": "alice", "email": "alice@example.com", "password": weak_password},
            headers=auth_headers,
        )

        assert response.status_code == 400
        assert "password" in response.get_json()["errors"]

    def test_create_user_without_token_returns_401(self, client: FlaskClient) -> None:
        response = client.post("/api/users", json={"username": "alice", "email": "alice@example.com"})

        assert response.status_code == 401
        assert User.query.filter_by(username="alice").count() == 0


def test_user_count_counts_the_users_the_test_created(client: FlaskClient, db) -> None:
    UserFactory.create_batch(3)

    response = client.get("/api/users/count")

    assert response.get_json()["count"] == 3


class TestWeather:
    """GET /api/weather with the outside weather service mocked."""

    def test_weather_returns_upstream_reading(self, client: FlaskClient, mocker) -> None:
        mock_get = mocker.patch(WEATHER_GET)
        mock_get.return_value = upstream_answer(
            200, {"temperature": 72, "condition": "sunny", "city": "San Francisco"}
        )

        response = client.get("/api/weather?city=San+Francisco")

        assert response.status_code == 200
        data = response.get_json()
        assert data["temperature"] == 72
        assert data["condition"] == "sunny"

    @pytest.mark.parametrize(
        "failure",
        [ConnectionError("API unavailable"), requests.Timeout("timed out")],
        ids=["connection-error", "timeout"],
    )
    def test_weather_when_upstream_unreachable_returns_503(
        self, client: FlaskClient, mocker, failure: Exception
    ) -> None:
        mocker.patch(WEATHER_GET, side_effect=failure)

        response = client.get("/api/weather?city=San+Francisco")

        assert response.status_code == 503
        assert "unavailable" in response.get_json()["message"].lower()

    def test_weather_when_upstream_answers_error_returns_503(self, client: FlaskClient, mocker) -> None:
        mocker.patch(WEATHER_GET, return_value=upstream_answer(500))

        response = client.get("/api/weather?city=Paris")

        assert response.status_code == 503
        assert "unavailable" in response.get_json()["message"].lower()

    def test_weather_503_does_not_reveal_the_upstream_or_its_error(self, client: FlaskClient, mocker) -> None:
        failure = requests.ConnectionError("HTTPSConnectionPool(host='weather.internal', port=443): refused")
        mocker.patch(WEATHER_GET, side_effect=failure)

        response = client.get("/api/weather?city=Paris")

        assert response.get_json() == {
            "error": "Service Unavailable",
            "message": "The weather service is unavailable. Try again later.",
        }

    def test_weather_without_city_returns_400_without_calling_upstream(
        self, client: FlaskClient, mocker
    ) -> None:
        mock_get = mocker.patch(WEATHER_GET)

        response = client.get("/api/weather")

        assert response.status_code == 400
        mock_get.assert_not_called()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2024, 12, 25, 10, tzinfo=UTC), "Merry Christmas!"),
        (datetime(2024, 3, 12, 9, tzinfo=UTC), "Good morning!"),
    ],
    ids=["christmas", "ordinary-morning"],
)
def test_greeting_depends_on_the_frozen_date(
    client: FlaskClient, time_machine, moment: datetime, expected: str
) -> None:
    time_machine.move_to(moment, tick=False)

    response = client.get("/api/greeting")

    assert response.get_json()["message"] == expected


def test_site_data_counts_users_published_posts_and_uploads(client: FlaskClient, db) -> None:
    author, reader, _ = UserFactory.create_batch(3)
    PostFactory.create_batch(2, author=author)
    PostFactory(author=author, is_published=False)
    UploadFactory(owner=reader)

    response = client.get("/api/data")

    assert response.get_json() == {"users": 3, "posts": 2, "uploads": 1}


def test_api_over_rate_limit_returns_429_json(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "5 per minute")
    for _ in range(5):
        client.get("/api/data")

    response = client.get("/api/data")

    assert response.status_code == 429
    assert "rate limit" in response.get_json()["message"].lower()
