"""Shards: ``--shard=K/N`` balanced by recorded durations, and ``merge`` of the shards' bundles."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flask_harness.run import shards
from flask_harness.run.results import RunResults
from red_build_project import run, write_project

SUITE = """
import pytest
from attempts_counter import attempt


@pytest.mark.parametrize("number", range(10))
def test_numbers(number):
    assert number != 7, "seven fails"


def test_flaky():
    assert attempt("flaky") > 1


@pytest.mark.skip(reason="later")
def test_skipped():
    pass


def test_uses_the_database(db):
    assert db.session.execute(db.text("select 1")).scalar() == 1
"""


def results_of(bundle: Path) -> dict[str, str]:
    return RunResults.load(bundle / "results.json", base=bundle).outcomes()


def test_four_shards_merged_give_the_tests_and_outcomes_of_one_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(pytester, test_suite=SUITE)
    run(pytester, monkeypatch, "--reruns", "1", "--harness-bundle", "whole")
    (pytester.path / ".test_durations").write_text((pytester.path / "whole" / "durations.json").read_text())

    for index in range(1, 5):
        for counter in pytester.path.glob(".attempts-*"):
            counter.unlink()
        workers = ["-n", "2"] if index == 2 else []  # xdist workers agree on the split
        shard = run(pytester, monkeypatch, "--reruns", "1", f"--shard={index}/4", "--harness-bundle", f"shard-{index}",
                    *workers)
        shard.stdout.fnmatch_lines([f"flask-harness: shard {index}/4, balanced by recorded durations"])
    merged = subprocess.run(
        [sys.executable, "-m", "flask_harness", "merge", *(f"shard-{i}" for i in range(1, 5)),
         "--html", "merged.html", "--junit", "merged.xml", "--durations", "merged-durations.json"],
        cwd=pytester.path, capture_output=True, text=True, check=False)

    whole = results_of(pytester.path / "whole")
    assert len(whole) == 13
    parts = [results_of(pytester.path / f"shard-{i}") for i in range(1, 5)]
    assert all(parts)
    assert sum(len(part) for part in parts) == len(whole)
    assert {nodeid: outcome for part in parts for nodeid, outcome in part.items()} == whole
    assert merged.returncode == 1, merged.stdout + merged.stderr  # test_numbers[7] failed
    assert "merged 4 bundles: 1 failed, 1 flaky, 10 passed, 1 skipped" in merged.stdout
    cases = {case.get("name"): case for case in ET.parse(pytester.path / "merged.xml").iter("testcase")}
    assert set(cases) == {nodeid.split("::")[-1] for nodeid in whole}
    assert cases["test_flaky"].find("flakyFailure") is not None
    assert cases["test_numbers[7]"].find("failure") is not None
    assert cases["test_numbers[7]"].find("rerunFailure") is not None
    html = (pytester.path / "merged.html").read_text()
    assert html.count('<details class="test"') == 13
    assert set(json.loads((pytester.path / "merged-durations.json").read_text())) == set(whole)


def test_split_balances_by_duration_and_deals_each_test_once() -> None:
    durations = {f"t{i}": float(d) for i, d in enumerate([9, 7, 6, 5, 5, 4, 3, 3, 2, 2, 1, 1, 1, 0.5] * 3)}
    nodeids = list(durations)

    parts = shards.split(nodeids, durations, 4)

    assert sorted(nodeid for part in parts for nodeid in part) == sorted(nodeids)
    assert shards.balance(parts, durations) <= 1.05


def test_tests_without_a_duration_count_as_the_mean() -> None:
    parts = shards.split(["a", "b", "c", "d"], {"a": 10.0, "b": 10.0}, 2)

    assert sorted(map(sorted, parts)) == [["a", "c"], ["b", "d"]]


@pytest.mark.parametrize("value", ["2", "0/4", "5/4", "a/b"])
def test_a_malformed_shard_is_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    write_project(pytester, test_suite=SUITE)

    result = run(pytester, monkeypatch, f"--shard={value}")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --shard={value!r}: *"])


def test_recorded_durations_count_the_session_set_up_of_each_workers_first_test_as_typical() -> None:
    results = RunResults()

    def record(worker: str, duration: float, setup: float) -> dict[str, object]:
        return {"attempt": 1, "outcome": "passed", "duration": duration, "setup_duration": setup, "worker": worker}

    results.add("a", record("gw0", 2.0, 1.9))  # paid the app and database set-up
    results.add("b", record("gw1", 1.6, 1.5))
    results.add("c", record("gw0", 0.3, 0.2))
    results.add("d", record("gw1", 0.3, 0.2))
    results.add("e", record("gw0", 0.4, 0.2))

    assert results.durations() == {"a": 0.3, "b": 0.3, "c": 0.3, "d": 0.3, "e": 0.4}
