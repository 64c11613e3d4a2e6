"""Flask-WTF's CSRF protection seen from a test-client test: the harness names refused posts."""

from __future__ import annotations

import pytest

from apps_live import make_project, report_of, section_of

FORM_POSTS = """
def test_form_post_without_token_rerenders(client):
    response = client.post("/register", data={"name": "ada"})
    assert response.status_code == 200
    assert b"The CSRF token is missing." in response.data
    assert b"Registered ada" in response.data, "the form was not accepted"


def test_form_get_passes_and_says_nothing(client):
    assert client.get("/register").status_code == 200
"""

PROTECTED_POST = """
def test_protected_post_without_token_is_refused(client):
    response = client.post("/api/ping")
    assert response.status_code == 200
"""


@pytest.fixture
def run_without_browser(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    make_project(pytester, monkeypatch, playwright_config=None, addopts=["-p", "no:playwright"])
    return pytester


def test_form_rerendered_for_a_missing_token_is_named_with_the_fix(run_without_browser: pytest.Pytester) -> None:
    run_without_browser.makepyfile(test_forms=FORM_POSTS)

    result = run_without_browser.runpytest_subprocess()

    result.assert_outcomes(passed=1, failed=1)
    section = section_of(report_of(result, "test_form_post_without_token_rerenders"), "flask-harness: CSRF")
    assert "POST /register: RegisterForm re-rendered with csrf_token error ['The CSRF token is missing.']" \
        in section
    assert "def flask_app_config():" in section
    assert 'return {"WTF_CSRF_ENABLED": False}' in section
    assert result.stdout.str().count("flask-harness: CSRF") == 1  # not in the passing test


def test_post_refused_by_csrfprotect_is_named(run_without_browser: pytest.Pytester) -> None:
    run_without_browser.makepyfile(test_api=PROTECTED_POST)

    result = run_without_browser.runpytest_subprocess()

    result.assert_outcomes(failed=1)
    section = section_of(report_of(result, "test_protected_post_without_token_is_refused"), "flask-harness: CSRF")
    assert "POST /api/ping: 400 from Flask-WTF's CSRF protection" in section
