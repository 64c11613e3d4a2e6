"""JSON parsing that refuses what the application cannot store or answer, as a ValueError (a 400)."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class UnacceptableJSON(ValueError):
    """Well-formed JSON that the application refuses; the message says why."""


def text_problem(text: str) -> str | None:
    """Why a string cannot be stored as text (a NUL character, a lone surrogate), or None."""
    if "\x00" in text:
        return "Text must not contain NUL characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text must be valid Unicode (no lone surrogates)."
    return None


def check_strings(data: Any) -> None:
    """Raise UnacceptableJSON if a key or string anywhere in ``data`` is not storable text."""
    pending = [data]
    while pending:  # iterative: the depth is the client's choice
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and (problem := text_problem(item)):
            raise UnacceptableJSON(problem)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose ``loads`` refuses deep nesting, NUL characters and lone surrogates."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            data = super().loads(s, **kwargs)
        except RecursionError:
            raise UnacceptableJSON("JSON is nested too deeply.") from None
        check_strings(data)
        return data
