"""``clock`` (issue 16, item 5): one frozen, movable time for the server's threads and the page.

The project's app shows the server's time (``/now``), the page shows its own ``Date`` (a script on
``/clock``), and Flask's signed session cookie has a lifetime (``PERMANENT_SESSION_LIFETIME``),
checked by the server against Python's clock: only time can end it.
"""

from __future__ import annotations

import pytest

from apps_live import make_project
from example_apps import QUIET, copy_app, write_ini

CLOCK_CONFTEST = """
from datetime import datetime, timedelta, timezone

import pytest
from flask import session


@pytest.fixture(scope="session")
def flask_app_config():
    return {"PERMANENT_SESSION_LIFETIME": timedelta(hours=24)}


@pytest.fixture(scope="session", autouse=True)
def _clock_routes(app):
    @app.get("/now")
    def now():
        return datetime.now(timezone.utc).isoformat()

    @app.get("/clock")
    def clock_page():
        return ("<!doctype html><title>Clock</title><h1 id=now></h1>"
                "<script>document.getElementById('now').textContent = new Date().toISOString()</script>")

    @app.get("/remember")
    def remember():
        session.permanent = True
        session["seen"] = "yes"
        return "remembered"

    @app.get("/recall")
    def recall():
        return session.get("seen", "forgotten")
"""

JOURNEYS = """
import time
from datetime import datetime, timezone

from playwright.sync_api import expect


def test_1_set_freezes_the_server_and_the_page_at_the_same_time(page, clock):
    clock.set("2026-01-01T09:00Z")
    page.goto("/now")
    assert page.text_content("body") == "2026-01-01T09:00:00+00:00"  # a live-server thread's clock
    page.goto("/clock")
    expect(page.locator("#now")).to_have_text("2026-01-01T09:00:00.000Z")  # frozen, in the page too
    page.goto("/now")
    assert page.text_content("body") == "2026-01-01T09:00:00+00:00"  # not a microsecond on, navigations later
    assert datetime.now(timezone.utc) == clock.now()  # and in the test's thread


def test_2_advance_moves_both_and_ends_a_session_only_time_can_end(page, clock):
    page.goto("/remember")
    page.goto("/recall")
    expect(page.locator("body")).to_have_text("yes")
    clock.advance(hours=25)
    page.goto("/clock")
    expect(page.locator("#now")).to_have_text(clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    page.goto("/recall")
    expect(page.locator("body")).to_have_text("forgotten")  # the signed cookie is older than 24 hours


def test_3_after_the_test_time_is_real_again(page):
    before = time.time()
    page.goto("/clock")
    expect(page.locator("#now")).not_to_have_text("2026-01-01T09:00:00.000Z")
    assert time.time() > before  # the navigation took real time, and the clock shows it
    assert abs(time.time() - datetime.now(timezone.utc).timestamp()) < 5
"""


@pytest.mark.parametrize("workers", [(), ("-n", "2", "--dist", "each")], ids=["serial", "n2"])
def test_clock_freezes_and_moves_time_for_the_server_and_the_page_at_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: tuple[str, ...],
) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)
    pytester.makeconftest(CLOCK_CONFTEST)

    result = pytester.runpytest_subprocess(*workers)

    result.assert_outcomes(passed=6 if workers else 3)


WITHOUT_A_BROWSER = """
from datetime import datetime, timezone

import pytest


def test_the_server_clock_alone_with_the_test_client(client, clock):
    clock.set("2030-06-01T12:00+02:00")
    assert datetime.now(timezone.utc).isoformat() == "2030-06-01T10:00:00+00:00"
    clock.advance(days=3)
    assert clock.now().isoformat() == "2030-06-04T12:00:00+02:00"


def test_a_time_without_its_zone_is_refused(clock):
    with pytest.raises(ValueError, match="needs a time with its zone"):
        clock.set("2030-06-01T12:00")
"""


def test_clock_without_playwright_moves_the_servers_time(pytester: pytest.Pytester) -> None:
    copy_app(pytester, "mapping_factory")
    write_ini(pytester, flask_app="tutorial:create_app")
    pytester.makepyfile(test_clock=WITHOUT_A_BROWSER)

    result = pytester.runpytest_subprocess(*QUIET)

    result.assert_outcomes(passed=2)
