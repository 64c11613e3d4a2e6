"""Projects (issue 16, item 2): each browser test runs once per project of ``playwright.config.py``.

Only Chromium can be installed here, so the projects differ in device (desktop, a phone) and
colour scheme; each test's id names its project, ``--project`` picks some, baselines are kept per
project, and without projects pytest-playwright's ``--device`` works as before.
"""

from __future__ import annotations

import json

import pytest

from apps_live import make_project

PROJECTS = """
projects = [
    {"name": "desktop"},
    {"name": "phone", "device": "Pixel 7"},
    {"name": "dark", "color_scheme": "dark", "locale": "de-DE"},
]
"""

RECORDING_JOURNEY = """
import json
import os
from pathlib import Path

from playwright.sync_api import expect


def test_home(page, request):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    seen = page.evaluate(\"\"\"() => ({width: screen.width, mobile: /Mobile/.test(navigator.userAgent),
                                     dark: matchMedia('(prefers-color-scheme: dark)').matches,
                                     locale: navigator.language})\"\"\")
    project = request.getfixturevalue("flask_harness_project")
    name = project.name if project else "none"
    Path(os.environ["RECORDS"], name + ".json").write_text(json.dumps({**seen, "id": request.node.name}))
"""


def records_of(pytester: pytest.Pytester) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in (pytester.path / "records").glob("*.json")}


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "n2"])
def test_each_test_runs_once_per_project_with_the_project_in_its_id(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, workers: tuple[str, ...],
) -> None:
    make_project(pytester, monkeypatch, playwright_config=PROJECTS, test_home=RECORDING_JOURNEY)
    monkeypatch.setenv("RECORDS", str(pytester.mkdir("records")))

    result = pytester.runpytest_subprocess(*workers)

    result.assert_outcomes(passed=3)
    seen = records_of(pytester)
    assert {name: record["id"] for name, record in seen.items()} == {
        "desktop": "test_home[chromium-desktop]", "phone": "test_home[chromium-phone]",
        "dark": "test_home[chromium-dark]"}
    assert (seen["desktop"]["width"], seen["desktop"]["mobile"], seen["desktop"]["dark"]) == (1280, False, False)
    assert seen["phone"]["mobile"] is True
    assert seen["phone"]["width"] < 500
    assert (seen["dark"]["dark"], seen["dark"]["locale"]) == (True, "de-DE")


def test_project_picks_some_and_an_unknown_name_is_an_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_project(pytester, monkeypatch, playwright_config=PROJECTS, test_home=RECORDING_JOURNEY)
    monkeypatch.setenv("RECORDS", str(pytester.mkdir("records")))

    picked = pytester.runpytest_subprocess("--project", "phone", "--project", "dark")
    unknown = pytester.runpytest_subprocess("--project", "tablet")
    with_browser = pytester.runpytest_subprocess("--browser", "chromium")

    picked.assert_outcomes(passed=2)
    assert sorted(records_of(pytester)) == ["dark", "phone"]
    unknown.stderr.fnmatch_lines(["*--project tablet: no such project (known: desktop, phone, dark)*"])
    with_browser.stderr.fnmatch_lines(["*names projects*--browser and --device apply only without projects*"])


BASELINE_JOURNEY = """
def test_home_looks_right(page, expect_screenshot, expect_aria_snapshot):
    page.goto("/")
    expect_screenshot(page, "home")
    expect_aria_snapshot(page.locator("body"), "home")
"""


def test_each_project_keeps_its_own_baselines(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    two = 'projects = [{"name": "desktop"}, {"name": "phone", "device": "Pixel 7"}]\n'
    make_project(pytester, monkeypatch, playwright_config=two, test_looks=BASELINE_JOURNEY)

    written = pytester.runpytest_subprocess("--update-snapshots")
    checked = pytester.runpytest_subprocess()

    written.assert_outcomes(passed=2)
    checked.assert_outcomes(passed=2)
    folder = pytester.path / "test_looks.py-snapshots"
    assert sorted(path.name for path in folder.iterdir()) == [
        "home-desktop-linux.png", "home-desktop.aria.yml", "home-phone-linux.png", "home-phone.aria.yml"]


def test_without_projects_pytest_playwrights_device_flag_still_works(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_project(pytester, monkeypatch, test_home=RECORDING_JOURNEY)
    monkeypatch.setenv("RECORDS", str(pytester.mkdir("records")))

    result = pytester.runpytest_subprocess("--device", "Pixel 7")

    result.assert_outcomes(passed=1)
    [(name, record)] = records_of(pytester).items()
    assert (name, record["id"], record["mobile"]) == ("none", "test_home[chromium]", True)
