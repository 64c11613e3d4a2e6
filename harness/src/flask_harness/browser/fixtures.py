"""The browser layer: pytest-playwright configured from ``playwright.config.py``, a page per worker
reused across tests, ``login_as``, and the browser's side of a failure (trace, screenshot).

Registered by the plugin only when pytest-playwright is loaded, and after it, so that these
fixtures override pytest-playwright's however the plugins were loaded.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from flask_harness.config import settings as harness_settings
from flask_harness.config.playwright_config import (
    PLAYWRIGHT_SETTINGS,
    PlaywrightSettings,
    apply_to_playwright_options,
    load_settings,
)
from flask_harness.live.fixtures import LiveTest
from flask_harness.run.artifacts import artifact_folder, attempt_folder, keep_saved, record_of
from flask_harness.run.trace_policy import RERUN_ON_FAILURE, keeps_passing_trace, records_trace

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page, Playwright

    from flask_harness.browser.other_pages import OtherPages  # noqa: F401  (the stash key's type)
    from flask_harness.browser.reused_page import WorkerPage
    from flask_harness.config.projects import Project
    from flask_harness.live.server import LiveServer
    from flask_harness.live.tls import LiveCertificate

_RETRY_SUFFIX = re.compile(r"-retry\d+$")
BROWSER_DIED = ("The browser died during this test (its process crashed or was killed, or the test closed "
                "it), so no trace or screenshot could be kept; the live server's log is. The next test "
                "gets a new browser, context and page.")
WORKER_PAGE = pytest.StashKey["WorkerPage"]()
OTHER_PAGES = pytest.StashKey["OtherPages"]()


def pytest_configure(config: pytest.Config) -> None:
    """Read playwright.config.py once; its values become the defaults of pytest-playwright's flags."""
    from flask_harness.config.projects import selected

    settings = load_settings(config.rootpath)
    config.stash[PLAYWRIGHT_SETTINGS] = settings
    apply_to_playwright_options(config, settings)
    if config.option.tracing == RERUN_ON_FAILURE and not reuses_page(config, settings):
        # pytest-playwright traces the context it makes per test (reuse_page = False, video on) and
        # knows only on, off and retain-on-failure: those pages record every attempt.
        config.option.tracing = "retain-on-failure"
    selected(settings.projects, config.getoption("--project"))  # an unknown --project is a usage error


def pytest_sessionstart(session: pytest.Session) -> None:
    """Empty the artifact folder once per run, before any worker saves failures in it."""
    config = session.config
    output = getattr(config.option, "output", None)
    if not output or hasattr(config, "workerinput"):
        return
    folder = Path(output).resolve()
    kept = {config.rootpath.resolve(), Path.cwd().resolve()}
    if any(folder == path or folder in path.parents for path in kept):
        return  # --output . (or output_dir = "") names the project itself: never delete it
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's: under xdist every worker emptied the folder at its start,
    wiping failures another worker had saved. The controller empties it once instead."""


@dataclass(frozen=True)
class ScratchFolder:
    """What pytest-playwright reads of its scratch folder: ``.name``, a ``TemporaryDirectory``'s path."""

    name: str


@pytest.fixture(scope="session")
def _pw_artifacts_folder(pytestconfig: pytest.Config) -> ScratchFolder:
    """Replaces pytest-playwright's scratch folder for videos and traces (a ``TemporaryDirectory``).

    A worker that xdist ends after Ctrl-C never cleaned that one up, and at exit Python warned about
    it (a traceback under ``filterwarnings = error``); after kill -9 it stayed for good. This one is
    in the run's folder, which the run removes at its end, or a later run once this one is dead.
    """
    settings = harness_settings.of(pytestconfig)
    folder = settings.run_folder / f"playwright-{settings.worker}"
    folder.mkdir(parents=True, exist_ok=True)
    # As pytest-playwright does: removed at the very end, after the last test's artifacts are moved out.
    pytestconfig.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    return ScratchFolder(str(folder))


@pytest.fixture(scope="session")
def playwright_settings(pytestconfig: pytest.Config) -> PlaywrightSettings:
    """The settings from ``playwright.config.py`` (read once per run)."""
    return pytestconfig.stash[PLAYWRIGHT_SETTINGS]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright_settings: PlaywrightSettings,
                             playwright: Playwright, browser_name: str,
                             live_certificate: LiveCertificate | None) -> dict[str, Any]:
    """pytest-playwright's launch options over the config file's, with a browser binary discovered."""
    from flask_harness.browser.binary import BrowserNotFound, find_executable
    from flask_harness.browser.remote import endpoint

    args: dict[str, Any] = {"headless": playwright_settings.headless}
    if playwright_settings.slow_mo_ms:
        args["slow_mo"] = playwright_settings.slow_mo_ms
    remote = endpoint(playwright_settings) is not None  # the server's machine has the browser
    if browser_name == "chromium" and "channel" not in browser_type_launch_args and not remote:
        try:
            executable = find_executable(playwright_settings.executable_path, playwright.chromium.executable_path)
        except BrowserNotFound as exc:
            raise pytest.UsageError(str(exc)) from None
        if executable:
            args["executable_path"] = executable
        args["args"] = list(playwright_settings.chromium_args)
    if browser_name == "chromium" and live_certificate is not None and not remote:
        args["args"] = [*args.get("args", []), *live_certificate.chromium_args]  # trusts this certificate only
    return {**args, **browser_type_launch_args}


