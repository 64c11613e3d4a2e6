"""axe-core finds no serious or critical accessibility violation on the site's main pages."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from e2e.pages.auth import LoginPage
from e2e.pages.nav import BasePage, ErrorPage
from e2e.pages.uploads import UploadsPage
from factories import PostFactory, UploadFactory, UserFactory

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def axe() -> Axe:
    """One axe-core runner; it injects the script bundled in its wheel, so it works offline."""
    return Axe()


def blocking_violations(axe: Axe, page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    violations = axe.run(page).response["violations"]
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: its rule, impact, what it means and where the first instance is."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} - first at {v['nodes'][0]['target']}" for v in violations
    )


def assert_accessible(axe: Axe, page: Page) -> None:
    violations = blocking_violations(axe, page)
    assert not violations, f"axe-core found on {page.url}:\n{describe(violations)}"


@pytest.mark.parametrize("path", ["/", "/about", "/login", "/register", "/posts"])
def test_public_page_has_no_serious_violations(page: Page, db, axe: Axe, path: str) -> None:
    PostFactory(title="A published post")
    site = BasePage(page)

    page.goto(path)
    expect(site.heading).to_be_visible()

    assert_accessible(axe, page)


def test_post_page_has_no_serious_violations(page: Page, db, axe: Axe) -> None:
    post = PostFactory(title="An accessible post")
    site = BasePage(page)

    page.goto(f"/posts/{post.id}")
    expect(site.heading).to_have_text("An accessible post")

    assert_accessible(axe, page)


@pytest.mark.parametrize("path", ["/dashboard", "/profile", "/settings", "/upload"])
def test_logged_in_page_with_content_has_no_serious_violations(
    page: Page, db, login_as, axe: Axe, path: str
) -> None:
    user = UserFactory()
    PostFactory(author=user, title="Published post")
    PostFactory(author=user, title="Draft post", is_published=False)
    UploadFactory(owner=user, original_filename="notes.txt", description="Meeting notes")
    login_as(user)
    site = BasePage(page)

    page.goto(path)
    expect(site.nav.logout_link).to_be_visible()

    assert_accessible(axe, page)


def test_not_found_page_has_no_serious_violations(page: Page, db, axe: Axe) -> None:
    error_page = ErrorPage(page)

    page.goto("/no-such-page")
    expect(error_page.heading).to_have_text("Page Not Found")

    assert_accessible(axe, page)


def test_login_page_showing_an_error_has_no_serious_violations(page: Page, db, axe: Axe) -> None:
    user = UserFactory()
    login = LoginPage(page)
    login.goto()

    login.login(user.username, "not-the-password")
    expect(login.error_flash).to_have_text("Invalid username or password.")

    assert_accessible(axe, page)


def test_login_form_with_field_errors_has_no_serious_violations(page: Page, db, axe: Axe) -> None:
    login = LoginPage(page)
    login.goto()

    login.submit()
    expect(login.main.get_by_text("Username is required.")).to_be_visible()

    assert_accessible(axe, page)


def test_files_page_showing_a_refused_upload_has_no_serious_violations(
    page: Page, db, login_as, axe: Axe
) -> None:
    login_as(UserFactory())
    uploads = UploadsPage(page)
    uploads.goto()

    uploads.upload_button.click()
    expect(uploads.error_flash).to_have_text("Choose a file to upload.")

    assert_accessible(axe, page)
