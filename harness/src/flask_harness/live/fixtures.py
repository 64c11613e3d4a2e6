"""The live server layer: the app served from a thread of the worker, sharing the test's transaction.

Fixtures ``live_server`` and ``live``, and the hooks that fail a test on what the server met
(an exception, a 5xx) and keep the server's side of a failure (``server.log``, ``server-errors.txt``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from flask_harness.live.server import (
    HARNESS_LOGGER,
    LOG_FORMAT,
    LiveServer,
    PlainFormatter,
    RequestTracker,
    RunningRequest,
    ServerError,
    ServerThreadLogs,
)
from flask_harness.run.artifacts import keep, record_of

if TYPE_CHECKING:
    from flask import Flask

    from flask_harness.config.settings import HarnessSettings
    from flask_harness.db.isolation import SharedConnection
    from flask_harness.live.tls import LiveCertificate

DRAIN_TIMEOUT_SECONDS = 5.0
_MISSING = object()
ABORTED_REQUESTS = (
    "Requests to other hosts aborted by the harness (third_party in playwright.config.py) during this test:\n"
    "{urls}\n"
    'If the page needs one (its own scripts call the library: "moment is not defined"), serve the file '
    "from the app (vendor it), or from a folder the project keeps: "
    'third_party = {{"cdn.example.com": "tests/vendor"}} serves https://cdn.example.com/x.js from '
    "tests/vendor/x.js. If it does not, list the message in allowed_console_messages."
)
_RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


@dataclass
class LiveTest:
    """What one test's live server saw: its log start, server errors, and what the browser met."""

    server: LiveServer
    tracker: RequestTracker
    log_offset: int
    browser_problems: list[str] = field(default_factory=list)
    server_responses_5xx: list[str] = field(default_factory=list)
    # Requests to other hosts aborted under ``third_party`` (the browser wing's route records them).
    aborted_requests: list[str] = field(default_factory=list)
    failed_by_problems: bool = False

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def ca_file(self) -> Path | None:
        """Under HTTPS, the run's certificate authority (PEM) for Python clients: ``verify=live.ca_file``."""
        return self.server.ca_file

    def url_for(self, endpoint: str, **values: Any) -> str:
        """The live server's absolute URL for ``endpoint`` (``flask.url_for``'s arguments)."""
        from flask import url_for

        app = cast("Flask", self.tracker.app)
        with app.test_request_context(base_url=self.url):
            return url_for(endpoint, _external=True, **values)

    @property
    def server_errors(self) -> list[ServerError]:
        return list(self.tracker.errors)

    def server_log(self) -> str:
        """The server's log lines written during this test."""
        return self.server.log_since(self.log_offset)

    def evidence(self) -> dict[str, Any]:
        """What the server and the browser met, for the attempt's record."""
        return {
            "server_log": log_without_tracebacks(self.server_log()),
            "server_errors": [f"{e.method} {e.path}\n{e.traceback}" for e in self.server_errors],
            "browser_problems": explained(self.browser_problems, self.aborted_requests)
            + [f"server answered {line}" for line in self.server_responses_5xx],
        }


LIVE_TEST = pytest.StashKey[LiveTest]()


def explained(browser_problems: list[str], aborted_requests: list[str]) -> list[str]:
    """The browser's problems, then the aborted requests that may have caused them, and the remedies."""
    if not browser_problems or not aborted_requests:
        return list(browser_problems)
    urls = "\n".join(f"  {url}" for url in dict.fromkeys(aborted_requests))
    return [*browser_problems, ABORTED_REQUESTS.format(urls=urls)]


@pytest.fixture(scope="session")
def live_server_config() -> dict[str, Any]:
    """Config applied to the app while a live-server test runs; override it (for example to turn CSRF on)."""
    return {}


@pytest.fixture(scope="session")
def _request_tracker(flask_harness_app: Flask) -> Iterator[RequestTracker]:
    from flask import got_request_exception

    app = flask_harness_app
    tracker = RequestTracker(app)

    def record(sender: Flask, exception: BaseException, **_extra: Any) -> None:
        if tracker.serving():  # the live server's request, not a test-client one
            tracker.record(exception)

    got_request_exception.connect(record, app)
    yield tracker
    got_request_exception.disconnect(record, app)


