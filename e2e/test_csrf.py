"""CSRF protection as a user meets it: real tokens pass, forged ones get a clear refusal page."""

from __future__ import annotations

import re

import pytest
from flask_harness import LoginAs, MailOutbox
from playwright.sync_api import Page, expect

from e2e.pages.auth import LoginPage, RegisterPage
from e2e.pages.dashboard import DashboardPage
from e2e.pages.nav import ErrorPage
from e2e.pages.posts import PostFormPage
from factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

SECURITY_TOKEN_MESSAGE = (
    "This form was refused because its security token is missing, expired or invalid. "
    "Go back, reload the page and submit it again."
)


def expect_form_expired(page: Page) -> None:
    """The refusal page a forged or stale CSRF token gets."""
    error = ErrorPage(page)
    expect(error.heading).to_have_text("Form expired")
    expect(error.message).to_have_text(SECURITY_TOKEN_MESSAGE)


def test_login_form_with_its_real_token_logs_in(page: Page, db) -> None:
    UserFactory(username="honest")
    login = LoginPage(page)
    login.goto()

    login.login("honest", DEFAULT_PASSWORD)

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(DashboardPage(page).greeting("honest")).to_be_visible()


def test_login_with_a_tampered_token_is_refused_and_does_not_log_in(page: Page, db) -> None:
    UserFactory(username="targeted")
    login = LoginPage(page)
    login.goto()
    login.fill("targeted", DEFAULT_PASSWORD)
    login.tamper_csrf_token()

    login.submit()

    expect_form_expired(page)
    expect(login.nav.login_link).to_be_visible()
    expect(login.nav.logout_link).to_have_count(0)
    DashboardPage(page).goto()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))


def test_new_post_with_a_tampered_token_is_refused_and_not_saved(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="forged"))
    form = PostFormPage(page)
    form.goto()
    form.fill("Never saved", "This must not reach the database.")
    form.tamper_csrf_token()

    form.submit_new()

    expect_form_expired(page)
    dashboard = DashboardPage(page)
    dashboard.goto()
    expect(dashboard.greeting("forged")).to_be_visible()
    expect(dashboard.post("Never saved")).to_have_count(0)


def test_registration_with_a_tampered_token_is_refused_and_sends_no_email(
    page: Page, db, mail_outbox: MailOutbox
) -> None:
    register = RegisterPage(page)
    register.goto()
    register.fill("sneaky", "sneaky@example.com", "Str0ngPassword")
    register.tamper_csrf_token()

    register.submit()

    expect_form_expired(page)
    assert list(mail_outbox) == []
    login = LoginPage(page)
    login.goto()
    login.login("sneaky", "Str0ngPassword")
    expect(login.error_flash).to_have_text("Invalid username or password.")
