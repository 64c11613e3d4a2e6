"""axe-core finds no accessibility violation, of any impact, on the site's main pages."""

from __future__ import annotations

import pytest
from flask_harness import ExpectAccessible
from playwright.sync_api import Page, expect

from e2e.pages.auth import LoginPage
from e2e.pages.nav import BasePage, ErrorPage
from e2e.pages.uploads import UploadsPage
from factories import PostFactory, UploadFactory, UserFactory

pytestmark = pytest.mark.e2e

# Every impact counts; the baselines (test_accessibility.py-snapshots/*.axe.json) are empty and
# can only shrink, so any violation a change brings fails.
IMPACT = "minor"


def name_of(path: str) -> str:
    return path.strip("/") or "home"


@pytest.mark.parametrize("path", ["/", "/about", "/login", "/register", "/posts"])
def test_public_page_has_no_violation_beyond_its_baseline(
    page: Page, db, expect_accessible: ExpectAccessible, path: str
) -> None:
    PostFactory(title="A published post")
    site = BasePage(page)

    page.goto(path)
    expect(site.heading).to_be_visible()

    expect_accessible(page, name_of(path), impact=IMPACT)


def test_post_page_has_no_violation_beyond_its_baseline(page: Page, db, expect_accessible: ExpectAccessible) -> None:
    post = PostFactory(title="An accessible post")
    site = BasePage(page)

    page.goto(f"/posts/{post.id}")
    expect(site.heading).to_have_text("An accessible post")

    expect_accessible(page, "post", impact=IMPACT)


@pytest.mark.parametrize("path", ["/dashboard", "/profile", "/settings", "/upload"])
def test_logged_in_page_with_content_has_no_violation_beyond_its_baseline(
    page: Page, db, login_as, expect_accessible: ExpectAccessible, path: str
) -> None:
    user = UserFactory()
    PostFactory(author=user, title="Published post")
    PostFactory(author=user, title="Draft post", is_published=False)
    UploadFactory(owner=user, original_filename="notes.txt", description="Meeting notes")
    login_as(user)
    site = BasePage(page)

    page.goto(path)
    expect(site.nav.logout_link).to_be_visible()

    expect_accessible(page, name_of(path), impact=IMPACT)


def test_not_found_page_has_no_violation_beyond_its_baseline(
    page: Page, db, expect_accessible: ExpectAccessible
) -> None:
    error_page = ErrorPage(page)

    page.goto("/no-such-page")
    expect(error_page.heading).to_have_text("Page Not Found")

    expect_accessible(page, "not-found", impact=IMPACT)


def test_login_page_showing_an_error_has_no_violation_beyond_its_baseline(
    page: Page, db, expect_accessible: ExpectAccessible
) -> None:
    user = UserFactory()
    login = LoginPage(page)
    login.goto()

    login.login(user.username, "not-the-password")
    expect(login.error_flash).to_have_text("Invalid username or password.")

    expect_accessible(page, "login-error", impact=IMPACT)


def test_login_form_with_field_errors_has_no_violation_beyond_its_baseline(
    page: Page, db, expect_accessible: ExpectAccessible
) -> None:
    login = LoginPage(page)
    login.goto()

    login.submit()
    expect(login.main.get_by_text("Username is required.")).to_be_visible()

    expect_accessible(page, "login-field-errors", impact=IMPACT)


def test_files_page_showing_a_refused_upload_has_no_violation_beyond_its_baseline(
    page: Page, db, login_as, expect_accessible: ExpectAccessible
) -> None:
    login_as(UserFactory())
    uploads = UploadsPage(page)
    uploads.goto()

    uploads.upload_button.click()
    expect(uploads.error_flash).to_have_text("Choose a file to upload.")

    expect_accessible(page, "files-refused-upload", impact=IMPACT)