@pytest.fixture(scope="session")
def live_certificate(pytestconfig: pytest.Config, flask_harness_settings: HarnessSettings) -> LiveCertificate | None:
    """The worker's certificate when ``live_server_scheme = "https"``, else None (see ``live.tls``)."""
    from urllib.parse import urlsplit

    from flask_harness.live import address as live_address
    from flask_harness.live.tls import make_certificate

    address = live_address.of(pytestconfig)
    if address.scheme != "https":
        return None
    hosts = [address.host, "127.0.0.1", "localhost"]
    if address.public_url:
        hosts.insert(0, urlsplit(address.public_url).hostname or address.host)
    return make_certificate(flask_harness_settings.run_folder / f"tls-{flask_harness_settings.worker}", hosts)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, flask_harness_app: Flask, _request_tracker: RequestTracker,
                flask_harness_settings: HarnessSettings, tmp_path_factory: pytest.TempPathFactory,
                live_certificate: LiveCertificate | None) -> Iterator[LiveServer]:
    """This worker's live server: the same app object as the tests, on 127.0.0.1 (ini ``live_server_host``)
    and a free port; ``live.url`` is ini ``live_server_public_url`` when a browser elsewhere needs it.

    Started on first use and reused by every live test of the worker. Request and app logs go to
    ``live-server-<worker>.log`` in pytest's temporary folder.
    """
    from flask_harness.live import address as live_address

    app = flask_harness_app
    log_path = tmp_path_factory.getbasetemp() / f"live-server-{flask_harness_settings.worker}.log"
    address = live_address.of(request.config)
    server = LiveServer(_request_tracker, host=address.host, log_path=log_path, public_url=address.url_for,
                        ssl_context=live_certificate.ssl_context if live_certificate else None)
    server.ca_file = live_certificate.ca_file if live_certificate else None
    server.start()
    app_handler = logging.FileHandler(log_path, encoding="utf-8")
    app_handler.setFormatter(PlainFormatter(LOG_FORMAT))
    app.logger.addHandler(app_handler)
    app_filter = ServerThreadLogs(app_handler)
    app.logger.addFilter(app_filter)
    yield server
    app.logger.removeFilter(app_filter)
    app.logger.removeHandler(app_handler)
    app_handler.close()
    server.stop()


@pytest.fixture
def live(request: pytest.FixtureRequest, app: Flask, db: Any, live_server: LiveServer,
         _request_tracker: RequestTracker, _shared_connection: SharedConnection,
         live_server_config: dict[str, Any]) -> Iterator[LiveTest]:
    """The live server, serving this test's database state.

    The server thread shares the test's connection and transaction: rows made in the test are
    visible at once and vanish after it. Mark a test ``live_commit`` to let the server commit for
    real (its tables are emptied after it). Under ``expect_server_error`` the app's own error
    handlers render the error page, and the traceback is still kept for the report.
    """
    committing = request.node.get_closest_marker("live_commit") is not None
    if not committing:
        _shared_connection.share_between_threads(True)
        _request_tracker.lock = _shared_connection.lock
    config = dict(live_server_config)
    if request.node.get_closest_marker("expect_server_error") is not None:
        config.setdefault("PROPAGATE_EXCEPTIONS", False)
    saved = {key: app.config.get(key, _MISSING) for key in config}
    app.config.update(config)
    _request_tracker.errors.clear()
    state = LiveTest(live_server, _request_tracker, live_server.log_offset())
    request.node.stash[LIVE_TEST] = state
    record = record_of(request.node)
    record.has_artifacts = True
    record.evidence = state.evidence
    try:
        yield state
    finally:
        stragglers = _request_tracker.wait_idle(DRAIN_TIMEOUT_SECONDS)
        if stragglers:
            give_up_on(stragglers, live_server, _request_tracker, _shared_connection)
        _request_tracker.lock = None
        for key, value in saved.items():
            if value is _MISSING:
                app.config.pop(key, None)
            else:
                app.config[key] = value
    if stragglers:
        pytest.fail(
            f"Requests still running {DRAIN_TIMEOUT_SECONDS}s after the test ended: "
            f"{', '.join(f'{r.label} (for {r.age():.1f}s)' for r in stragglers)}. The harness gave up on them: "
            "the test's rollback goes ahead, and any statement they run later fails. "
            f"Their stacks are in the server log ({live_server.log_path}). Wait for such requests in the test "
            "(expect(...) on their result); one that never ends is a view that hangs.",
            pytrace=False,
        )


