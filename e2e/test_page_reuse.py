"""The reused page: what a test changes is reset, what cannot be reset gets a new context.

Pairs run twice (attempt 1, 2) on one worker: whichever runs second proves the first left nothing.
"""

from __future__ import annotations

import re

import pytest
from flask_harness.browser.reused_page import WorkerPage
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("isolation-pairs")]
ATTEMPTS = pytest.mark.parametrize("attempt", [1, 2])
OTHER_ORIGIN = "http://localhost"


@ATTEMPTS
def test_viewport_media_and_headers_are_reset(page: Page, attempt: int) -> None:
    page.goto("/about")
    assert page.viewport_size == {"width": 1280, "height": 800}
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches") is False

    page.set_viewport_size({"width": 400, "height": 300})
    page.emulate_media(color_scheme="dark")
    page.set_extra_http_headers({"X-Leak": "yes"})


@ATTEMPTS
def test_indexeddb_and_other_origins_storage_are_cleared(page: Page, live, attempt: int) -> None:
    other = live.url.replace("http://127.0.0.1", OTHER_ORIGIN)
    page.goto(f"{other}/about")
    assert page.evaluate("() => localStorage.getItem('leak')") is None
    page.goto("/about")
    databases = page.evaluate("async () => (await indexedDB.databases()).map(d => d.name)")
    assert databases == []

    page.evaluate("""() => new Promise(done => {
        const request = indexedDB.open('leaky', 1);
        request.onsuccess = () => { request.result.close(); done(); };
    })""")
    page.goto(f"{other}/about")
    page.evaluate("() => localStorage.setItem('leak', 'yes')")


@ATTEMPTS
def test_init_scripts_do_not_outlive_their_test(page: Page, attempt: int) -> None:
    page.goto("/about")
    assert page.evaluate("() => window.leakedFromInitScript") is None

    page.add_init_script("window.leakedFromInitScript = 'yes'")
    page.goto("/about")
    assert page.evaluate("() => window.leakedFromInitScript") == "yes"


@ATTEMPTS
def test_a_test_ending_mid_navigation_leaks_no_login(page: Page, login_as, db, attempt: int) -> None:
    from factories import UserFactory

    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))

    login_as(UserFactory())
    page.goto("/about")
    page.evaluate("() => { location.href = '/dashboard' }")  # the test ends while this navigates


def test_a_tainted_context_is_replaced(request: pytest.FixtureRequest, page: Page) -> None:
    worker_page: WorkerPage = request.getfixturevalue("_worker_page")
    before = worker_page.replaced
    page.goto("/about")

    page.on("dialog", lambda dialog: dialog.dismiss())
    worker_page.end()

    assert worker_page.replaced == before + 1
    assert worker_page.page is None
