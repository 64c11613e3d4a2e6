"""The live server inside the test's transaction, through the real fixtures: a request holds the
shared connection's lock from its start to its end, and the test's end waits for requests still
running before it rolls back."""

from __future__ import annotations

import pytest

from apps_live import make_project, report_of

RACE = """
import threading
from urllib.request import Request, urlopen

import liveapp
from liveapp import Note, db


def post(url):
    return urlopen(Request(url, method="POST"), timeout=30).read()


def notes():
    return db.session.scalar(db.select(db.func.count()).select_from(Note))


def test_a_query_waits_for_the_request_in_flight_and_sees_its_row(live):
    liveapp.slow_note_started.clear()
    request = threading.Thread(target=post, args=(f"{live.url}/slow-note?seconds=0.5",))
    request.start()
    assert liveapp.slow_note_started.wait(10)

    seen = notes()  # the request sleeps before it writes: this query must wait for all of it

    request.join()
    assert seen == 1


def test_the_row_is_gone_after_the_test(db):
    assert notes() == 0
"""

LEFT_RUNNING = """
import threading
from urllib.request import Request, urlopen

import liveapp
from liveapp import Note, db


def post(url):
    return urlopen(Request(url, method="POST"), timeout=30).read()


def test_1_leaves_a_slow_request_running(live):
    liveapp.slow_note_started.clear()
    threading.Thread(target=post, args=(f"{live.url}/slow-note?seconds=1.5",), daemon=True).start()
    assert liveapp.slow_note_started.wait(10)


def test_2_starts_after_the_rollback_that_waited_for_it(db):
    assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0
"""
# The drain's patience, shortened for the run: a request slower than it is reported.
SHORT_DRAIN = "import flask_harness.live.fixtures\n\nflask_harness.live.fixtures.DRAIN_TIMEOUT_SECONDS = 0.3\n"


def test_a_test_thread_query_waits_for_a_live_request_holding_the_connection(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, playwright_config=None, test_race=RACE)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=2)


def test_a_request_still_running_after_the_test_is_reported_and_the_rollback_waits_for_it(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, playwright_config=None, test_left_running=LEFT_RUNNING,
                 conftest=SHORT_DRAIN)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=2, errors=1)
    report = report_of(result, "test_1_leaves_a_slow_request_running")
    assert "Requests still running 0.3s after the test ended: POST /slow-note." in report
