"""The harness's ``page`` wins over pytest-playwright's however the plugins are loaded."""

from __future__ import annotations

import pytest

from apps_live import make_project, report_of

HARNESS_PAGE = """
from playwright.sync_api import expect


def test_1_page_starts_on_the_live_server(page, request):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    assert "live" in request.fixturenames  # the harness's page, not pytest-playwright's


def test_2_console_error_fails_the_journey(page):
    page.goto("/")
    page.evaluate("console.error('boom in the page')")
"""

JOURNEYS = HARNESS_PAGE + """

def test_3_row_made_in_the_test_is_visible_at_once(page, db):
    from liveapp import Note

    note = Note(text="made in the test")
    db.session.add(note)
    db.session.commit()
    page.goto(f"/notes/{note.id}")
    expect(page.get_by_role("heading", name="made in the test")).to_be_visible()


def test_4_login_as_logs_the_user_in_without_the_form(page, db, login_as):
    from liveapp import User

    user = User(name="ada")
    db.session.add(user)
    db.session.commit()
    login_as(user)
    page.goto("/dashboard")
    expect(page.get_by_role("heading", name="Hello, ada!")).to_be_visible()


def test_5_uncaught_page_error_fails_the_journey(page):
    page.goto("/")
    page.evaluate("setTimeout(() => { document.title = 'thrown'; throw new Error('kaboom') })")
    expect(page).to_have_title("thrown")
"""


def test_loaded_by_entry_point_the_harness_page_serves_the_live_app(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=3, failed=2)
    assert "console error: boom in the page" in report_of(result, "test_2_console_error")
    assert "uncaught page error: kaboom" in report_of(result, "test_5_uncaught_page_error")


@pytest.mark.parametrize("loading", ["-p flask_harness.plugin", "-p, no autoload", "pytest_plugins in conftest"])
def test_loaded_by_name_the_harness_page_still_wins(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                    loading: str) -> None:
    """By name as well as by entry point (it was "Plugin already registered under a different name")."""
    make_project(pytester, monkeypatch, test_journeys=HARNESS_PAGE)
    args = []
    if loading == "pytest_plugins in conftest":
        pytester.makeconftest('pytest_plugins = ["flask_harness.plugin"]\n')
    elif loading == "-p flask_harness.plugin":
        args = ["-p", "flask_harness.plugin"]
    else:  # the harness before pytest-playwright
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        args = ["-p", "flask_harness.plugin", "-p", "playwright", "-p", "base_url"]

    result = pytester.runpytest_subprocess(*args)

    result.assert_outcomes(passed=1, failed=1)
    assert "console error: boom in the page" in report_of(result, "test_2_console_error")
