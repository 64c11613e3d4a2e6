"""Page objects for logging in and registering."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Locator, expect

from e2e.pages.nav import BasePage


class LoginPage(BasePage):
    path = "/login"

    def goto(self, next_path: str | None = None) -> None:
        """Open the login page, optionally with the ``next`` page to return to after logging in."""
        query = f"?{urlencode({'next': next_path})}" if next_path else ""
        self.page.goto(f"{self.path}{query}")

    @property
    def username(self) -> Locator:
        return self.page.get_by_label("Username or email")

    @property
    def password(self) -> Locator:
        return self.page.get_by_label("Password", exact=True)

    @property
    def remember_me(self) -> Locator:
        return self.page.get_by_label("Remember me")

    @property
    def submit_button(self) -> Locator:
        return self.page.get_by_role("button", name="Log in")

    def fill(self, username: str, password: str) -> None:
        self.username.fill(username)
        self.password.fill(password)

    def submit(self) -> None:
        self.submit_button.click()

    def login(self, username: str, password: str) -> None:
        self.fill(username, password)
        self.submit()

    def submit_with_keyboard(self, username: str, password: str) -> None:
        """Log in without the mouse: type the username, Tab to the password, press Enter."""
        self.username.focus()
        self.page.keyboard.type(username)
        self.page.keyboard.press("Tab")
        expect(self.password).to_be_focused()
        self.page.keyboard.type(password)
        self.page.keyboard.press("Enter")


class RegisterPage(BasePage):
    path = "/register"

    @property
    def username(self) -> Locator:
        return self.page.get_by_label("Username", exact=True)

    @property
    def email(self) -> Locator:
        return self.page.get_by_label("Email", exact=True)

    @property
    def password(self) -> Locator:
        return self.page.get_by_label("Password", exact=True)

    @property
    def confirm_password(self) -> Locator:
        return self.page.get_by_label("Confirm password", exact=True)

    @property
    def submit_button(self) -> Locator:
        return self.page.get_by_role("button", name="Register")

    def fill(self, username: str, email: str, password: str, confirm_password: str | None = None) -> None:
        """Fill every field; the confirmation repeats the password unless given."""
        self.username.fill(username)
        self.email.fill(email)
        self.password.fill(password)
        self.confirm_password.fill(password if confirm_password is None else confirm_password)

    def submit(self) -> None:
        self.submit_button.click()

    def register(self, username: str, email: str, password: str, confirm_password: str | None = None) -> None:
        self.fill(username, email, password, confirm_password)
        self.submit()