# pytest-playwright's fixtures that need a browser: a test using one runs once per project.
BROWSER_FIXTURES = ("page", "context", "new_context", "browser", "browser_type", "browser_name")


@pytest.hookimpl(trylast=True)  # after pytest-playwright has parametrized browser_name
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With projects in playwright.config.py, each browser test runs once per (selected) project."""
    from flask_harness.config.projects import selected

    settings = metafunc.config.stash[PLAYWRIGHT_SETTINGS]
    if not settings.projects or not any(name in metafunc.fixturenames for name in BROWSER_FIXTURES):
        return
    chosen = selected(settings.projects, metafunc.config.getoption("--project"))
    if "flask_harness_project" not in metafunc.fixturenames:
        metafunc.fixturenames.append("flask_harness_project")
    metafunc.parametrize("flask_harness_project", chosen, ids=[project.name for project in chosen],
                         scope="session", indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each project's test on its own browser (pytest-playwright parametrizes every browser)."""
    def mismatched(item: pytest.Item) -> bool:
        params = getattr(getattr(item, "callspec", None), "params", {})
        project = params.get("flask_harness_project")
        return project is not None and params.get("browser_name", project.browser) != project.browser

    items[:] = [item for item in items if not mismatched(item)]


@pytest.fixture(scope="session")
def flask_harness_project(request: pytest.FixtureRequest) -> Project | None:
    """The project this test runs in (``playwright.config.py``'s ``projects``), or None without projects."""
    return getattr(request, "param", None)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], playwright_settings: PlaywrightSettings,
                         live_server: LiveServer, flask_harness_project: Project | None,
                         playwright: Playwright, browser_name: str, live_certificate: LiveCertificate | None,
                         ) -> dict[str, Any]:
    """Viewport, locale and timezone from the config file, then the project's (its device's, its own);
    ``base_url`` is the live server."""
    from flask_harness.browser.remote import endpoint

    project = flask_harness_project.context_args(playwright.devices) if flask_harness_project else {}
    tls: dict[str, Any] = {}
    if live_certificate is not None and (browser_name != "chromium" or endpoint(playwright_settings) is not None):
        tls = {"ignore_https_errors": True}  # only Chromium launched here can be told to trust one certificate
    return {**playwright_settings.context_args(), **project, **tls, "base_url": live_server.url,
            **browser_context_args}


@pytest.fixture(scope="session")
def _worker_page(browser: Browser, browser_context_args: dict[str, Any], playwright_settings: PlaywrightSettings,
                 pytestconfig: pytest.Config, launch_browser: Callable[[], Browser]) -> Iterator[WorkerPage]:
    from playwright.sync_api import expect

    from flask_harness.browser.reused_page import WorkerPage

    expect.set_options(timeout=playwright_settings.expect_timeout_ms)
    worker_page = WorkerPage(browser, browser_context_args, playwright_settings,
                             tracing=pytestconfig.getoption("--tracing") != "off", launch=launch_browser)
    yield worker_page
    worker_page.close()


def reuses_page(config: pytest.Config, settings: PlaywrightSettings) -> bool:
    """Video is recorded per context, so it needs pytest-playwright's context per test."""
    return settings.reuse_page and config.getoption("--video") == "off"


@pytest.fixture
def page(request: pytest.FixtureRequest, live: LiveTest, playwright_settings: PlaywrightSettings,
         output_path: str) -> Iterator[Page]:
    """A page on the live server (``page.goto("/")`` works), clean at the start of the test.

    Reused across the worker's tests unless video is on or ``reuse_page = False``; then it comes
    from pytest-playwright's ``new_context``, like its own ``page`` fixture.
    """
    from flask_harness.browser.page_watch import watch
    from flask_harness.browser.reused_page import apply_timeouts, block_third_party

    record = record_of(request.node)
    record.test_folder = Path(output_path)
    if not reuses_page(request.config, playwright_settings):
        context = request.getfixturevalue("new_context")()
        block_third_party(context, playwright_settings, live.url, lambda: live)
        fresh = context.new_page()
        record.environment["browser"] = _browser_of(request, context.browser, playwright_settings)
        watch(fresh, lambda: live, playwright_settings)
        apply_timeouts(fresh, playwright_settings)
        yield fresh
        return
    worker_page: WorkerPage = request.getfixturevalue("_worker_page")
    request.node.stash[WORKER_PAGE] = worker_page
    page = worker_page.begin(live, request.node.nodeid, trace=records_trace(request.node))
    record.environment["browser"] = _browser_of(request, worker_page.browser, playwright_settings)
    try:
        yield page
    finally:
        worker_page.end()


