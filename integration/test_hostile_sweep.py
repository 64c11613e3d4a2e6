"""Hostile input on every route, anonymous and logged in: no request makes the app answer 5xx.

The harness's ``hostile_sweep`` sends Hypothesis-generated requests (huge and negative ids, NUL
bytes, lone surrogates, deeply nested JSON, NaN, wrong types, malformed forms) to every rule and
method; each failing route is reported with its shrunk request and the server's traceback. The
budget here keeps CI short; a deep run: ``pytest integration/test_hostile_input.py --sweep-budget 500``.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from flask_harness import HostileSweep

from factories import PostFactory, UploadFactory
from webapp.extensions import limiter
from webapp.models import User

pytestmark = pytest.mark.integration

# Examples per route and method: 3 sweeps x 41 route-methods x 15 = at most 1,845 requests (plus
# the shrinking of any failure); --sweep-budget 500 sends up to 61,500.
CI_BUDGET = 15


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep sends hundreds of requests a route; a 429 would stop them before the view."""
    monkeypatch.setattr(limiter, "enabled", False)


@pytest.fixture
def owned_rows(sample_user: User) -> None:
    """Posts (a draft among them) and an upload of sample_user, so ids 1, 2… reach real rows."""
    PostFactory(author=sample_user)
    PostFactory(author=sample_user, is_published=False)
    UploadFactory(owner=sample_user)


def test_no_route_answers_5xx_to_an_anonymous_visitor(client: FlaskClient, owned_rows: None,
                                                      hostile_sweep: HostileSweep) -> None:
    hostile_sweep(client, budget=CI_BUDGET)


def test_no_route_answers_5xx_to_a_logged_in_user(auth_client: FlaskClient, api_token: str, owned_rows: None,
                                                  hostile_sweep: HostileSweep) -> None:
    hostile_sweep(auth_client, headers={"Authorization": f"Bearer {api_token}"}, budget=CI_BUDGET)


def test_no_route_answers_5xx_to_an_administrator(admin_client: FlaskClient, admin_headers: dict[str, str],
                                                  owned_rows: None, hostile_sweep: HostileSweep) -> None:
    hostile_sweep(admin_client, headers=admin_headers, budget=CI_BUDGET)
