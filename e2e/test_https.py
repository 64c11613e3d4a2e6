"""Journeys under this app's production settings, which need the live server on HTTPS.

pyproject.toml sets ``live_server_scheme = "https"``: the harness serves the live app over TLS with
a certificate made for the run, which this browser trusts. Production marks the session and
remember-me cookies ``Secure``, pins HTTPS with HSTS (sent over HTTPS only) and builds its
external links with ``https``; a mail's link then leads back to this server only because it
speaks HTTPS.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_harness import LiveTest, MailOutbox
from playwright.sync_api import Page, expect

from e2e.pages.auth import LoginPage, RegisterPage
from e2e.pages.dashboard import DashboardPage
from factories import DEFAULT_PASSWORD, UserFactory
from webapp.config import ProductionConfig

pytestmark = pytest.mark.e2e

PRODUCTION = {name: getattr(ProductionConfig, name) for name in (
    "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "STRICT_TRANSPORT_SECURITY", "PREFERRED_URL_SCHEME")}


@pytest.fixture
def production(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's live app with production's transport settings."""
    for name, value in PRODUCTION.items():
        monkeypatch.setitem(app.config, name, value)


def test_remembered_login_under_production_settings_keeps_secure_cookies(
    page: Page, db, production: None
) -> None:
    UserFactory(username="secure")
    login = LoginPage(page)
    answer = page.goto(LoginPage.path)
    assert answer is not None
    assert answer.headers["strict-transport-security"] == ProductionConfig.STRICT_TRANSPORT_SECURITY

    login.fill("secure", DEFAULT_PASSWORD)
    login.remember_me.check()
    login.submit()

    expect(DashboardPage(page).greeting("secure")).to_be_visible()
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert {"session", "remember_token"} <= set(cookies)
    assert all(cookies[name]["secure"] and cookies[name]["httpOnly"] for name in ("session", "remember_token"))

    page.context.clear_cookies(name="session")  # the browser was closed: only the remember-me cookie is left
    DashboardPage(page).goto()
    expect(DashboardPage(page).greeting("secure")).to_be_visible()


def test_the_welcome_mails_https_link_leads_back_to_the_live_server(
    page: Page, db, production: None, live: LiveTest, mail_outbox: MailOutbox
) -> None:
    RegisterPage(page).goto()
    RegisterPage(page).register("tls_newcomer", "tls@example.com", "Str0ngPassword")
    [welcome] = mail_outbox

    [link] = welcome.links()
    assert link == f"{live.url}/login"  # https, from PREFERRED_URL_SCHEME
    page.goto(link)
    LoginPage(page).login("tls_newcomer", "Str0ngPassword")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
