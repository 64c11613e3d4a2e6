"""The page reused across tests leaks nothing from one test into the next.

Each check is a pair (``attempt`` 1 and 2) that first asserts the state is clean, then dirties it.
Whichever attempt runs second, in any order, proves that the first one left nothing behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, Route, expect

from e2e.pages.dashboard import DashboardPage
from e2e.pages.nav import AboutPage, HomePage
from factories import UploadFactory, UserFactory

# Each pair must run on one worker, or the second attempt proves nothing about the first.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("isolation-pairs")]

ATTEMPTS = pytest.mark.parametrize("attempt", [1, 2])


def api_json(page: Page, path: str) -> Any:
    """Open a JSON endpoint in the page, as a user typing its address would, and parse it."""
    response = page.goto(path)
    assert response is not None, f"GET {path} got no response"
    assert response.ok, f"GET {path} answered {response.status}"
    return response.json()


def storage_lengths(page: Page) -> dict[str, int]:
    """How many items localStorage and sessionStorage hold for the page's current origin."""
    return page.evaluate("() => ({local: localStorage.length, session: sessionStorage.length})")


@ATTEMPTS
def test_page_starts_logged_out_without_cookies_or_storage_then_gets_them(
    page: Page, db, login_as, app: Flask, attempt: int
) -> None:
    home = HomePage(page)
    assert page.context.cookies() == []
    home.goto()
    expect(home.nav.login_link).to_be_visible()
    expect(home.nav.logout_link).to_have_count(0)
    assert storage_lengths(page) == {"local": 0, "session": 0}

    user = UserFactory()
    login_as(user)
    page.evaluate("attempt => { localStorage.setItem('attempt', attempt);"
                  " sessionStorage.setItem('attempt', attempt); }", str(attempt))
    home.goto()

    expect(home.nav.user_link(user.username)).to_be_visible()
    assert [cookie["name"] for cookie in page.context.cookies()] == [app.config["SESSION_COOKIE_NAME"]]
    assert storage_lengths(page) == {"local": 1, "session": 1}


@ATTEMPTS
def test_database_and_upload_folder_start_empty_then_get_rows_and_files(
    page: Page, db, login_as, upload_root: Path, attempt: int
) -> None:
    assert api_json(page, "/api/users/count") == {"count": 0}
    assert api_json(page, "/api/data") == {"users": 0, "posts": 0, "uploads": 0}
    assert list(upload_root.iterdir()) == []

    user = UserFactory()
    UploadFactory(owner=user, original_filename=f"attempt-{attempt}.txt")
    login_as(user)
    dashboard = DashboardPage(page)
    dashboard.goto()
    dashboard.write_post(f"Written by attempt {attempt}", "It must not outlive its test.")
    expect(dashboard.status_flash).to_have_text("Post created.")

    assert api_json(page, "/api/data") == {"users": 1, "posts": 1, "uploads": 1}
    assert len(list(upload_root.iterdir())) == 1


@ATTEMPTS
def test_routes_added_by_an_earlier_test_do_not_intercept(page: Page, db, attempt: int) -> None:
    about = AboutPage(page)
    assert api_json(page, "/api/users/count") == {"count": 0}
    about.goto()
    expect(about.heading).to_have_text("About Webapp")

    def fake_count(route: Route) -> None:
        route.fulfill(json={"count": 1000 + attempt})

    def fake_about(route: Route) -> None:
        route.fulfill(content_type="text/html", body=f"<main><h1>Intercepted by {attempt}</h1></main>")

    page.route("**/api/users/count", fake_count)
    page.context.route("**/about", fake_about)

    assert api_json(page, "/api/users/count") == {"count": 1000 + attempt}
    about.goto()
    expect(about.heading).to_have_text(f"Intercepted by {attempt}")
