"""Journeys through the navbar and the error pages."""

from __future__ import annotations

import re

import pytest
from flask_harness import LoginAs
from playwright.sync_api import Page, expect

from e2e.pages.dashboard import DashboardPage
from e2e.pages.nav import AboutPage, ErrorPage, HomePage
from factories import UserFactory

pytestmark = pytest.mark.e2e


def test_anonymous_visitor_sees_login_and_register_in_navbar(page: Page, db) -> None:
    home = HomePage(page)
    home.goto()

    expect(home.nav.login_link).to_be_visible()
    expect(home.nav.register_link).to_be_visible()
    expect(home.nav.logout_link).to_have_count(0)
    expect(home.nav.dashboard_link).to_have_count(0)


def test_logged_in_user_sees_logout_and_own_username_in_navbar(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="navigator"))
    home = HomePage(page)
    home.goto()

    expect(home.nav.logout_link).to_be_visible()
    expect(home.nav.user_link("navigator")).to_be_visible()
    expect(home.nav.login_link).to_have_count(0)
    expect(home.nav.register_link).to_have_count(0)


def test_logged_in_user_reaches_dashboard_from_navbar(page: Page, db, login_as: LoginAs) -> None:
    login_as(UserFactory(username="commuter"))
    home = HomePage(page)
    home.goto()

    home.nav.dashboard_link.click()

    dashboard = DashboardPage(page)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(dashboard.greeting("commuter")).to_be_visible()


def test_unknown_url_shows_page_not_found_with_a_working_link_home(page: Page, db) -> None:
    page.goto("/no/such/page")
    error = ErrorPage(page)

    expect(error.heading).to_have_text("Page Not Found")
    expect(error.message).to_have_text("We could not find the page you asked for.")

    error.go_home()

    home = HomePage(page)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(home.heading).to_have_text("Welcome to Webapp")


def test_about_page_is_reachable_from_the_navbar(page: Page, db) -> None:
    home = HomePage(page)
    home.goto()

    home.nav.open_about()

    about = AboutPage(page)
    expect(page).to_have_url(re.compile(r"/about$"))
    expect(about.heading).to_have_text("About Webapp")
