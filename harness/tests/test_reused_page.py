"""The page reused across a worker's tests: what a test changes is gone before the next one."""

from __future__ import annotations

import pytest

from apps_live import make_project

REUSED = """
pages = []


def test_0_adds_a_cookie_for_the_live_server_without_visiting_it(page, live):
    pages.append(page)  # what login_as does: only the cookie jar knows the live server's origin
    page.context.add_cookies([{"name": "session", "value": "alice", "url": live.url}])


def test_0_then_the_next_test_has_no_cookie(page):
    assert page is pages[0]
    assert page.context.cookies() == []


def test_1_changes_what_it_can(page, live):
    page.goto("/")
    page.context.add_cookies([{"name": "flavour", "value": "oat", "url": live.url}])
    page.evaluate("localStorage.setItem('draft', 'unsaved'); sessionStorage.setItem('tab', 'open')")
    page.route("**/notes/*", lambda route: route.fulfill(body="<h1>intercepted</h1>", content_type="text/html"))
    page.context.route("**/nowhere", lambda route: route.fulfill(body="<h1>intercepted</h1>",
                                                                 content_type="text/html"))
    page.set_viewport_size({"width": 400, "height": 300})
    assert page.goto("/notes/1").status == 200


def test_2_gets_the_same_page_clean(page):
    assert page is pages[0]
    assert page.context.cookies() == []
    page.goto("/")
    assert page.evaluate("[localStorage.getItem('draft'), sessionStorage.getItem('tab')]") == [None, None]
    assert page.viewport_size == {"width": 1280, "height": 800}
    assert page.evaluate("window.innerWidth") == 1280
    assert page.goto("/notes/1").status == 404  # the app's answer, not the route's
    assert page.goto("/nowhere").status == 404


def test_3_adds_a_listener(page):
    assert page is pages[0]
    page.on("dialog", lambda dialog: dialog.dismiss())


def test_4_gets_a_new_context(page):
    assert page is not pages[0]
    assert page.context is not pages[0].context
    assert pages[0].is_closed()


def test_5_opens_more_pages(page):
    page.goto("/")
    with page.expect_popup() as popup:
        page.evaluate("window.open('/')")
    popup.value.wait_for_load_state()
    page.context.new_page().goto(page.url)
    assert len(page.context.pages) == 3


def test_6_gets_only_its_own_page(page):
    assert page.context.pages == [page]


def test_7_stops_the_clock(page):
    page.clock.set_fixed_time("2001-02-03T04:05:06Z")
    page.goto("/")
    assert page.evaluate("new Date().getUTCFullYear()") == 2001


def test_8_gets_the_real_time(page):
    page.goto("/")
    assert page.evaluate("new Date().getUTCFullYear()") > 2001


GEOLOCATION = "navigator.permissions.query({name: 'geolocation'}).then(status => status.state)"


def test_9_grants_a_permission(page, live):
    page.context.grant_permissions(["geolocation"], origin=live.url)
    page.goto("/")
    assert page.evaluate(GEOLOCATION) == "granted"


def test_9_then_the_next_test_must_ask_again(page):
    page.goto("/")
    assert page.evaluate(GEOLOCATION) == "prompt"
"""


def test_a_reused_page_is_cleared_and_a_tainted_context_replaced(pytester: pytest.Pytester,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_reused=REUSED)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=12)
