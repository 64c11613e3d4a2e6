"""Current weather from an outside HTTP service."""

from __future__ import annotations

import math
from typing import Any

import requests
from flask import current_app


class WeatherUnavailable(Exception):
    """The weather service could not answer; the message is for the logs, not for clients."""


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
        return _reading(response.json(), city)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise WeatherUnavailable("Weather service unavailable: malformed answer") from exc


def _reading(payload: dict[str, Any], city: str) -> dict[str, Any]:
    """The fields we pass on, checked: our clients must get valid JSON (no NaN) of the documented types."""
    temperature, condition = payload["temperature"], payload["condition"]
    name = payload.get("city", city)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float):
        raise TypeError("temperature is not a number")
    if not math.isfinite(temperature):
        raise ValueError("temperature is not finite")
    if not isinstance(condition, str) or not isinstance(name, str):
        raise TypeError("condition or city is not text")
    return {"city": name, "temperature": temperature, "condition": condition}