def give_up_on(stragglers: list[RunningRequest], server: LiveServer, tracker: RequestTracker,
               shared: SharedConnection) -> None:
    """Log the stuck requests' stacks, stop waiting for them, and take the shared connection back.

    A request holds the connection's lock for its whole length: one that never ends would block
    the rollback, and with it the worker. Its thread cannot be stopped (Python has no way to), so
    it is left running, cut off from the database; later tests are not held up by it.
    """
    server.note(f"Requests still running {DRAIN_TIMEOUT_SECONDS}s after the test ended; the harness gives "
                "up on them:\n" + "\n".join(request.describe() for request in stragglers))
    tracker.abandon(stragglers)
    shared.abandon(request.thread for request in stragglers)


# --- what fails a live test, and what is kept when it fails ----------------------------------------


def problems_of(item: pytest.Item) -> list[str]:
    """What makes a passing live test fail: server exceptions, 5xx answers, browser errors."""
    live = item.stash.get(LIVE_TEST, None)
    if live is None:
        return []
    problems = explained(live.browser_problems, live.aborted_requests)
    if item.get_closest_marker("expect_server_error") is None:
        problems += [f"server error on {e.method} {e.path}:\n{e.traceback}" for e in live.server_errors]
        problems += [f"server answered {line}" for line in live.server_responses_5xx]
    return problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a live test that passed but met a server exception, a 5xx or a browser error."""
    result = yield
    problems = problems_of(item)
    if problems:
        item.stash[LIVE_TEST].failed_by_problems = True
        pytest.fail("The live app or the browser reported problems:\n\n" + "\n\n".join(problems),
                    pytrace=False)
    return result


def log_without_tracebacks(log: str) -> str:
    """This test's log lines, with each traceback cut to one line (it is shown once, elsewhere).

    The harness's own notes (the stacks of requests still running) are kept whole.
    """
    lines: list[str] = []
    whole = False
    for line in log.splitlines():
        if _RECORD_START.match(line) or not lines:
            lines.append(line)
            whole = f" {HARNESS_LOGGER} " in line
        elif whole:
            lines.append(line)
        elif not lines[-1].endswith("(traceback in server-errors.txt)"):
            lines[-1] += "  (traceback in server-errors.txt)"
    return "\n".join(lines)


def save_server_side(item: pytest.Item) -> list[Path]:
    """Keep the failing test's server log and tracebacks; return their paths."""
    live = item.stash[LIVE_TEST]
    saved = [keep(item, "server.log", live.server_log())]
    if live.server_errors:
        saved.append(keep(item, "server-errors.txt", "\n\n".join(
            f"{e.method} {e.path}\n{e.traceback}" for e in live.server_errors)))
    return saved


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Forget the previous attempt's live state: a retry starts clean."""
    if LIVE_TEST in item.stash:
        del item.stash[LIVE_TEST]


@pytest.hookimpl(trylast=True)
def pytest_flask_harness_report(item: pytest.Item, report: Any) -> None:
    """When a live test fails: its server log lines, its tracebacks once, and the server's files kept.

    Last of the wings: the browser's files are saved by then.
    """
    live = item.stash.get(LIVE_TEST, None)
    if live is None or report.when != "call" or not report.failed:
        return
    running = live.tracker.now_running()
    if running:  # a test that timed out waiting for the server: where each request is stuck
        live.server.note("Requests still running when the test failed:\n"
                         + "\n".join(request.describe() for request in running))
    if live.server_errors and not live.failed_by_problems:
        report.sections.append(("live server tracebacks", "\n".join(
            f"{error.method} {error.path}\n{error.traceback}" for error in live.server_errors)))
    if live.browser_problems and not live.failed_by_problems:  # they may explain the test's own failure
        problems = explained(live.browser_problems, live.aborted_requests)
        report.sections.append(("browser problems", "\n".join(problems)))
    log = log_without_tracebacks(live.server_log())
    if log:
        report.sections.append(("live server log (this test)", log))
    try:
        save_server_side(item)
    except OSError as exc:  # a full disk must not hide the test's own failure
        report.sections.append(("flask-harness artifacts", f"could not save artifacts: {exc!r}"))
