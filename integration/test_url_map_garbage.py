"""Every route of the URL map, fed garbage by a visitor and by a logged-in user, answers below 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from webapp.extensions import limiter
from webapp.models import User

pytestmark = pytest.mark.integration

# Values for each converter: out of range, NUL, overlong, traversal.
PATH_VALUES = {
    "IntegerConverter": ["99999999999999999999", "2147483648", "0"],
    "UnicodeConverter": ["a\x00b", "x" * 1000, "%ff"],
    "PathConverter": ["../../etc/passwd", "a\x00b", "x" * 1000],
}
VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
QUERY = "?page=99999999999999999999&per_page=-1&year=99999&city=%00&next=//evil.example&x=%ff"
BODIES = [
    {"data": "[" * 100_000, "content_type": "application/json"},
    {"data": '{"username": "\\ud800", "title": "\\udfff", "refresh_token": "\\ud800"}',
     "content_type": "application/json"},
    {"json": {"username": ["list"], "password": {"a": 1}, "title": 5, "is_published": "yes",
              "refresh_token": 1, "email": None}},
    {"data": {"username": "a\x00b", "password": "p\x00", "title": "t", "content": "\x00", "action": "\x00"}},
    {"data": b"\xff\xfe\x00", "content_type": "application/x-www-form-urlencoded"},
]


def kind_of(converter: object) -> str:
    """The PATH_VALUES key of a converter: its own class or the werkzeug class it extends."""
    return next(cls.__name__ for cls in type(converter).__mro__ if cls.__name__ in PATH_VALUES)


def urls_for(rule: Rule) -> Iterator[str]:
    """The rule's path with garbage in one variable at a time (the others get their last garbage value)."""
    kinds = {name: kind_of(converter) for name, converter in rule._converters.items()}
    if not kinds:
        yield rule.rule
        return
    for name, kind in kinds.items():
        for value in PATH_VALUES[kind]:
            def fill(match: re.Match, name: str = name, value: str = value) -> str:
                other = match.group(1)
                return value if other == name else PATH_VALUES[kinds[other]][-1]

            yield VARIABLE.sub(fill, rule.rule)


@pytest.fixture
def weather_down(mocker) -> None:
    """The outside weather service refuses connections (never reach the network)."""
    mocker.patch("webapp.services.weather_service.requests.get", side_effect=requests.ConnectionError("down"))


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "user"])
def test_no_route_answers_5xx_to_garbage(
    app: Flask, client: FlaskClient, sample_user: User, api_token: str, weather_down, logged_in: bool
) -> None:
    headers = {"Authorization": f"Bearer {api_token}"} if logged_in else {}
    problems = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for url in urls_for(rule):
                for body in BODIES if method != "GET" else [{}]:
                    limiter.reset()
                    if logged_in:
                        with client.session_transaction() as session:
                            session["_user_id"] = sample_user.get_id()
                            session["_fresh"] = True
                    try:
                        status = client.open(url + QUERY, method=method, headers=headers, **body).status_code
                    except Exception as exc:  # TESTING propagates what would be a 500
                        problems.append(f"{method} {url!r}: {exc!r}")
                        continue
                    if status >= 500 and not url.startswith("/api/weather"):
                        problems.append(f"{method} {url!r}: {status}")

    assert problems == []
