"""The live server inside the test's transaction, through the real fixtures: a request holds the
shared connection's lock from its start to its end, and the test's end waits for requests still
running before it rolls back; one still running after that wait is given up on, cut off from the
database. The held request (``liveapp``'s POST /slow-note) writes only when the
test releases it: no test here waits a fixed time."""

from __future__ import annotations

import pytest

from apps_live import make_project, report_of

RACE = """
import sys
import threading
from urllib.request import Request, urlopen

import liveapp
from liveapp import Note, db


def post(url):
    return urlopen(Request(url, method="POST"), timeout=60).read()


def notes():
    return db.session.scalar(db.select(db.func.count()).select_from(Note))


def release_once_waiting_for_the_lock(thread_id, finished):
    # Lets the request write once the test thread waits in SharedConnection._acquire (or is done).
    while not finished.is_set():
        frame = sys._current_frames().get(thread_id)
        while frame is not None and frame.f_code.co_name != "_acquire":
            frame = frame.f_back
        if frame is not None:
            break
        finished.wait(0.001)
    liveapp.slow_note_release.set()


def test_a_query_waits_for_the_request_in_flight_and_sees_its_row(live):
    liveapp.slow_note_started.clear()
    liveapp.slow_note_release.clear()
    request = threading.Thread(target=post, args=(f"{live.url}/slow-note",))
    request.start()
    assert liveapp.slow_note_started.wait(10)
    finished = threading.Event()
    threading.Thread(target=release_once_waiting_for_the_lock, args=(threading.get_ident(), finished)).start()

    seen = notes()  # with the lock held by the request, this waits for its write and commit

    finished.set()
    request.join()
    assert seen == 1


def test_the_row_is_gone_after_the_test(db):
    assert notes() == 0
"""

LEFT_RUNNING = """
import threading
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from flask import got_request_exception

import liveapp
from liveapp import Note, db

answers = []
errors = []
requests = []


def post(url):
    try:
        answers.append(urlopen(Request(url, method="POST"), timeout=60).status)
    except HTTPError as error:
        answers.append(error.code)


def record(sender, exception, **extra):
    errors.append(type(exception).__name__)


got_request_exception.connect(record)  # any app: liveapp makes its own


@pytest.fixture
def released_after_the_drain(db):
    \"\"\"Torn down after ``live`` (which drains and gives up) and before ``db`` (which rolls back):
    the abandoned request writes and commits while the test's transaction is still open.\"\"\"
    yield
    liveapp.slow_note_release.set()
    requests[0].join(10)


def test_1_leaves_a_slow_request_running(released_after_the_drain, live):
    liveapp.slow_note_started.clear()
    liveapp.slow_note_release.clear()
    requests.append(threading.Thread(target=post, args=(f"{live.url}/slow-note",), daemon=True))
    requests[0].start()
    assert liveapp.slow_note_started.wait(10)


def test_2_the_abandoned_request_could_not_write(db):
    assert not requests[0].is_alive()
    assert answers == [500]  # its write, after the drain, was refused
    assert errors == ["AbandonedRequest"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0
"""
# The drain's patience, shortened for the run: a request slower than it is reported.
SHORT_DRAIN = "import flask_harness.live.fixtures\n\nflask_harness.live.fixtures.DRAIN_TIMEOUT_SECONDS = 0.3\n"


def test_a_test_thread_query_waits_for_a_live_request_holding_the_connection(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, playwright_config=None, test_race=RACE)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=2)


def test_a_request_still_running_after_the_test_is_reported_and_cut_off_from_the_database(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, playwright_config=None, test_left_running=LEFT_RUNNING,
                 conftest=SHORT_DRAIN)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=2, errors=1)
    report = report_of(result, "test_1_leaves_a_slow_request_running")
    assert "Requests still running 0.3s after the test ended: POST /slow-note (for 0." in report
    assert "The harness gave up on them" in report
    server_log = next(pytester.path.glob("runpytest-*/live-server-main.log")).read_text()
    assert "the harness gives up on them:\nPOST /slow-note, running for 0." in server_log
    assert "in slow_note\n" in server_log  # the stack of the request, where it waited
