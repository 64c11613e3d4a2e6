"""The dashboard (/dashboard): the logged-in user's posts and files, and the way to write a post."""

from __future__ import annotations

from playwright.sync_api import Locator

from e2e.pages.nav import BasePage
from e2e.pages.posts import PostFormPage


class DashboardPage(BasePage):
    """/dashboard: a greeting, the user's posts (drafts marked) and the user's files."""

    path = "/dashboard"

    def greeting(self, username: str) -> Locator:
        return self.main.get_by_text(f"Hello, {username}!", exact=True)

    @property
    def posts_section(self) -> Locator:
        return self.main.get_by_role("region", name="Your posts")

    @property
    def files_section(self) -> Locator:
        return self.main.get_by_role("region", name="Your files")

    @property
    def post_items(self) -> Locator:
        return self.posts_section.get_by_role("listitem")

    @property
    def file_rows(self) -> Locator:
        """The rows of the files table, its header row included."""
        return self.files_section.get_by_role("row")

    @property
    def no_posts(self) -> Locator:
        return self.posts_section.get_by_text("You have not written any posts yet.", exact=True)

    @property
    def no_files(self) -> Locator:
        return self.files_section.get_by_text("You have not uploaded any files yet.", exact=True)

    @property
    def write_post_link(self) -> Locator:
        return self.posts_section.get_by_role("link", name="Write a new post", exact=True)

    def post(self, title: str) -> Locator:
        """A post's list item, found by the exact title of its link."""
        return self.post_items.filter(has=self.page.get_by_role("link", name=title, exact=True))

    def file_row(self, filename: str) -> Locator:
        """A file's table row, found by the exact name of its download link."""
        return self.file_rows.filter(has=self.page.get_by_role("link", name=filename, exact=True))

    def file_cells(self, filename: str) -> Locator:
        """The cells of a file's row: name, size, description."""
        return self.file_row(filename).get_by_role("cell")

    def write_post(self, title: str, content: str, draft: bool = False) -> None:
        """Follow "Write a new post" and publish (or save as a draft) from the form it opens."""
        self.write_post_link.click()
        PostFormPage(self.page).publish(title, content, draft)
