"""The main pages look as their committed baselines do: light, dark and on a phone; navbar and dashboard ARIA.

Data that would vary is fixed here: usernames, titles, file names and dates are given explicitly
(factory data is seeded per test id, which differs between the parametrized looks). Baselines
live in ``e2e/test_visual.py-snapshots/``; after an intended change, run
``pytest e2e/test_visual.py --update-snapshots`` and review the new images.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_harness import ExpectAriaSnapshot, ExpectScreenshot, LoginAs
from playwright.sync_api import Page, expect

from e2e.pages.nav import BasePage
from factories import PostFactory, UploadFactory, UserFactory
from webapp.models import Post, User

pytestmark = pytest.mark.e2e

WRITTEN_ON = datetime(2026, 3, 14, 9, 26)
PHONE = {"width": 390, "height": 844}
LOOKS = ("light", "dark", "phone")


@pytest.fixture(params=LOOKS)
def look(request: pytest.FixtureRequest, page: Page) -> str:
    """The page in the light or dark colour scheme, or at a phone's width (reset after the test)."""
    if request.param == "dark":
        page.emulate_media(color_scheme="dark")
    elif request.param == "phone":
        page.set_viewport_size(PHONE)
    return str(request.param)


def alice_with_content() -> tuple[User, Post]:
    """A user with a published post, a draft and two files, all named and dated explicitly."""
    alice = UserFactory(username="alice")
    post = PostFactory(author=alice, title="Testing in the browser", created_at=WRITTEN_ON,
                       content="Screenshots catch what assertions on text cannot: layout, colour, spacing.")
    PostFactory(author=alice, title="Half-written thoughts", is_published=False, created_at=WRITTEN_ON)
    UploadFactory(owner=alice, original_filename="report.pdf", content=b"%PDF" + b"." * 2044,
                  description="Quarterly report", created_at=WRITTEN_ON)
    UploadFactory(owner=alice, original_filename="todo.txt", content=b"buy milk\n", description="Errands",
                  created_at=WRITTEN_ON)
    return alice, post


@pytest.mark.parametrize(("name", "path", "heading"), [
    ("home", "/", "Welcome to Webapp"),
    ("login", "/login", "Login"),
    ("register", "/register", "Create an account"),
    ("not-found", "/no-such-page", "Page Not Found"),
])
def test_public_page_looks_as_its_baseline(page: Page, db, look: str, expect_screenshot: ExpectScreenshot,
                                           name: str, path: str, heading: str) -> None:
    alice_with_content()

    page.goto(path)
    expect(BasePage(page).heading).to_have_text(heading)

    expect_screenshot(page, f"{name}-{look}", full_page=True)


@pytest.mark.parametrize("name", ["dashboard", "post", "files"])
def test_logged_in_page_looks_as_its_baseline(page: Page, db, login_as: LoginAs, look: str,
                                              expect_screenshot: ExpectScreenshot, name: str) -> None:
    alice, post = alice_with_content()
    login_as(alice)

    page.goto({"dashboard": "/dashboard", "post": f"/posts/{post.id}", "files": "/upload"}[name])
    expect(BasePage(page).nav.logout_link).to_be_visible()

    expect_screenshot(page, f"{name}-{look}", full_page=True)


def test_navbar_of_a_visitor_matches_its_aria_snapshot(page: Page, db,
                                                       expect_aria_snapshot: ExpectAriaSnapshot) -> None:
    page.goto("/")

    expect_aria_snapshot(BasePage(page).nav.root, "navbar-visitor")


def test_navbar_of_a_logged_in_user_matches_its_aria_snapshot(
    page: Page, db, login_as: LoginAs, expect_aria_snapshot: ExpectAriaSnapshot
) -> None:
    login_as(UserFactory(username="alice"))

    page.goto("/")

    expect_aria_snapshot(BasePage(page).nav.root, "navbar-user")


def test_dashboard_with_content_matches_its_aria_snapshot(
    page: Page, db, login_as: LoginAs, expect_aria_snapshot: ExpectAriaSnapshot
) -> None:
    alice, _ = alice_with_content()
    login_as(alice)

    page.goto("/dashboard")

    expect_aria_snapshot(BasePage(page).main, "dashboard")
