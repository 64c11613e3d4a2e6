"""One browser page per worker, reused across tests: cleared after each, replaced when it cannot be.

pytest-playwright gives every test a new context and page (~180 ms); reusing one and clearing
what a test can leave behind costs a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from flask_harness.browser.page_watch import watch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, Route

    from flask_harness.config.playwright_config import PlaywrightSettings
    from flask_harness.live.fixtures import LiveTest

RESETTABLE = ("set_viewport_size", "emulate_media", "set_extra_http_headers", "set_offline",
              "set_geolocation", "set_default_timeout", "set_default_navigation_timeout", "grant_permissions")
# ... routes, on the page or the context: removed after a test that touched any (the third-party
# block is put back); a test that touched none costs no round trip for them.
ROUTING = ("route", "unroute", "unroute_all", "route_web_socket")
# ... or not undoable: the context is replaced after a test that used any of these.
TAINTING = ("add_init_script", "expose_binding", "expose_function", "on", "once", "route_from_har",
            "add_locator_handler", "set_http_credentials")
# ... and so is any use of the fake clock (``page.clock``, shared by the context): it has no uninstall.
CLOCK_METHODS = ("install", "fast_forward", "pause_at", "resume", "run_for", "set_fixed_time", "set_system_time")
BLANK = "<!doctype html><title>Blank</title>"
BLANK_AND_CLEAR_SESSION = """html => {
  sessionStorage.clear();
  document.open();
  document.write(html);
  document.close();
}"""


class WorkerPage:
    """One context and page per worker; each test gets it clean, failures keep their artifacts.

    After a test: other pages it opened are closed; cookies and the storage of every origin it
    visited are cleared, and the permissions and routes it added removed; settings it changed are
    reset; and if it used something that cannot be undone (init scripts, exposed functions, its own
    event listeners) or cleaning fails, the context is replaced. A browser that died is replaced
    (``launch``) before the next test.
    """

    def __init__(self, browser: Browser, context_args: dict[str, Any], settings: PlaywrightSettings,
                 tracing: bool, launch: Callable[[], Browser] | None = None) -> None:
        self.browser = browser
        self.launch = launch  # a new browser when this one died (pytest-playwright's launch_browser)
        self.launched: list[Browser] = []  # the browsers this page launched, closed with it
        self.context_args = context_args
        self.settings = settings
        self.tracing = tracing
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.live: LiveTest | None = None
        self.replaced = 0  # how many times a context was thrown away (tests read it)
        self._chunk_open = False
        self._used: set[str] = set()
        self._origins: set[str] = set()
        self._cdp: CDPSession | None = None  # Chromium: one session per page, to clear origins' storage

    def begin(self, live: LiveTest, title: str, trace: bool = True) -> Page:
        """Hand the page to a test; problems it meets are recorded on ``live``; ``trace``: this attempt's."""
        if not self.browser.is_connected():
            self._replace_browser()
        if self.page is None or self.page.is_closed():
            try:
                self._open()
            except Exception:
                if self.browser.is_connected():
                    raise
                self._replace_browser()  # it died since the last test, unnoticed until now
                self._open()
        assert self.context is not None
        assert self.page is not None
        self.live = live
        if self.tracing and trace:
            self.context.tracing.start_chunk(title=title)
            self._chunk_open = True
        return self.page

    def _open(self) -> None:
        if self.context is None:
            self.context = self.browser.new_context(**self.context_args)
            if self.tracing:
                # DOM snapshots make the trace; screencast frames cost ~150 ms a test.
                self.context.tracing.start(screenshots=self.settings.trace_screenshots, snapshots=True,
                                           sources=True)
                # start() opens a chunk too: closed at once, so that a test that records no trace
                # pays for none (an open chunk takes DOM snapshots of every action, ~20 ms a navigation).
                self.context.tracing.stop_chunk()
            block_third_party(self.context, self.settings, self.context_args["base_url"], lambda: self.live)
            self._record_use(self.context)
        self.page = self.context.new_page()
        watch(self.page, lambda: self.live, self.settings)
        self.page.on("framenavigated", lambda frame: self._origins.add(_origin(frame.url)))
        apply_timeouts(self.page, self.settings)
        self._record_use(self.page)

    def _record_use(self, target: Page | BrowserContext) -> None:
        """Wrap the target's state-changing methods so that end() knows what the test touched."""
        for name in (*RESETTABLE, *TAINTING):
            self._wrap(target, name, name)
        for name in ROUTING:
            self._wrap(target, name, "route")
        for name in CLOCK_METHODS:
            self._wrap(target.clock, name, "clock")

    def _wrap(self, owner: Any, name: str, use: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._used.add(use)
            return original(*args, **kwargs)

        setattr(owner, name, wrapper)

    def save_failure(self, folder: Path, screenshot: bool) -> list[Path]:
        """Keep the trace and a full-page screenshot of the failing test."""
        saved: list[Path] = []
        self._stop_loading()
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
            if self.context is None or self.page is None or self.page.is_closed() or used & {*TAINTING, "clock"}:
                raise _NotReusable
            self._stop_loading()
            self._clean(self.context, self.page, used)
        except Exception:
            self._discard()

    def _clean(self, context: BrowserContext, page: Page, used: set[str]) -> None:
        for other in context.pages:  # popups and pages the test opened would live on into the next test
            if other != page:
                other.close()
        context.clear_cookies()  # always: login_as adds cookies for an origin the page never visited
        if "route" in used:
            page.unroute_all(behavior="ignoreErrors")
            context.unroute_all(behavior="ignoreErrors")
            block_third_party(context, self.settings, self.context_args["base_url"], lambda: self.live)
        if "grant_permissions" in used:
            context.clear_permissions()
            if self.context_args.get("permissions"):  # the configured ones stay
                context.grant_permissions(self.context_args["permissions"])
        if used & {"set_extra_http_headers"}:
            page.set_extra_http_headers({})
            context.set_extra_http_headers({})
        if "set_offline" in used:
            context.set_offline(False)
        if "set_geolocation" in used:
            context.set_geolocation(None)
        if "set_viewport_size" in used:
            page.set_viewport_size(dict(self.settings.viewport))  # type: ignore[arg-type]
        if "emulate_media" in used:
            page.emulate_media(media="null", color_scheme="null", reduced_motion="null", forced_colors="null")
        if used & {"set_default_timeout", "set_default_navigation_timeout"}:
            apply_timeouts(page, self.settings)
            context.set_default_timeout(self.settings.action_timeout_ms)
            context.set_default_navigation_timeout(self.settings.navigation_timeout_ms)
        self._clear_origins(context, page)
        # Blank the page without leaving the origin: goto("about:blank") swaps renderer processes
        # and costs ~75 ms a test; this needs no network and no new process. On a page of a site,
        # one call also empties the tab's sessionStorage.
        if page.url.startswith("http"):
            page.evaluate(BLANK_AND_CLEAR_SESSION, BLANK)
        else:
            page.set_content(BLANK)
        self._used.clear()  # the harness's own calls above are not the next test's

    def _clear_origins(self, context: BrowserContext, page: Page) -> None:
        """localStorage, IndexedDB, caches… of every origin the test visited."""
        origins, self._origins = {o for o in self._origins if o.startswith("http")}, set()
        if self.browser.browser_type.name == "chromium":
            for origin in origins:
                self._cdp_session().send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        elif page.url.startswith("http"):
            page.evaluate("() => localStorage.clear()")

    def _stop_loading(self) -> None:
        """Stop a navigation still waiting for its answer (a view that hangs), as the browser's stop button.

        Until it ends, Playwright's ``evaluate`` and screenshots wait for it, without a timeout for
        ``evaluate``. Chromium only (one CDP call, under a millisecond); other browsers keep waiting.
        """
        if self.browser.browser_type.name == "chromium" and self.page is not None and not self.page.is_closed():
            self._cdp_session().send("Page.stopLoading")

    def _cdp_session(self) -> CDPSession:
        """Chromium: the page's CDP session, opened on first use (it goes with its page)."""
        if self._cdp is None:
            assert self.context is not None
            assert self.page is not None
            self._cdp = self.context.new_cdp_session(self.page)
        return self._cdp

    def _discard(self) -> None:
        """Throw the context away; the next test gets a new one."""
        context, self.context, self.page = self.context, None, None
        self._cdp = None  # it goes with its page
        self._used = set()
        self._chunk_open = False
        self._origins = set()
        self.replaced += 1
        if context is not None:
            with suppress(Exception):  # already gone with a crashed browser: nothing left to clean
                context.close()

    def browser_died(self) -> bool:
        """Whether the browser is gone (its process crashed or was killed, or a test closed it)."""
        return not self.browser.is_connected()

    def _replace_browser(self) -> None:
        """Launch a new browser in place of the dead one; its contexts died with it."""
        if self.launch is None:
            raise RuntimeError("The browser died and this page cannot launch another one.")
        self.context, self.page, self._cdp, self._chunk_open = None, None, None, False
        self._used, self._origins = set(), set()
        self.browser = self.launch()
        self.launched.append(self.browser)

    def close(self) -> None:
        if self.context is not None and not self.browser_died():
            if self.tracing:
                self.context.tracing.stop()
            self.context.close()
        for browser in self.launched:
            with suppress(Exception):  # one that died too is already closed
                browser.close()


class _NotReusable(Exception):
    """The page cannot be handed to another test."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def block_third_party(context: BrowserContext, settings: PlaywrightSettings, live_url: str,
                      current: Callable[[], LiveTest | None]) -> None:
    """Abort every request to a host other than the live server, when the settings say so; a host
    mapped to a folder is served from it. What was aborted is recorded on the current test."""
    if not settings.blocks_third_party:
        return
    folders = settings.vendor_folders

    def handle(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        folder = folders.get((parts.hostname or "").lower())
        if folder is not None:
            file = (folder / unquote(parts.path).lstrip("/")).resolve()
            if file.is_file() and file.is_relative_to(folder):
                route.fulfill(path=file)  # its content type from the file's extension
                return
        route.abort("blockedbyclient")
        live = current()
        if live is not None:
            live.aborted_requests.append(url if folder is None else f"{url} (missing from the vendor folder: {file})")

    context.route(re.compile(rf"^(?!{re.escape(live_url)}/)https?://"), handle)


def apply_timeouts(page: Page, settings: PlaywrightSettings) -> None:
    page.set_default_timeout(settings.action_timeout_ms)
    page.set_default_navigation_timeout(settings.navigation_timeout_ms)


