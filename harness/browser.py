"""The browser fixtures: pytest-playwright configured from playwright.config.py, and a page per
worker reused across tests with its state cleared, artifacts captured only for failing tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Response, expect

from harness.browsers import BrowserNotFound, find_executable
from harness.e2e_config import E2EConfig, load_config
from harness.live import LiveTest, artifact_folder

IGNORED_CONSOLE_PREFIX = "Failed to load resource: the server responded with a status of 4"
# How Chromium reports a 5xx answer in the console; expected under the expect_server_error marker.
SERVER_ERROR_CONSOLE_PREFIX = "console error: Failed to load resource: the server responded with a status of 5"


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's: under xdist every worker emptied the folder at its start,
    wiping failures another worker had already saved. The controller empties it once (plugin.py)."""


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


# What a test may change on the reused page: reset after the test if it was used ...
RESETTABLE = ("set_viewport_size", "emulate_media", "set_extra_http_headers", "set_offline",
              "set_geolocation", "set_default_timeout", "set_default_navigation_timeout")
# ... or not undoable: the context is replaced after a test that used any of these.
TAINTING = ("add_init_script", "expose_binding", "expose_function", "on", "once", "route_from_har",
            "add_locator_handler", "set_http_credentials")
BLANK = "<!doctype html><title>Blank</title>"


class WorkerPage:
    """One context and page per worker; each test gets it clean, failures keep their artifacts.

    After a test: cookies, storage of every origin it visited, permissions and routes are cleared;
    settings it changed are reset; and if it used something that cannot be undone (init scripts,
    exposed functions, its own event listeners) or cleaning fails, the context is replaced.
    """

    def __init__(self, browser: Browser, context_args: dict[str, Any], e2e: E2EConfig,
                 tracing: bool) -> None:
        self.browser = browser
        self.context_args = context_args
        self.e2e = e2e
        self.tracing = tracing
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.live: LiveTest | None = None
        self.replaced = 0  # how many times a context was thrown away (tests read it)
        self._chunk_open = False
        self._used: set[str] = set()
        self._origins: set[str] = set()

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
            self._record_use(self.context)
        self.page = self.context.new_page()
        watch(self.page, lambda: self.live)
        self.page.on("framenavigated", lambda frame: self._origins.add(_origin(frame.url)))
        apply_timeouts(self.page, self.e2e)
        self._record_use(self.page)

    def _record_use(self, target: Page | BrowserContext) -> None:
        """Wrap the target's state-changing methods so that end() knows what the test touched."""
        for name in (*RESETTABLE, *TAINTING):
            original = getattr(target, name, None)
            if original is None:
                continue

            def wrapper(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
                self._used.add(_name)
                return _original(*args, **kwargs)

            setattr(target, name, wrapper)

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
        """Forget the test; replace the context if it cannot be cleaned completely."""
        self.live = None
        used, self._used = self._used, set()
        try:
            if self._chunk_open and self.context is not None:
                self._chunk_open = False
                self.context.tracing.stop_chunk()
            if self.context is None or self.page is None or self.page.is_closed() or used & set(TAINTING):
                raise _NotReusable
            self._clean(self.context, self.page, used)
        except Exception:
            self._discard()

    def _clean(self, context: BrowserContext, page: Page, used: set[str]) -> None:
        context.clear_cookies()
        page.unroute_all(behavior="ignoreErrors")
        context.unroute_all(behavior="ignoreErrors")
        context.clear_permissions()
        if used & {"set_extra_http_headers"}:
            page.set_extra_http_headers({})
            context.set_extra_http_headers({})
        if "set_offline" in used:
            context.set_offline(False)
        if "set_geolocation" in used:
            context.set_geolocation(None)
        if "set_viewport_size" in used:
            page.set_viewport_size(dict(self.e2e.viewport))  # type: ignore[arg-type]
        if "emulate_media" in used:
            page.emulate_media(media="null", color_scheme="null", reduced_motion="null", forced_colors="null")
        if used & {"set_default_timeout", "set_default_navigation_timeout"}:
            apply_timeouts(page, self.e2e)
            context.set_default_timeout(self.e2e.action_timeout_ms)
            context.set_default_navigation_timeout(self.e2e.navigation_timeout_ms)
        if page.url.startswith("http"):
            page.evaluate("() => sessionStorage.clear()")
        self._clear_origins(context, page)
        # Blank the page without leaving the origin: goto("about:blank") swaps renderer processes
        # and costs ~75 ms a test; this needs no network and no new process.
        page.set_content(BLANK)

    def _clear_origins(self, context: BrowserContext, page: Page) -> None:
        """localStorage, IndexedDB, caches… of every origin the test visited."""
        origins, self._origins = {o for o in self._origins if o.startswith("http")}, set()
        if self.browser.browser_type.name == "chromium":
            session = context.new_cdp_session(page)
            try:
                for origin in origins:
                    session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            finally:
                session.detach()
        elif page.url.startswith("http"):
            page.evaluate("() => localStorage.clear()")

    def _discard(self) -> None:
        """Throw the context away; the next test gets a new one."""
        context, self.context, self.page = self.context, None, None
        self._chunk_open = False
        self._origins = set()
        self.replaced += 1
        if context is not None:
            with suppress(Exception):  # already gone with a crashed browser: nothing left to clean
                context.close()

    def close(self) -> None:
        if self.context is not None:
            if self.tracing:
                self.context.tracing.stop()
            self.context.close()


class _NotReusable(Exception):
    """The page cannot be handed to another test."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


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
    else:
        problems = [p for p in problems if not p.startswith(SERVER_ERROR_CONSOLE_PREFIX)]
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
            interface = app.session_interface
            assert isinstance(interface, SecureCookieSessionInterface), "login_as needs Flask's cookie sessions"
            serializer = interface.get_signing_serializer(app)
            assert serializer is not None, "login_as needs a SECRET_KEY"
            value = serializer.dumps(dict(session))
        page.context.add_cookies([{
            "name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live.url,
            "httpOnly": True, "sameSite": "Lax",
        }])

    return _login_as
