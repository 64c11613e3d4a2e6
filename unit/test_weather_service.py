"""webapp.services.weather_service.get_weather with requests.get patched (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import MagicMock, patch

import flask
import pytest
import requests

from webapp.services.weather_service import WeatherUnavailable, get_weather

pytestmark = pytest.mark.unit


@pytest.fixture
def mock_get(app_context: flask.Flask) -> Iterator[MagicMock]:
    with patch("webapp.services.weather_service.requests.get") as get:
        yield get


def answer(status_code: int = 200, payload: object = None) -> MagicMock:
    response = MagicMock()
    response.status_code = status_code
    response.json.return_value = payload
    return response


def test_successful_answer_is_returned_as_weather(mock_get: MagicMock) -> None:
    mock_get.return_value = answer(payload={"city": "Paris", "temperature": 21.5, "condition": "Sunny"})

    assert get_weather("Paris") == {"city": "Paris", "temperature": 21.5, "condition": "Sunny"}


def test_request_uses_configured_url_city_and_timeout(mock_get: MagicMock) -> None:
    mock_get.return_value = answer(payload={"city": "Paris", "temperature": 21.5, "condition": "Sunny"})

    get_weather("Paris")

    mock_get.assert_called_once_with("http://weather.test/v1/current", params={"city": "Paris"}, timeout=3)


def test_answer_without_city_falls_back_to_requested_city(mock_get: MagicMock) -> None:
    mock_get.return_value = answer(payload={"temperature": 4, "condition": "Rain"})

    assert get_weather("Oslo")["city"] == "Oslo"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ConnectionError("API unavailable"), "Weather service unavailable: API unavailable"),
        (requests.Timeout("read timed out"), "Weather service unavailable: read timed out"),
    ],
    ids=["connection-error", "timeout"],
)
def test_unreachable_service_raises_weather_unavailable(
    mock_get: MagicMock, error: Exception, expected: str
) -> None:
    mock_get.side_effect = error

    with pytest.raises(WeatherUnavailable) as excinfo:
        get_weather("Paris")

    assert str(excinfo.value) == expected


def test_non_200_answer_raises_weather_unavailable_with_status(mock_get: MagicMock) -> None:
    mock_get.return_value = answer(status_code=503)

    with pytest.raises(WeatherUnavailable) as excinfo:
        get_weather("Paris")

    assert str(excinfo.value) == "Weather service unavailable (HTTP 503)"


def test_answer_missing_a_field_raises_malformed(mock_get: MagicMock) -> None:
    mock_get.return_value = answer(payload={"city": "Paris", "condition": "Sunny"})

    with pytest.raises(WeatherUnavailable, match=r"^Weather service unavailable: malformed answer$"):
        get_weather("Paris")


def test_answer_that_is_not_json_raises_malformed(mock_get: MagicMock) -> None:
    response = answer()
    response.json.side_effect = requests.JSONDecodeError("Expecting value", "<html>", 0)
    mock_get.return_value = response

    with pytest.raises(WeatherUnavailable, match=r"^Weather service unavailable: malformed answer$"):
        get_weather("Paris")


def real_answer(body: bytes) -> requests.Response:
    """A real requests response with the given body, so the service's own JSON parsing runs."""
    response = requests.Response()
    response.status_code = 200
    response._content = body
    response.encoding = "utf-8"
    return response


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"city": "Paris", "temperature": ' + b"[" * 100_000 + b', "condition": "Sunny"}',
        b'{"city": "Paris", "temperature": NaN, "condition": "Sunny"}',
        b'{"city": "Paris", "temperature": Infinity, "condition": "Sunny"}',
        b'{"city": "Paris", "temperature": "hot", "condition": "Sunny"}',
        b'{"city": "Paris", "temperature": true, "condition": "Sunny"}',
        b'{"city": "Paris", "temperature": 20, "condition": ["Sunny"]}',
        b'{"city": ["Paris"], "temperature": 20, "condition": "Sunny"}',
    ],
    ids=["deep-array", "deep-field", "nan", "infinity", "text-temperature", "bool-temperature",
         "list-condition", "list-city"],
)
def test_answer_that_cannot_be_passed_on_raises_malformed(mock_get: MagicMock, body: bytes) -> None:
    mock_get.return_value = real_answer(body)

    with pytest.raises(WeatherUnavailable, match=r"^Weather service unavailable: malformed answer$"):
        get_weather("Paris")
