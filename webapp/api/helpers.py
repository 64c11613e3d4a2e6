"""Request parsing shared by the API views."""

from __future__ import annotations

from typing import Any

from flask import abort, json, request

from webapp.web.json_provider import UnacceptableJSON

INVALID_JSON = "Request body must be valid JSON with Content-Type: application/json."


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        abort(400, INVALID_JSON)
    try:
        data = json.loads(request.get_data())
    except UnacceptableJSON as exc:
        abort(400, str(exc))
    except ValueError:
        abort(400, INVALID_JSON)
    if not isinstance(data, dict):
        abort(400, "Request body must be a JSON object.")
    return data


def text_field(data: dict[str, Any], name: str) -> str | None:
    """A string field, stripped; 400 when present but not a string."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        abort(400, f"'{name}' must be a string.")
    return value.strip()

