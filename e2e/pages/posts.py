"""Page objects for posts: the new/edit form, a post's page and the delete confirmation."""

from __future__ import annotations

import re

from playwright.sync_api import Locator

from e2e.pages.nav import BasePage

POST_URL = re.compile(r"/posts/(\d+)$")


class PostFormPage(BasePage):
    """The form to write a new post (``/posts/new``) or edit one (``/posts/<id>/edit``)."""

    path = "/posts/new"

    def goto_edit(self, post_id: int) -> None:
        self.page.goto(f"/posts/{post_id}/edit")

    @property
    def title(self) -> Locator:
        return self.page.get_by_label("Title")

    @property
    def content(self) -> Locator:
        return self.page.get_by_label("Content")

    @property
    def draft(self) -> Locator:
        return self.page.get_by_label("Save as draft")

    @property
    def publish_button(self) -> Locator:
        return self.page.get_by_role("button", name="Publish")

    @property
    def save_button(self) -> Locator:
        return self.page.get_by_role("button", name="Save changes")

    def fill(self, title: str, content: str, draft: bool = False) -> None:
        self.title.fill(title)
        self.content.fill(content)
        self.draft.set_checked(draft)

    def submit_new(self) -> None:
        self.publish_button.click()

    def publish(self, title: str, content: str, draft: bool = False) -> None:
        self.fill(title, content, draft)
        self.submit_new()

    def change_title(self, title: str) -> None:
        self.title.fill(title)
        self.save_button.click()


class PostPage(BasePage):
    """One post, with Edit and Delete links for its author."""

    def goto(self, post_id: int) -> None:  # type: ignore[override]
        self.page.goto(f"/posts/{post_id}")

    @property
    def post_id(self) -> int:
        """The id of the post shown, read from the address bar."""
        match = POST_URL.search(self.page.url)
        if match is None:
            raise AssertionError(f"Not on a post's page: {self.page.url}")
        return int(match.group(1))

    @property
    def article(self) -> Locator:
        return self.main.get_by_role("article")

    @property
    def title(self) -> Locator:
        return self.article.get_by_role("heading", level=1)

    def text(self, content: str) -> Locator:
        return self.article.get_by_text(content)

    @property
    def edit_link(self) -> Locator:
        return self.main.get_by_role("link", name="Edit post")

    @property
    def delete_link(self) -> Locator:
        return self.main.get_by_role("link", name="Delete post")

    def edit(self) -> None:
        self.edit_link.click()

    def delete(self) -> None:
        self.delete_link.click()


class DeletePostPage(BasePage):
    """The confirmation asked before a post is deleted."""

    def goto(self, post_id: int) -> None:  # type: ignore[override]
        self.page.goto(f"/posts/{post_id}/delete")

    @property
    def question(self) -> Locator:
        return self.main.get_by_text("This cannot be undone.")

    @property
    def confirm_button(self) -> Locator:
        return self.page.get_by_role("button", name="Yes, delete it")

    @property
    def cancel_link(self) -> Locator:
        return self.main.get_by_role("link", name="Cancel")

    def confirm(self) -> None:
        self.confirm_button.click()

    def cancel(self) -> None:
        self.cancel_link.click()
