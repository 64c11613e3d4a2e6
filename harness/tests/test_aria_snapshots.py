"""``expect_aria_snapshot``, seen from outside: a tiny Flask project run by pytester in a subprocess."""

from __future__ import annotations

import pytest

from visual_project import run, snapshots, write_project

ARIA_TEST = """
def test_main(page, expect_aria_snapshot):
    page.goto("/")
    expect_aria_snapshot(page.get_by_role("main"), "main", timeout=1_000)
"""


@pytest.fixture
def baseline(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """The project, its first run (which writes the baseline) and the baseline's path."""
    write_project(pytester, test_aria=ARIA_TEST)
    first = run(pytester, monkeypatch)
    return first, snapshots(pytester, "test_aria") / "main.aria.yml"


def test_missing_baseline_is_written_and_the_test_fails_saying_so(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline
) -> None:
    first, path = baseline

    second = run(pytester, monkeypatch)

    first.assert_outcomes(failed=1)
    first.stdout.fnmatch_lines(["*No baseline for ARIA snapshot 'main': wrote test_aria.py-snapshots/main.aria.yml*"])
    assert path.read_text(encoding="utf-8") == (
        '- main:\n  - heading "Visual" [level=1]\n  - button "Save"\n  - paragraph: 12:00\n')
    second.assert_outcomes(passed=1)


def test_changed_page_fails_with_a_unified_diff_and_keeps_the_baseline(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline
) -> None:
    _, path = baseline
    before = path.read_text(encoding="utf-8")

    result = run(pytester, monkeypatch, LABEL="Discard")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ARIA snapshot 'main' does not match test_aria.py-snapshots/main.aria.yml:",
                                 "*--- test_aria.py-snapshots/main.aria.yml", "*+++ page now",
                                 '*-  - button "Save"', '*+  - button "Discard"', "*main-actual.aria.yml*"])
    assert path.read_text(encoding="utf-8") == before


def test_a_baseline_edited_into_a_template_matches_with_playwrights_semantics(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline
) -> None:
    _, path = baseline
    path.write_text('- main:\n  - heading "Visual" [level=1]\n  - button /Sa(ve|il)/\n', encoding="utf-8")

    sail = run(pytester, monkeypatch, LABEL="Sail", CLOCK="a paragraph left out of the template")
    updated = run(pytester, monkeypatch, "--update-snapshots", LABEL="Save")

    sail.assert_outcomes(passed=1)
    updated.assert_outcomes(passed=1)
    assert "/Sa(ve|il)/" in path.read_text(encoding="utf-8"), "a matching template is not overwritten"


def test_update_snapshots_replaces_a_baseline_that_no_longer_matches(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, baseline
) -> None:
    _, path = baseline

    updated = run(pytester, monkeypatch, "--update-snapshots", LABEL="Discard")
    again = run(pytester, monkeypatch, LABEL="Discard")

    updated.assert_outcomes(passed=1)
    assert '- button "Discard"' in path.read_text(encoding="utf-8")
    again.assert_outcomes(passed=1)
