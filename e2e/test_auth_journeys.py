"""Journeys about accounts: registering, logging in and out, and what goes wrong on the way."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_harness import Clock, LoginAs, MailOutbox
from limits import parse as parse_rate_limit
from playwright.sync_api import Page, expect

from e2e.pages.auth import LoginPage, RegisterPage
from e2e.pages.dashboard import DashboardPage
from e2e.pages.nav import HomePage, SettingsPage
from factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

INVALID_CREDENTIALS = "Invalid username or password."


def test_new_user_registers_follows_the_welcome_emails_link_and_logs_in_to_greeting(
    page: Page, db, mail_outbox: MailOutbox
) -> None:
    register = RegisterPage(page)
    register.goto()
    register.register("newcomer", "newcomer@example.com", "Str0ngPassword")

    login = LoginPage(page)
    expect(login.heading).to_have_text("Login")
    expect(login.status_flash).to_have_text("Registration successful. You can now log in.")
    [welcome] = mail_outbox
    assert welcome.to == ["newcomer@example.com"]
    assert "Welcome" in welcome.subject
    assert "newcomer" in welcome.text

    page.goto("/")
    page.goto(welcome.links()[0])  # the mail's link, to the live server's login page
    login.login("newcomer", "Str0ngPassword")

    dashboard = DashboardPage(page)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(dashboard.greeting("newcomer")).to_be_visible()
    expect(dashboard.nav.user_link("newcomer")).to_be_visible()


def test_logged_out_user_opening_dashboard_logs_in_and_returns_to_dashboard(page: Page, db, login_as: LoginAs) -> None:
    user = UserFactory(username="returning")
    login_as(user)
    dashboard = DashboardPage(page)
    dashboard.goto()
    dashboard.nav.log_out()

    home = HomePage(page)
    expect(home.status_flash).to_have_text("You have been logged out.")
    expect(home.nav.login_link).to_be_visible()

    dashboard.goto()
    login = LoginPage(page)
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))
    expect(login.status_flash).to_have_text("Please log in to see that page.")

    login.login("returning", DEFAULT_PASSWORD)

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(dashboard.greeting("returning")).to_be_visible()


def test_anonymous_user_opening_settings_logs_in_and_returns_to_settings(page: Page, db) -> None:
    UserFactory(username="tidy")
    settings = SettingsPage(page)
    settings.goto()
    login = LoginPage(page)
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fsettings$"))

    login.login("tidy", DEFAULT_PASSWORD)

    expect(page).to_have_url(re.compile(r"/settings$"))
    expect(settings.heading).to_have_text("Settings")


@pytest.mark.parametrize(
    ("username", "password"),
    [("walker", "WrongPassword1"), ("nobody-here", DEFAULT_PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_credentials_show_the_same_error_and_stay_on_login(page: Page, db, username: str, password: str) -> None:
    UserFactory(username="walker")
    login = LoginPage(page)
    login.goto()

    login.login(username, password)

    expect(login.error_flash).to_have_text(INVALID_CREDENTIALS)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(login.heading).to_have_text("Login")
    expect(login.nav.login_link).to_be_visible()


def test_registering_a_taken_username_shows_the_error_next_to_username(page: Page, db) -> None:
    UserFactory(username="taken")
    register = RegisterPage(page)
    register.goto()

    register.register("taken", "someone-else@example.com", "Str0ngPassword")

    expect(register.username).to_have_accessible_description("Username already taken.")
    expect(register.heading).to_have_text("Create an account")
    expect(register.username).to_have_attribute("aria-invalid", "true")
    expect(register.email).not_to_have_attribute("aria-invalid", "true")


def test_registering_with_a_weak_password_shows_the_rule_next_to_password(
    page: Page, db, mail_outbox: MailOutbox
) -> None:
    register = RegisterPage(page)
    register.goto()

    register.register("weakling", "weakling@example.com", "alllowercase")

    expect(register.password).to_have_accessible_description("Password must contain an uppercase letter, a digit.")
    expect(register.username).to_have_value("weakling")
    assert list(mail_outbox) == []


def test_registering_with_a_mismatched_confirmation_shows_error_next_to_confirmation(
    page: Page, db, mail_outbox: MailOutbox
) -> None:
    register = RegisterPage(page)
    register.goto()

    register.register("typo", "typo@example.com", "Str0ngPassword", confirm_password="Str0ngPasswort")

    expect(register.confirm_password).to_have_accessible_description("Passwords must match.")
    expect(register.password).not_to_have_attribute("aria-invalid", "true")
    assert list(mail_outbox) == []


def fail_logins_up_to_the_limit(app: Flask, login: LoginPage, username: str) -> None:
    """As many wrong-password logins as the per-address limit allows, each refused as such."""
    for _ in range(parse_rate_limit(app.config["LOGIN_RATE_LIMIT"]).amount):
        login.goto()
        login.login(username, "WrongPassword1")
        expect(login.error_flash).to_have_text(INVALID_CREDENTIALS)


def test_repeated_failed_logins_hit_the_rate_limit_page_even_with_the_right_password(
    page: Page, db, app: Flask
) -> None:
    UserFactory(username="hammered")
    login = LoginPage(page)
    fail_logins_up_to_the_limit(app, login, "hammered")

    login.goto()
    login.login("hammered", DEFAULT_PASSWORD)

    expect(login.heading).to_have_text("Too many requests")
    expect(login.main).to_contain_text("Please wait a minute and try again.")
    expect(login.nav.login_link).to_be_visible()


def test_a_rate_limited_login_works_again_once_a_minute_has_passed(page: Page, db, app: Flask, clock: Clock) -> None:
    UserFactory(username="patient")
    login = LoginPage(page)
    fail_logins_up_to_the_limit(app, login, "patient")
    login.goto()
    login.login("patient", DEFAULT_PASSWORD)
    expect(login.heading).to_have_text("Too many requests")

    clock.advance(minutes=1, seconds=1)  # for the server's limiter and the page at once
    login.goto()
    login.login("patient", DEFAULT_PASSWORD)

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(DashboardPage(page).greeting("patient")).to_be_visible()


def test_keyboard_only_login_reaches_the_dashboard(page: Page, db) -> None:
    UserFactory(username="keyboarder")
    login = LoginPage(page)
    login.goto()

    login.submit_with_keyboard("keyboarder", DEFAULT_PASSWORD)

    dashboard = DashboardPage(page)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(dashboard.greeting("keyboarder")).to_be_visible()
