"""Fixtures that serve the app under test from a live server thread, for browser tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from harness.isolation import SharedConnection
from harness.live_server import LiveServer, RequestTracker, ServerError
from harness.settings import HarnessSettings, shared_root

DRAIN_TIMEOUT_SECONDS = 5.0
_MISSING = object()


@dataclass
class LiveTest:
    """What one browser test's live server saw: its log start, server errors and bad responses."""

    server: LiveServer
    tracker: RequestTracker
    log_offset: int
    browser_problems: list[str] = field(default_factory=list)
    server_responses_5xx: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def server_errors(self) -> list[ServerError]:
        return list(self.tracker.errors)

    def server_log(self) -> str:
        """The server's log lines written during this test."""
        return self.server.log_since(self.log_offset)


@pytest.fixture(scope="session")
def live_server_config() -> dict[str, Any]:
    """Config applied to the app while a browser test runs; override it (e.g. to turn CSRF on)."""
    return {}


@pytest.fixture(scope="session")
def _request_tracker(app: Flask) -> RequestTracker:
    return RequestTracker(app)


@pytest.fixture(scope="session")
def live_server(
    app: Flask,
    _request_tracker: RequestTracker,
    harness_config: HarnessSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """This worker's live server: the same app object as the tests, on 127.0.0.1 and a free port.

    Started on first use and reused by every browser test of the worker. Request and app logs
    go to ``live-server-<worker>.log`` in pytest's temporary folder.
    """
    log_path = shared_root(tmp_path_factory, harness_config.worker) / f"live-server-{harness_config.worker}.log"
    server = LiveServer(_request_tracker, log_path=log_path)
    server.start()
    app_handler = logging.FileHandler(log_path, encoding="utf-8")
    app.logger.addHandler(app_handler)
    yield server
    app.logger.removeHandler(app_handler)
    app_handler.close()
    server.stop()


@pytest.fixture
def live(
    request: pytest.FixtureRequest,
    app: Flask,
    db: Any,
    live_server: LiveServer,
    _request_tracker: RequestTracker,
    _shared_connection: SharedConnection,
    live_server_config: dict[str, Any],
) -> Iterator[LiveTest]:
    """The live server, serving this test's database state.

    By default the server thread shares the test's connection and transaction (rows made in the
    test are visible at once and vanish after it). Mark a test ``live_commit`` to let the server
    commit for real; the tables are emptied after it.
    """
    committing = request.node.get_closest_marker("live_commit") is not None
    if not committing:
        _shared_connection.share_between_threads(True)
        _request_tracker.lock = _shared_connection.lock
    saved = {key: app.config.get(key, _MISSING) for key in live_server_config}
    app.config.update(live_server_config)
    _request_tracker.errors.clear()
    state = LiveTest(live_server, _request_tracker, live_server.log_offset())
    request.node._harness_live = state
    try:
        yield state
    finally:
        stragglers = _request_tracker.wait_idle(DRAIN_TIMEOUT_SECONDS)
        _request_tracker.lock = None
        for key, value in saved.items():
            if value is _MISSING:
                app.config.pop(key, None)
            else:
                app.config[key] = value
    if stragglers:
        pytest.fail(
            f"Requests still running {DRAIN_TIMEOUT_SECONDS}s after the test ended: "
            f"{', '.join(stragglers)}. Wait for them in the test (expect(...) on their result).",
            pytrace=False,
        )


def artifact_folder(output_path: str) -> Path:
    """The test's artifact folder (pytest-playwright's ``output_path``), created on demand."""
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
