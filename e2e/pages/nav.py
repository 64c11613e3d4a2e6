"""Site-wide parts of every page (navbar, flash messages, CSRF field), simple pages and the error page."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class NavBar:
    """The main navigation bar at the top of every page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def root(self) -> Locator:
        return self.page.get_by_role("navigation", name="Main")

    def link(self, name: str) -> Locator:
        return self.root.get_by_role("link", name=name, exact=True)

    @property
    def home_link(self) -> Locator:
        return self.link("Webapp")

    @property
    def login_link(self) -> Locator:
        return self.link("Login")

    @property
    def register_link(self) -> Locator:
        return self.link("Register")

    @property
    def logout_link(self) -> Locator:
        return self.link("Logout")

    @property
    def about_link(self) -> Locator:
        return self.link("About")

    @property
    def dashboard_link(self) -> Locator:
        return self.link("Dashboard")

    def user_link(self, username: str) -> Locator:
        """The logged-in user's own name, linking to their profile."""
        return self.link(username)

    def log_out(self) -> None:
        self.logout_link.click()

    def open_about(self) -> None:
        self.about_link.click()


class BasePage:
    """What every page of the site has: the navbar, flash messages and the main content.

    Pages at one address set ``path`` and open with ``goto()``; pages of one record (a post)
    take its id in ``goto``.
    """

    path = "/"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.nav = NavBar(page)

    def goto(self) -> None:
        self.page.goto(self.path)

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    @property
    def heading(self) -> Locator:
        return self.main.get_by_role("heading", level=1)

    @property
    def error_flash(self) -> Locator:
        """Flash messages of the 'danger' category, announced as alerts."""
        return self.page.get_by_role("alert")

    @property
    def status_flash(self) -> Locator:
        """Flash messages of the other categories (success, info, warning), announced as status."""
        return self.page.get_by_role("status")

    @property
    def csrf_token(self) -> Locator:
        """The form's hidden CSRF token; it has no role or label, so a CSS selector is the only way."""
        return self.page.locator("input[name=csrf_token]")

    def tamper_csrf_token(self) -> None:
        """Replace the form's CSRF token with a forged value, as a cross-site attacker would."""
        self.csrf_token.evaluate("el => el.value = 'tampered'")


class HomePage(BasePage):
    path = "/"


class AboutPage(BasePage):
    path = "/about"


class SettingsPage(BasePage):
    """Where a logged-in user changes their email address or password."""

    path = "/settings"


class ErrorPage(BasePage):
    """The friendly HTML page shown for 4xx and 5xx answers."""

    @property
    def message(self) -> Locator:
        return self.main.get_by_role("paragraph").first

    @property
    def home_link(self) -> Locator:
        return self.main.get_by_role("link", name="Back to the home page")

    def go_home(self) -> None:
        self.home_link.click()
