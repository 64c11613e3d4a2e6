"""Without pytest-playwright the database and live-server fixtures work, and nothing imports Playwright."""

from __future__ import annotations

import pytest

from apps_live import make_project

WITHOUT_BROWSER = """
import sys
from urllib.request import urlopen

import pytest

from liveapp import Note


def test_live_server_serves_the_tests_rows(live, db):
    note = Note(text="made in the test")
    db.session.add(note)
    db.session.commit()
    with urlopen(f"{live.url}/notes/{note.id}", timeout=5) as response:
        assert b"<h1>made in the test</h1>" in response.read()


def test_the_row_is_gone_in_the_next_test(live, db):
    with urlopen(f"{live.url}/", timeout=5) as response:
        assert b"made in the test" not in response.read()


def test_no_browser_fixtures(request):
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue("page")


def test_nothing_imported_playwright():
    imported = sorted(name for name in sys.modules
                      if name.partition(".")[0] in {"playwright", "pytest_playwright"}
                      or name == "flask_harness.browser.fixtures")
    assert imported == []
"""


def test_without_pytest_playwright_live_and_db_work_and_playwright_is_not_imported(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(pytester, monkeypatch, playwright_config=None, addopts=["-p", "no:playwright"],
                 test_without_browser=WITHOUT_BROWSER)

    result = pytester.runpytest_subprocess()

    result.assert_outcomes(passed=4)
