"""The harness's cookie login: valid for Flask-Login's strictest session protection."""

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from factories import UserFactory

pytestmark = pytest.mark.e2e


def test_cookie_login_survives_strong_session_protection(
    page: Page, login_as, app: Flask, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SESSION_PROTECTION", "strong")
    user = UserFactory(username="strongsession")

    login_as(user)
    page.goto("/dashboard")

    expect(page.get_by_text("Hello, strongsession!")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
