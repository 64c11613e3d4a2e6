"""The browser fixtures: pytest-playwright configured from playwright.config.py, and a page per
worker reused across tests with its state cleared, artifacts captured only for failing tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from flask import Flask, session
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Response, expect

from harness.browsers import BrowserNotFound, find_executable
from harness.e2e_config import E2EConfig, load_config
from harness.live import LiveTest, artifact_folder

IGNORED_CONSOLE_PREFIX = "Failed to load resource: the server responded with a status of 4"


@pytest.fixture(scope="session")
def e2e_config(pytestconfig: pytest.Config) -> E2EConfig:
    """The settings from playwright.config.py."""
    return load_config(pytestconfig.rootpath)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    e2e_config: E2EConfig,
    playwright: Playwright,
    browser_name: str,
) -> dict[str, Any]:
    """pytest-playwright's launch options over the config file's, with the browser discovered."""
    args: dict[str, Any] = {"headless": e2e_config.headless}
    if e2e_config.slow_mo_ms:
        args["slow_mo"] = e2e_config.slow_mo_ms
    if browser_name == "chromium" and "channel" not in browser_type_launch_args:
        try:
            executable = find_executable(e2e_config.executable_path, playwright.chromium.executable_path)
        except BrowserNotFound as exc:
            raise pytest.UsageError(str(exc)) from None
        if executable:
            args["executable_path"] = executable
        args["args"] = list(e2e_config.chromium_args)
    return {**args, **browser_type_launch_args}


@pytest.fixture(scope="session")
def browser_context_args(
    browser_context_args: dict[str, Any], e2e_config: E2EConfig, live_server: Any
) -> dict[str, Any]:
    """Viewport, locale and timezone from the config file; base_url is the live server."""
    return {**e2e_config.context_args(), "base_url": live_server.url, **browser_context_args}


class WorkerPage:
    """One context and page per worker; each test gets it clean, failures keep their artifacts."""

    def __init__(self, browser: Browser, context_args: dict[str, Any], e2e: E2EConfig,
                 tracing: bool) -> None:
        self.browser = browser
        self.context_args = context_args
        self.e2e = e2e
        self.tracing = tracing
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.live: LiveTest | None = None
        self._chunk_open = False

    def begin(self, live: LiveTest, title: str) -> Page:
        """Hand the page to a test; problems it meets are recorded on ``live``."""
        if self.page is None or self.page.is_closed():
            self._open()
        assert self.context is not None
        assert self.page is not None
        self.live = live
        if self.tracing:
            self.context.tracing.start_chunk(title=title)
            self._chunk_open = True
        return self.page

    def _open(self) -> None:
        if self.context is None:
            self.context = self.browser.new_context(**self.context_args)
            if self.tracing:
                # DOM snapshots make the trace; screencast frames cost ~150 ms a test (bench.browser).
                self.context.tracing.start(screenshots=self.e2e.trace_screenshots, snapshots=True,
                                           sources=True)
        self.page = self.context.new_page()
        watch(self.page, lambda: self.live)
        apply_timeouts(self.page, self.e2e)

    def save_failure(self, folder: Path, screenshot: bool) -> list[Path]:
        """Keep the trace and a full-page screenshot of the failing test."""
        saved: list[Path] = []
        if screenshot and self.page is not None and not self.page.is_closed():
            path = folder / "screenshot.png"
            self.page.screenshot(path=path, full_page=True, timeout=5_000)
            saved.append(path)
        if self._chunk_open and self.context is not None:
            path = folder / "trace.zip"
            self.context.tracing.stop_chunk(path=path)
            self._chunk_open = False
            saved.append(path)
        return saved

    def end(self) -> None:
        """Forget the test: drop its trace, cookies, storage, permissions and routes."""
        if self._chunk_open and self.context is not None:
            self.context.tracing.stop_chunk()
            self._chunk_open = False
        self.live = None
        if self.context is None or self.page is None or self.page.is_closed():
            return
        if self.page.url.startswith("http"):
            self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        self.page.unroute_all(behavior="ignoreErrors")
        self.context.unroute_all(behavior="ignoreErrors")
        self.context.clear_cookies()
        self.context.clear_permissions()
        # Blank the page without leaving the origin: goto("about:blank") swaps renderer processes
        # and costs ~75 ms a test; this needs no network and no new process.
        self.page.set_content("<!doctype html><title>Blank</title>")

    def close(self) -> None:
        if self.context is not None:
            if self.tracing:
                self.context.tracing.stop()
            self.context.close()


def watch(page: Page, current: Callable[[], LiveTest | None]) -> None:
    """Record console errors, uncaught page errors and 5xx responses on the current test."""

    def on_console(message: ConsoleMessage) -> None:
        live = current()
        if live is not None and message.type == "error" and not message.text.startswith(IGNORED_CONSOLE_PREFIX):
            live.browser_problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_page_error(error: Exception) -> None:
        live = current()
        if live is not None:
            live.browser_problems.append(f"uncaught page error: {error}")

    def on_response(response: Response) -> None:
        live = current()
        if live is not None and response.status >= 500:
            live.server_responses_5xx.append(f"{response.status} {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)


def apply_timeouts(page: Page, e2e: E2EConfig) -> None:
    page.set_default_timeout(e2e.action_timeout_ms)
    page.set_default_navigation_timeout(e2e.navigation_timeout_ms)


@pytest.fixture(scope="session")
def _worker_page(
    browser: Browser, browser_context_args: dict[str, Any], e2e_config: E2EConfig,
    pytestconfig: pytest.Config,
) -> Iterator[WorkerPage]:
    expect.set_options(timeout=e2e_config.expect_timeout_ms)
    worker_page = WorkerPage(browser, browser_context_args, e2e_config,
                             tracing=pytestconfig.getoption("--tracing") != "off")
    yield worker_page
    worker_page.close()


def reuses_page(config: pytest.Config, e2e: E2EConfig) -> bool:
    """Video is recorded per context, so it needs pytest-playwright's context per test."""
    return e2e.reuse_page and config.getoption("--video") == "off"


