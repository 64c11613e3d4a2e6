"""``expect_accessible``, seen from outside: a tiny Flask project run by pytester in a subprocess."""

from __future__ import annotations

import json

import pytest

from visual_project import run, snapshots, write_project

AXE_TEST = """
import os


def test_page(page, expect_accessible):
    page.goto(os.environ.get("PAGE_PATH", "/missing-label"))
    expect_accessible(page, "form", impact=os.environ.get("IMPACT", "serious"),
                      baseline=not os.environ.get("NO_BASELINE"))
"""


def baseline_entries(pytester: pytest.Pytester) -> list[tuple[str, str]]:
    path = snapshots(pytester, "test_axe") / "form.axe.json"
    return [(entry["rule"], entry["target"]) for entry in json.loads(path.read_text(encoding="utf-8"))]


def test_without_a_baseline_each_violation_is_listed_readably(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_axe=AXE_TEST)

    result = run(pytester, monkeypatch, NO_BASELINE="1")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*axe-core found on http://127.0.0.1:*/missing-label:",
                                 "*image-alt (critical) at #logo: Images must have alternative text",
                                 "*https://dequeuniversity.com/rules/axe/*/image-alt*"])
    assert not snapshots(pytester, "test_axe").exists()


def test_violations_below_the_chosen_impact_pass(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(pytester, test_axe=AXE_TEST)

    result = run(pytester, monkeypatch, NO_BASELINE="1", PAGE_PATH="/", IMPACT="critical")

    result.assert_outcomes(passed=1)


@pytest.fixture
def adopted(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    """A project that adopted the check: its first run wrote the baseline of known violations."""
    write_project(pytester, test_axe=AXE_TEST)
    return run(pytester, monkeypatch)


def test_missing_baseline_is_written_and_the_test_fails_then_known_violations_pass(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, adopted: pytest.RunResult
) -> None:
    again = run(pytester, monkeypatch)

    adopted.assert_outcomes(failed=1)
    adopted.stdout.fnmatch_lines(["*No accessibility baseline: wrote test_axe.py-snapshots/form.axe.json "
                                  "with 1 known violation(s)*"])
    assert baseline_entries(pytester) == [("image-alt", "#logo")]
    again.assert_outcomes(passed=1)


def test_a_new_violation_fails_and_update_snapshots_never_adds_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, adopted: pytest.RunResult
) -> None:
    plain = run(pytester, monkeypatch, EXTRA_IMAGE="1")
    updating = run(pytester, monkeypatch, "--update-snapshots", EXTRA_IMAGE="1")

    for result in (plain, updating):
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(["*axe-core found new violations on * (not in "
                                     "test_axe.py-snapshots/form.axe.json):",
                                     "*image-alt (critical) at #second*"])
    assert baseline_entries(pytester) == [("image-alt", "#logo")]


def test_a_fixed_violation_fails_until_update_snapshots_shrinks_the_baseline(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, adopted: pytest.RunResult
) -> None:
    fixed = run(pytester, monkeypatch, PAGE_PATH="/")
    shrunk = run(pytester, monkeypatch, "--update-snapshots", PAGE_PATH="/")
    after = run(pytester, monkeypatch, PAGE_PATH="/")

    fixed.assert_outcomes(failed=1)
    fixed.stdout.fnmatch_lines(["*Violations in test_axe.py-snapshots/form.axe.json are fixed on *",
                                "*image-alt at #logo", "*Run pytest --update-snapshots to remove them*"])
    shrunk.assert_outcomes(passed=1)
    assert baseline_entries(pytester) == []
    after.assert_outcomes(passed=1)
