"""Current weather from an outside HTTP service."""

from __future__ import annotations

from typing import Any

import requests
from flask import current_app


class WeatherUnavailable(Exception):
    """The weather service could not answer."""


def get_weather(city: str) -> dict[str, Any]:
    """Return ``{"city", "temperature", "condition"}`` for the city, or raise WeatherUnavailable."""
    try:
        response = requests.get(
            current_app.config["WEATHER_API_URL"],
            params={"city": city},
            timeout=current_app.config["WEATHER_API_TIMEOUT"],
        )
    except (requests.RequestException, ConnectionError, TimeoutError) as exc:
        raise WeatherUnavailable(f"Weather service unavailable: {exc}") from exc
    if response.status_code != 200:
        raise WeatherUnavailable(f"Weather service unavailable (HTTP {response.status_code})")
    try:
        payload = response.json()
        return {
            "city": payload.get("city", city),
            "temperature": payload["temperature"],
            "condition": payload["condition"],
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WeatherUnavailable("Weather service unavailable: malformed answer") from exc