@pytest.fixture
def page(request: pytest.FixtureRequest, live: LiveTest, e2e_config: E2EConfig,
         output_path: str) -> Iterator[Page]:
    """A page on the live server (``page.goto("/")`` works), clean at the start of the test.

    Reused across the worker's tests unless video is on or ``reuse_page = False``; then it comes
    from pytest-playwright's ``new_context`` like its own ``page`` fixture.
    """
    request.node._harness_output_path = output_path
    if not reuses_page(request.config, e2e_config):
        fresh = request.getfixturevalue("new_context")().new_page()
        watch(fresh, lambda: live)
        apply_timeouts(fresh, e2e_config)
        yield fresh
        return
    worker_page: WorkerPage = request.getfixturevalue("_worker_page")
    request.node._harness_worker_page = worker_page
    page = worker_page.begin(live, request.node.nodeid)
    try:
        yield page
    finally:
        worker_page.end()


def capture_failure(item: pytest.Item) -> list[Path]:
    """Save the failing browser test's artifacts; return their paths."""
    live: LiveTest | None = getattr(item, "_harness_live", None)
    output_path: str | None = getattr(item, "_harness_output_path", None)
    if live is None or output_path is None:
        return []
    folder = artifact_folder(output_path)
    saved: list[Path] = []
    worker_page: WorkerPage | None = getattr(item, "_harness_worker_page", None)
    if worker_page is not None:
        saved += worker_page.save_failure(folder, item.config.getoption("--screenshot") != "off")
    log = folder / "server.log"
    log.write_text(live.server_log(), encoding="utf-8")
    saved.append(log)
    if live.server_errors:
        errors = folder / "server-errors.txt"
        errors.write_text("\n\n".join(f"{e.method} {e.path}\n{e.traceback}" for e in live.server_errors),
                          encoding="utf-8")
        saved.append(errors)
    return saved


def problems_of(item: pytest.Item) -> list[str]:
    """What makes a passing browser test fail: server exceptions, 5xx answers, browser errors."""
    live: LiveTest | None = getattr(item, "_harness_live", None)
    if live is None:
        return []
    problems = list(live.browser_problems)
    if item.get_closest_marker("expect_server_error") is None:
        problems += [f"server error on {e.method} {e.path}:\n{e.traceback}" for e in live.server_errors]
        problems += [f"server answered {line}" for line in live.server_responses_5xx]
    return problems


class LoginAs(Protocol):
    def __call__(self, user: Any) -> None: ...


@pytest.fixture
def login_as(app: Flask, page: Page, live: LiveTest) -> LoginAs:
    """Log a user in by adding a signed Flask-Login session cookie to the page's context, no form."""
    from flask_login import login_user

    def _login_as(user: Any) -> None:
        # Flask-Login ties the session to the client's address and user agent; use the browser's,
        # so the login is fresh and survives SESSION_PROTECTION = "strong".
        user_agent = page.evaluate("() => navigator.userAgent")
        with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                      headers={"User-Agent": user_agent}):
            login_user(user)
            value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        page.context.add_cookies([{
            "name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live.url,
            "httpOnly": True, "sameSite": "Lax",
        }])

    return _login_as
