"""Pages with assets from other hosts (CDN CSS/JS with SRI hashes, an avatar) on a closed network."""

from __future__ import annotations

import pytest

from apps_live import make_project, report_of

CDN_PAGE = """
from playwright.sync_api import expect


def test_cdn_page(page):
    page.goto("/cdn")
    expect(page.get_by_role("heading", name="Styled page")).to_be_visible()
"""

BLOCKED = CDN_PAGE + """

def test_cdn_requests_are_aborted_by_the_harness(page):
    failures = []
    page.on("requestfailed", lambda request: failures.append((request.url, request.failure)))
    page.goto("/cdn")
    expect(page.get_by_role("heading", name="Styled page")).to_be_visible()
    assert sorted(url for url, _ in failures) == [
        "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js",
        "https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=40",
    ]
    # aborted by the harness, not failed on the network
    assert all(failure.startswith("net::ERR_BLOCKED_BY_CLIENT") for _, failure in failures)


def test_listed_console_error(page):
    page.goto("/")
    page.evaluate("console.error('known noise: a widget we do not test')")


def test_unlisted_console_error(page):
    page.goto("/")
    page.evaluate("console.error('something else broke')")
"""


def test_third_party_assets_fail_a_journey_by_default(pytester: pytest.Pytester,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_cdn=CDN_PAGE)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(failed=1)
    report = report_of(result, "test_cdn_page")
    for url in ("https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css",
                "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js",
                "https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=40"):
        assert f"console error: Failed to load resource: net::ERR_NAME_NOT_RESOLVED ({url})" in report


@pytest.mark.parametrize("reuse_page", [True, False])
def test_blocked_third_party_passes_and_listed_console_messages_are_allowed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, reuse_page: bool
) -> None:
    """On the reused page and on a context per test (``reuse_page = False``, or video on)."""
    make_project(pytester, monkeypatch, test_cdn=BLOCKED,
                 playwright_config=f'third_party = "block"\nallowed_console_messages = [r"^known noise: "]\n'
                                   f"reuse_page = {reuse_page}\n")

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["FAILED test_cdn.py::test_unlisted_console_error*"])
    report = report_of(result, "test_unlisted_console_error")
    assert "console error: something else broke" in report
    assert "known noise" not in result.stdout.str()
