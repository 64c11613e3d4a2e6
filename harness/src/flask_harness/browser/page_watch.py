"""The page watch: what a page meets that fails the test, reused page or not.

Console errors (those ``allowed_console_messages`` does not allow), uncaught page errors, and 5xx
responses are recorded on the current test's ``LiveTest``; ``live.fixtures`` fails the test on them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Response

    from flask_harness.config.playwright_config import PlaywrightSettings
    from flask_harness.live.fixtures import LiveTest

IGNORED_CONSOLE_PREFIX = "Failed to load resource: the server responded with a status of 4"
# How Chromium reports a 5xx answer in the console; expected under the expect_server_error marker.
SERVER_ERROR_CONSOLE_PREFIX = "Failed to load resource: the server responded with a status of 5"

# What a test may change on the reused page: reset after the test if it was used ...

def _is_failure(message: ConsoleMessage, settings: PlaywrightSettings, live: LiveTest) -> bool:
    """Whether a console message fails the test: errors, but not those the settings allow."""
    if message.type != "error" or settings.allows_console(message.text):
        return False
    if message.text.startswith((IGNORED_CONSOLE_PREFIX, SERVER_ERROR_CONSOLE_PREFIX)):
        return False  # a 4xx is the app's answer; a 5xx is caught from the response itself
    blocked = settings.blocks_third_party and not message.location.get("url", "").startswith(live.url)
    return not (blocked and message.text.startswith("Failed to load resource"))


def watch(page: Page, current: Callable[[], LiveTest | None], settings: PlaywrightSettings) -> None:
    """Record console errors, uncaught page errors and 5xx responses on the current test."""

    def on_console(message: ConsoleMessage) -> None:
        live = current()
        if live is not None and _is_failure(message, settings, live):
            live.browser_problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_page_error(error: Exception) -> None:
        live = current()
        # The allow-list covers page errors too: a script blocked by third_party = "block"
        # leaves "moment is not defined" behind; the failure names the aborted requests.
        if live is not None and not settings.allows_console(str(error)):
            live.browser_problems.append(f"uncaught page error: {error}")

    def on_response(response: Response) -> None:
        live = current()
        if live is not None and response.status >= 500:
            live.server_responses_5xx.append(f"{response.status} {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
