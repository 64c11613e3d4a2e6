"""URL values the database can hold: ids are bounded to the range of an INTEGER column."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest value an INTEGER primary key holds on every supported database (PostgreSQL's int4).
MAX_ID = 2**31 - 1


def numbers_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers 0..limit, written with at most its digits."""
    digits = str(limit)
    alternatives = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - position - 1
            alternatives.append(f"{digits[:position]}[0-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


class IdConverter(IntegerConverter):
    """``<int:…>`` limited to 0..MAX_ID, so a larger number is an unmatched URL (404), not a 500.

    The bound is in the regular expression, not only in ``to_python``: werkzeug answers 405 instead
    of 404 when a rule for another method matched the path and this one's converter refused it.
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
        self.regex = numbers_up_to(self.max)


def parse_id(value: object) -> int | None:
    """The id that a string (a session or token subject) names, or None when it names none."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
