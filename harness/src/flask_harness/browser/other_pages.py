"""The pages ``page_as(user)`` opens: one browser context each, traced like the test's page, closed after it.

A failing test keeps, beside the page's ``trace.zip`` and ``screenshot.png``, each user's
``trace-as-user-<id>.zip`` and ``screenshot-as-user-<id>.png`` (the id is Flask-Login's ``get_id()``).
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page



@dataclass
class OtherPages:
    """The test's other users' pages, by label (``as-user-<id>``)."""

    browser: Browser
    context_args: dict[str, Any]
    trace: bool
    trace_screenshots: bool = False
    opened: list[tuple[str, BrowserContext, Page]] = field(default_factory=list)

    def open(self, user: Any) -> Page:
        label = "as-user-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", str(user.get_id()))
        context = self.browser.new_context(**self.context_args)
        if self.trace:
            context.tracing.start(title=label, screenshots=self.trace_screenshots, snapshots=True, sources=True)
        page = context.new_page()
        self.opened.append((label, context, page))
        return page

    def save_failure(self, folder: Path, screenshot: bool) -> list[Path]:
        """Keep each user's trace (and screenshot): the test failed, or the policy keeps passing traces."""
        saved: list[Path] = []
        for label, context, page in self.opened:
            if screenshot and not page.is_closed():
                page.screenshot(path=folder / f"screenshot-{label}.png", full_page=True, timeout=5_000)
                saved.append(folder / f"screenshot-{label}.png")
            if self.trace:
                context.tracing.stop(path=folder / f"trace-{label}.zip")
                saved.append(folder / f"trace-{label}.zip")
        self.trace = False  # stopped
        return saved

    def close(self) -> None:
        for _label, context, _page in self.opened:
            with suppress(Exception):  # a browser that died took its contexts with it
                context.close()
        self.opened.clear()
