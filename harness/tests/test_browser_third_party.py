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


LIBRARY_PAGE = """
from playwright.sync_api import expect


def test_library_page(page):
    page.goto("/library")
    expect(page.locator("#greeting")).to_have_text("Hello, Ada!")
    expect(page.get_by_role("heading", name="Library page")).to_have_css("color", "rgb(0, 128, 0)")
"""
HEADING_ONLY = """
from playwright.sync_api import expect


def test_library_page(page):
    page.goto("/library")
    expect(page.get_by_role("heading", name="Library page")).to_be_visible()
"""
LIBRARY_JS = "window.lib = {greet: function (name) { return 'Hello, ' + name + '!'; }};\n"
LIBRARY_CSS = "h1 { color: rgb(0, 128, 0); }\n"


def test_a_page_error_left_by_a_blocked_script_names_the_blocked_requests_and_the_remedies(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test's own assertions pass: the page error fails it, and the failure says why it happened."""
    make_project(pytester, monkeypatch, test_library=HEADING_ONLY, playwright_config='third_party = "block"\n')

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(failed=1)
    report = report_of(result, "test_library_page")
    assert "uncaught page error: lib is not defined" in report
    assert "Requests to other hosts aborted by the harness (third_party in playwright.config.py)" in report
    assert "  https://cdn.example.com/npm/lib@1/lib.js\n" in report + "\n"
    assert "  https://cdn.example.com/npm/lib@1/lib.css\n" in report + "\n"
    assert "serve the file from the app (vendor it)" in report
    assert 'third_party = {"cdn.example.com": "tests/vendor"}' in report
    assert "allowed_console_messages" in report


@pytest.mark.parametrize("reuse_page", [True, False])
def test_a_host_mapped_to_a_vendor_folder_is_served_from_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, reuse_page: bool
) -> None:
    """The JS runs and the CSS applies (Chromium refuses a stylesheet served with a wrong content type)."""
    make_project(pytester, monkeypatch, test_library=LIBRARY_PAGE,
                 playwright_config=f'third_party = {{"cdn.example.com": "tests/vendor"}}\nreuse_page = {reuse_page}\n')
    vendor = pytester.path / "tests" / "vendor" / "npm" / "lib@1"
    vendor.mkdir(parents=True)
    (vendor / "lib.js").write_text(LIBRARY_JS)
    (vendor / "lib.css").write_text(LIBRARY_CSS)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=1)


def test_a_file_missing_from_the_vendor_folder_is_named_and_other_hosts_stay_blocked(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(pytester, monkeypatch, test_library=LIBRARY_PAGE + """

def test_other_hosts_are_blocked(page):
    failures = []
    page.on("requestfailed", lambda request: failures.append((request.url, request.failure)))
    page.goto("/cdn")
    expect(page.get_by_role("heading", name="Styled page")).to_be_visible()
    assert len(failures) == 3
    assert all(failure.startswith("net::ERR_BLOCKED_BY_CLIENT") for _, failure in failures)
""", playwright_config='third_party = {"cdn.example.com": "tests/vendor"}\n')
    vendor = pytester.path / "tests" / "vendor" / "npm" / "lib@1"
    vendor.mkdir(parents=True)
    (vendor / "lib.css").write_text(LIBRARY_CSS)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=1, failed=1)
    report = report_of(result, "test_library_page")
    assert "uncaught page error: lib is not defined" in report
    vendored = pytester.path / "tests" / "vendor" / "npm" / "lib@1" / "lib.js"
    assert f"  https://cdn.example.com/npm/lib@1/lib.js (missing from the vendor folder: {vendored})" in report
    assert "lib.css" not in report  # served
    assert "AssertionError: Locator expected to have text 'Hello, Ada!'" in report  # the test's own failure