def _browser_of(request: pytest.FixtureRequest, browser: Browser | None, settings: PlaywrightSettings) -> str:
    """The browser's name and version, and its binary (or the remote endpoint), for the report."""
    from flask_harness.browser.remote import endpoint

    if browser is None:
        return "unknown"
    remote = endpoint(settings)
    where = f"remote: {remote}" if remote else (
        request.getfixturevalue("browser_type_launch_args").get("executable_path")
        or browser.browser_type.executable_path)
    return f"{browser.browser_type.name} {browser.version} ({where})"


@pytest.fixture
def output_path(output_path: str, request: pytest.FixtureRequest) -> str:
    """pytest-playwright's folder for the test, with ``attempt-N/`` inside it when retries are on."""
    test_folder = Path(_RETRY_SUFFIX.sub("", output_path))
    return str(attempt_folder(request.node, test_folder))


@pytest.hookimpl(tryfirst=True)
def pytest_flask_harness_report(item: pytest.Item, report: Any) -> None:
    """The browser's side: a failing test keeps its trace and a full-page screenshot; a passing
    attempt keeps its trace when the trace policy says so (``on``, ``on-first-retry``, retries).

    First of the wings, so the live server's side lists these files too.
    """
    worker_page = item.stash.get(WORKER_PAGE, None)
    other_pages = item.stash.get(OTHER_PAGES, None)
    if report.when != "call" or (worker_page is None and other_pages is None) or not record_of(item).has_artifacts:
        return
    if report.failed and worker_page is not None and worker_page.browser_died():
        report.sections.append(("flask-harness browser", BROWSER_DIED))
        return
    if report.failed:
        screenshot, trouble = item.config.getoption("--screenshot") != "off", "could not save them"
    elif keeps_passing_trace(item):
        screenshot, trouble = False, "could not save the trace"
    else:
        return
    for pages in (worker_page, other_pages):
        try:
            if pages is not None:
                keep_saved(item, pages.save_failure(artifact_folder(item), screenshot=screenshot))
        except Exception as exc:  # a broken page must neither hide the test's own failure nor fail a passing test
            report.sections.append(("flask-harness browser artifacts", f"{trouble}: {exc!r}"))


class LoginAs(Protocol):
    """``login_as(user)``: log ``user`` in on the page's browser context."""

    def __call__(self, user: Any) -> None: ...


class PageAs(Protocol):
    """``page_as(user)``: a page of its own, in a browser context of its own, logged in as ``user``."""

    def __call__(self, user: Any) -> Page: ...


def log_in(app: Flask, page: Page, live: LiveTest, user: Any) -> None:
    """Add a signed Flask-Login session cookie for ``user`` to the page's context, no form."""
    from flask import session
    from flask.sessions import SecureCookieSessionInterface
    from flask_login import login_user

    # Flask-Login ties the session to the client's address and user agent; use the browser's,
    # so the login is fresh and survives SESSION_PROTECTION = "strong".
    user_agent = page.evaluate("() => navigator.userAgent")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": user_agent}):
        login_user(user)
        interface = app.session_interface
        if not isinstance(interface, SecureCookieSessionInterface):
            raise pytest.UsageError("login_as and page_as need Flask's cookie sessions")
        serializer = interface.get_signing_serializer(app)
        if serializer is None:
            raise pytest.UsageError("login_as and page_as need the app's SECRET_KEY")
        value = serializer.dumps(dict(session))
    page.context.add_cookies([{
        "name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live.url,
        "httpOnly": True, "sameSite": "Lax",
    }])


@pytest.fixture
def login_as(app: Flask, page: Page, live: LiveTest) -> LoginAs:
    """Log a user in by adding a signed Flask-Login session cookie to the page's context, no form."""
    return lambda user: log_in(app, page, live, user)


@pytest.fixture
def page_as(request: pytest.FixtureRequest, app: Flask, live: LiveTest, browser_context_args: dict[str, Any],
            playwright_settings: PlaywrightSettings) -> Iterator[PageAs]:
    """``page_as(user)``: another page, in a fresh browser context, logged in as ``user`` (as ``login_as``).

    On the same live server and inside the same rolled-back transaction as ``page``: what one user
    does, the other sees. Watched like ``page`` (console errors, 5xx), traced by the same policy
    (a failing test keeps each user's trace and screenshot), and closed after the test.
    """
    from flask_harness.browser.other_pages import OtherPages
    from flask_harness.browser.page_watch import watch
    from flask_harness.browser.reused_page import apply_timeouts, block_third_party

    browser = (request.getfixturevalue("_worker_page").browser if reuses_page(request.config, playwright_settings)
               else request.getfixturevalue("browser"))  # the reused page's, relaunched if it died
    pages = request.node.stash[OTHER_PAGES] = OtherPages(
        browser, browser_context_args, trace=records_trace(request.node),
        trace_screenshots=playwright_settings.trace_screenshots)

    def _page_as(user: Any) -> Page:
        other = pages.open(user)
        block_third_party(other.context, playwright_settings, live.url, lambda: live)
        watch(other, lambda: live, playwright_settings)
        apply_timeouts(other, playwright_settings)
        log_in(app, other, live, user)
        return other

    try:
        yield _page_as
    finally:
        pages.close()
