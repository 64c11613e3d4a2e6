"""What a failing journey leaves in ``test-results/<test id>/``, and what a passing one leaves (nothing)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from apps_live import artifact_folders, make_project

from flask_harness.browser_binary import playwright_ffmpeg_path

JOURNEYS = """
from playwright.sync_api import expect


def test_1_passing_journey(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_2_failing_journey(page):
    page.goto("/boom")
    assert False, "the journey went wrong"
"""
PASSING = "test-journeys-py-test-1-passing-journey-chromium"
FAILING = "test-journeys-py-test-2-failing-journey-chromium"


def test_failing_journey_keeps_its_artifacts_and_a_passing_one_keeps_none(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)

    result = pytester.runpytest_subprocess()

    folder = pytester.path / "test-results" / FAILING
    result.assert_outcomes(passed=1, failed=1)
    assert artifact_folders(pytester) == [FAILING]
    assert sorted(path.name for path in folder.iterdir()) == [
        "screenshot.png", "server-errors.txt", "server.log", "trace.zip"]
    result.stdout.fnmatch_lines([
        "*- flask-harness artifacts -*",
        f"{folder}/screenshot.png",
        f"{folder}/trace.zip",
        f"{folder}/server.log",
        f"{folder}/server-errors.txt",
        f"open the trace with: playwright show-trace {folder}/trace.zip",
    ])
    assert zipfile.is_zipfile(folder / "trace.zip")
    assert (folder / "screenshot.png").read_bytes().startswith(b"\x89PNG")
    assert '"GET /boom HTTP/1.1" 500' in (folder / "server.log").read_text()
    assert "RuntimeError: boom from the view" in (folder / "server-errors.txt").read_text()


@pytest.mark.parametrize(("video", "kept"), [("retain-on-failure", [FAILING]), ("on", [PASSING, FAILING])])
def test_video_is_recorded_with_the_system_ffmpeg(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                  video: str, kept: list[str]) -> None:
    make_project(pytester, monkeypatch, test_journeys=JOURNEYS)

    if not Path(os.environ["PLAYWRIGHT_BROWSERS_PATH"], *playwright_ffmpeg_path().parts[-2:]).exists():
        pytest.skip("no ffmpeg where Playwright looks: run python -m flask_harness install-browser")

    result = pytester.runpytest_subprocess("--video", video)

    result.assert_outcomes(passed=1, failed=1)
    assert artifact_folders(pytester) == kept
    for name in kept:
        videos = list((pytester.path / "test-results" / name).glob("*.webm"))
        assert len(videos) == 1
        assert videos[0].stat().st_size > 0
    assert {"server.log", "trace.zip"} <= {path.name for path in (pytester.path / "test-results" / FAILING).iterdir()}
