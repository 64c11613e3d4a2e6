"""The ``clock`` fixture: time frozen and moved for the server and the browser at once.

The server's side is time-machine: Python's clock in every thread of the process (the live server's
included), so ``datetime.now()``, ``time.time()``, token expiry and signed-cookie ages all see it;
``time.monotonic()`` keeps running, so timeouts still work. The browser's side is Playwright's
clock: ``Date`` in the test's ``page`` (and in any page given to ``clock.attach``) shows the same
time, while the page's timers keep running.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page


class Clock:
    """``clock.set(when)``, ``clock.advance(hours=25)``, ``clock.now()``: the same frozen time everywhere."""

    def __init__(self, start: datetime) -> None:
        import time_machine

        self._now = start
        self._traveller = time_machine.travel(start, tick=False)
        self._coordinates = self._traveller.start()
        self._pages: list[Page] = []

    def now(self) -> datetime:
        """The frozen time, aware (UTC unless ``set`` was given another zone)."""
        return self._now

    def set(self, when: datetime | str) -> None:
        """Freeze every clock at ``when``: an aware datetime or an ISO 8601 string ("2026-01-01T09:00Z")."""
        moment = datetime.fromisoformat(when) if isinstance(when, str) else when
        if moment.tzinfo is None:
            raise ValueError(f"clock.set needs a time with its zone (for example {moment.isoformat()}Z), got {when!r}")
        self._move(moment)

    def advance(self, delta: timedelta | None = None, **parts: float) -> None:
        """Move every clock forward: ``clock.advance(hours=25)`` or ``clock.advance(timedelta(...))``."""
        self._move(self._now + (delta or timedelta()) + timedelta(**parts))

    def attach(self, page: Page) -> None:
        """Show this clock's time in another page (one from ``page_as``, say); ``page`` is attached already."""
        page.clock.set_fixed_time(self._now)
        self._pages.append(page)

    def _move(self, moment: datetime) -> None:
        self._now = moment
        self._coordinates.move_to(moment, tick=False)
        for page in self._pages:
            if not page.is_closed():
                page.clock.set_fixed_time(moment)

    def stop(self) -> None:
        self._traveller.stop()


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
    """Frozen time for the server (time-machine) and the test's ``page`` (Playwright's clock) at once.

    Starts frozen at the real now; ``clock.set("2026-01-01T09:00Z")``, ``clock.advance(hours=25)``.
    Back to the real time after the test. Without Playwright (or without ``page``), only the server's.
    """
    if importlib.util.find_spec("time_machine") is None:
        raise pytest.UsageError("The clock fixture needs time-machine: pip install 'pytest-flask-harness[clock]'")
    moment = Clock(datetime.now(UTC).replace(microsecond=0))
    try:
        if "page" in request.fixturenames:
            moment.attach(request.getfixturevalue("page"))
        yield moment
    finally:
        moment.stop()
