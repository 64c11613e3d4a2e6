"""Journeys of writing, changing and deleting posts, and of who may see and change them."""

from __future__ import annotations

import re

import pytest
from flask_harness import LoginAs, PageAs
from playwright.sync_api import Page, expect

from e2e.pages.dashboard import DashboardPage
from e2e.pages.nav import ErrorPage, HomePage
from e2e.pages.posts import DeletePostPage, PostFormPage, PostPage
from factories import PostFactory, UserFactory

pytestmark = pytest.mark.e2e

POST_URL = re.compile(r"/posts/\d+$")


def write_post(page: Page, title: str, content: str, draft: bool = False) -> PostPage:
    """Write a post through the form; return its page, once shown."""
    form = PostFormPage(page)
    form.goto()
    form.publish(title, content, draft=draft)
    post = PostPage(page)
    expect(page).to_have_url(POST_URL)
    expect(post.title).to_have_text(title)
    return post


def test_written_post_is_shown_on_its_page_and_on_the_dashboard(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="writer"))
    dashboard = DashboardPage(page)
    dashboard.goto()
    dashboard.write_post_link.click()

    form = PostFormPage(page)
    expect(form.heading).to_have_text("New post")
    form.publish("Notes from the harbour", "The boats came in early today.")

    post = PostPage(page)
    expect(page).to_have_url(POST_URL)
    expect(post.status_flash).to_have_text("Post created.")
    expect(post.title).to_have_text("Notes from the harbour")
    expect(post.text("The boats came in early today.")).to_be_visible()
    expect(post.article).to_contain_text("By writer")

    dashboard.goto()
    expect(dashboard.post("Notes from the harbour")).to_be_visible()


def test_edited_post_shows_its_new_title(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="editor"))
    post = write_post(page, "First draft of a title", "Some words.")

    post.edit()
    form = PostFormPage(page)
    expect(form.heading).to_have_text("Edit post")
    expect(form.title).to_have_value("First draft of a title")
    form.change_title("A much better title")

    expect(post.status_flash).to_have_text("Post updated.")
    expect(post.title).to_have_text("A much better title")
    dashboard = DashboardPage(page)
    dashboard.goto()
    expect(dashboard.post("A much better title")).to_be_visible()
    expect(dashboard.post("First draft of a title")).to_have_count(0)


def test_deleting_after_confirmation_removes_the_post_everywhere(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="tidier"))
    post = write_post(page, "Short-lived post", "Gone soon.")
    post_id = post.post_id

    post.delete()
    confirmation = DeletePostPage(page)
    expect(confirmation.heading).to_have_text("Delete post")
    expect(confirmation.main).to_contain_text("Short-lived post")
    confirmation.confirm()

    dashboard = DashboardPage(page)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(dashboard.status_flash).to_have_text("Post deleted.")
    expect(dashboard.post("Short-lived post")).to_have_count(0)

    post.goto(post_id)
    expect(ErrorPage(page).heading).to_have_text("Page Not Found")


def test_cancelling_the_delete_confirmation_keeps_the_post(page: Page, db, login_as: LoginAs) -> None:
    author = UserFactory(username="hesitant")
    kept = PostFactory(author=author, title="Worth keeping")
    login_as(author)
    post = PostPage(page)
    post.goto(kept.id)

    post.delete()
    confirmation = DeletePostPage(page)
    expect(confirmation.confirm_button).to_be_visible()
    confirmation.cancel()

    expect(page).to_have_url(re.compile(rf"/posts/{kept.id}$"))
    expect(post.title).to_have_text("Worth keeping")
    dashboard = DashboardPage(page)
    dashboard.goto()
    expect(dashboard.post("Worth keeping")).to_be_visible()


def test_non_author_sees_no_change_links_and_is_forbidden_from_editing(page: Page, db, login_as: LoginAs) -> None:
    theirs = PostFactory(title="Someone else's post")
    login_as(UserFactory(username="bystander"))
    post = PostPage(page)
    post.goto(theirs.id)

    expect(post.title).to_have_text("Someone else's post")
    expect(post.edit_link).to_have_count(0)
    expect(post.delete_link).to_have_count(0)

    PostFormPage(page).goto_edit(theirs.id)

    error = ErrorPage(page)
    expect(error.heading).to_have_text("Forbidden")
    expect(error.message).to_contain_text("permission")


def test_draft_is_visible_to_its_author_and_not_found_for_other_users(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="drafter"))
    post = write_post(page, "Half-finished thoughts", "Not ready yet.", draft=True)
    draft_id = post.post_id
    expect(post.article).to_contain_text("· draft")
    post.nav.log_out()
    expect(HomePage(page).status_flash).to_have_text("You have been logged out.")

    login_as(UserFactory(username="curious"))
    post.goto(draft_id)

    error = ErrorPage(page)
    expect(error.heading).to_have_text("Page Not Found")
    expect(error.main).not_to_contain_text("Half-finished thoughts")


def test_dashboard_lists_the_users_own_posts_made_in_the_test(page: Page, db, login_as: LoginAs) -> None:
    author = UserFactory(username="prolific")
    posts = PostFactory.create_batch(3, author=author)
    PostFactory(title="A stranger's post")
    login_as(author)

    dashboard = DashboardPage(page)
    dashboard.goto()

    expect(dashboard.post_items).to_have_count(3)
    for made in posts:
        expect(dashboard.post(made.title)).to_be_visible()
    expect(dashboard.post("A stranger's post")).to_have_count(0)


def test_a_reader_beside_the_author_sees_the_published_post_and_not_the_draft(
    page: Page, db, login_as: LoginAs, page_as: PageAs
) -> None:
    login_as(UserFactory(username="author"))
    reader = page_as(UserFactory(username="reader"))  # a second browser context, logged in

    published = write_post(page, "Open letter", "For everyone to read.")
    PostPage(reader).goto(published.post_id)
    expect(PostPage(reader).title).to_have_text("Open letter")
    expect(PostPage(reader).article).to_contain_text("By author")

    draft = write_post(page, "Not yet", "Still thinking.", draft=True)
    PostPage(reader).goto(draft.post_id)
    expect(ErrorPage(reader).heading).to_have_text("Page Not Found")

    DashboardPage(reader).goto()  # the reader's own session, untouched by the author's
    expect(DashboardPage(reader).greeting("reader")).to_be_visible()
