"""The dashboard shows the logged-in user's own posts and files, and only theirs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.dashboard import DashboardPage
from factories import PostFactory, UploadFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def dashboard(page: Page) -> DashboardPage:
    return DashboardPage(page)


def test_dashboard_lists_the_users_posts_and_files_made_in_the_test(
    dashboard: DashboardPage, db, login_as
) -> None:
    user = UserFactory()
    PostFactory(author=user, title="First steps with Flask")
    PostFactory(author=user, title="Testing in the browser")
    UploadFactory(owner=user, original_filename="report.pdf", content=b"%PDF" + b"." * 2044,
                  description="Quarterly report")
    UploadFactory(owner=user, original_filename="todo.txt", content=b"buy milk\n", description="")
    login_as(user)

    dashboard.goto()

    expect(dashboard.greeting(user.username)).to_be_visible()
    expect(dashboard.post("First steps with Flask")).to_be_visible()
    expect(dashboard.post("Testing in the browser")).to_be_visible()
    expect(dashboard.file_cells("report.pdf")).to_have_text(["report.pdf", "2.0 KB", "Quarterly report"])
    expect(dashboard.file_cells("todo.txt")).to_have_text(["todo.txt", "9 B", ""])
    expect(dashboard.no_posts).to_be_hidden()
    expect(dashboard.no_files).to_be_hidden()


def test_dashboard_marks_drafts_and_only_drafts(dashboard: DashboardPage, db, login_as) -> None:
    user = UserFactory()
    PostFactory(author=user, title="Half-written thoughts", is_published=False)
    PostFactory(author=user, title="Finished essay", is_published=True)
    login_as(user)

    dashboard.goto()

    expect(dashboard.post("Half-written thoughts")).to_have_text("Half-written thoughts (draft)")
    expect(dashboard.post("Finished essay")).to_have_text("Finished essay")


def test_dashboard_hides_other_users_posts_drafts_and_files(
    dashboard: DashboardPage, db, login_as
) -> None:
    user, other = UserFactory(), UserFactory()
    PostFactory(author=user, title="My own post")
    PostFactory(author=other, title="Someone else's post")
    PostFactory(author=other, title="Someone else's draft", is_published=False)
    UploadFactory(owner=other, original_filename="their-secrets.txt")
    login_as(user)

    dashboard.goto()

    expect(dashboard.post("My own post")).to_be_visible()
    expect(dashboard.post("Someone else's post")).to_have_count(0)
    expect(dashboard.post("Someone else's draft")).to_have_count(0)
    expect(dashboard.file_row("their-secrets.txt")).to_have_count(0)
    expect(dashboard.no_files).to_be_visible()


def test_empty_dashboard_shows_the_empty_state_texts(dashboard: DashboardPage, db, login_as) -> None:
    user = UserFactory()
    PostFactory(title="A post by someone else")
    login_as(user)

    dashboard.goto()

    expect(dashboard.greeting(user.username)).to_be_visible()
    expect(dashboard.no_posts).to_be_visible()
    expect(dashboard.no_files).to_be_visible()
    expect(dashboard.post_items).to_have_count(0)
    expect(dashboard.file_rows).to_have_count(0)


def test_writing_a_post_from_the_dashboard_lists_it_there(dashboard: DashboardPage, db, login_as) -> None:
    login_as(UserFactory())
    dashboard.goto()

    dashboard.write_post("Written in the browser", "Typed by Playwright.")
    expect(dashboard.status_flash).to_have_text("Post created.")
    dashboard.goto()

    expect(dashboard.post("Written in the browser")).to_have_text("Written in the browser")
    expect(dashboard.no_posts).to_be_hidden()
