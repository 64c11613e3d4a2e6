"""Video of journeys, recorded with the system ffmpeg (the other artifacts: test_live_reports.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apps_live import artifact_folders, make_project
from flask_harness.browser.binary import playwright_ffmpeg_path

JOURNEYS = """
from playwright.sync_api import expect


def test_1_passing_journey(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_2_failing_journey(page):
    page.goto("/boom")
    assert False, "the journey went wrong"
"""
FAILING = "test-journeys-py-test-2-failing-journey-chromium"


def test_video_of_a_failing_journey_is_kept_with_its_trace(pytester: pytest.Pytester,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)

    if not Path(os.environ["PLAYWRIGHT_BROWSERS_PATH"], *playwright_ffmpeg_path().parts[-2:]).exists():
        pytest.skip("no ffmpeg where Playwright looks: run python -m flask_harness install-browser")

    result = pytester.runpytest_subprocess("--video", "retain-on-failure")

    folder = pytester.path / "test-results" / FAILING
    result.assert_outcomes(passed=1, failed=1)
    assert artifact_folders(pytester) == [FAILING]
    videos = list(folder.glob("*.webm"))
    assert len(videos) == 1
    assert videos[0].stat().st_size > 0
    assert {"server.log", "trace.zip"} <= {path.name for path in folder.iterdir()}


@pytest.mark.parametrize(("flags", "playwright_config"), [(["--output", "."], ""), ([], 'output_dir = ""\n')])
def test_an_output_folder_holding_the_project_is_not_emptied(pytester: pytest.Pytester,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             flags: list[str], playwright_config: str) -> None:
    make_project(pytester, monkeypatch, playwright_config=playwright_config,
                 test_nothing="def test_nothing():\n    pass\n")

    result = pytester.runpytest_subprocess(*flags)

    result.assert_outcomes(passed=1)
    assert (pytester.path / "pyproject.toml").exists()
