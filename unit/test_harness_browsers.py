"""Which browser binary the harness launches, and what it says when there is none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import browsers
from harness.browsers import ENV_VAR, BrowserNotFound, find_executable

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _no_browser_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def executable(folder: Path, name: str) -> str:
    """A file that passes for a browser binary."""
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_environment_variable_wins_over_the_configured_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from_env = executable(tmp_path, "env-chromium")
    monkeypatch.setenv(ENV_VAR, from_env)

    found = find_executable(executable(tmp_path, "config-chromium"), None, system_candidates=())

    assert found == from_env


def test_configured_path_wins_over_playwright_and_the_system(tmp_path: Path) -> None:
    configured = executable(tmp_path, "config-chromium")

    found = find_executable(configured, executable(tmp_path, "playwright-chromium"),
                            system_candidates=(executable(tmp_path, "system-chromium"),))

    assert found == configured


def test_configured_path_that_does_not_exist_raises_naming_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-chromium")

    with pytest.raises(BrowserNotFound, match=re.escape(f"Browser binary '{missing}' does not exist")):
        find_executable(missing, executable(tmp_path, "playwright-chromium"))


def test_environment_path_that_does_not_exist_raises_even_with_a_valid_configured_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-chromium")
    monkeypatch.setenv(ENV_VAR, missing)

    with pytest.raises(BrowserNotFound, match=re.escape(repr(missing))):
        find_executable(executable(tmp_path, "config-chromium"), None)


def test_playwrights_own_browser_present_means_none(tmp_path: Path) -> None:
    found = find_executable(None, executable(tmp_path, "playwright-chromium"),
                            system_candidates=(executable(tmp_path, "system-chromium"),))

    assert found is None


def test_without_playwrights_browser_the_first_existing_system_candidate_is_used(tmp_path: Path) -> None:
    first = executable(tmp_path, "first-chromium")
    candidates = (str(tmp_path / "absent-chromium"), first, executable(tmp_path, "second-chromium"))

    found = find_executable(None, str(tmp_path / "playwright-never-downloaded"), system_candidates=candidates)

    assert found == first


def test_a_system_candidate_that_is_not_executable_is_skipped(tmp_path: Path) -> None:
    not_executable = tmp_path / "plain-file"
    not_executable.write_text("")
    usable = executable(tmp_path, "usable-chromium")

    found = find_executable(None, None, system_candidates=(str(not_executable), usable))

    assert found == usable


def test_no_browser_anywhere_raises_with_both_ways_to_install_one(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFound) as not_found:
        find_executable(None, str(tmp_path / "missing"), system_candidates=(str(tmp_path / "absent"),))

    assert "playwright install chromium" in str(not_found.value)
    assert "apt-get install chromium" in str(not_found.value)


def test_no_browser_message_names_the_environment_variable(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFound, match=ENV_VAR):
        find_executable(None, None, system_candidates=())


# --- python -m harness.browsers --install ----------------------------------------------------------------


def no_browser(*_args: object, **_kwargs: object) -> str:
    raise BrowserNotFound("none")


def test_install_with_a_browser_present_installs_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(browsers, "_playwright_chromium_path", lambda: None)
    monkeypatch.setattr(browsers, "find_executable", lambda *_args: "/opt/chromium")
    monkeypatch.setattr(browsers.subprocess, "call", pytest.fail)

    assert browsers.install() == 0
    assert capsys.readouterr().out == "Browser found: /opt/chromium\n"


def test_install_without_a_browser_downloads_playwrights_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(browsers, "_playwright_chromium_path", lambda: None)
    monkeypatch.setattr(browsers, "find_executable", no_browser)
    monkeypatch.setattr(browsers.subprocess, "call", lambda command: commands.append(command) or 0)

    assert browsers.install() == 0
    assert commands == [[browsers.sys.executable, "-m", "playwright", "install", "chromium"]]


def test_install_falls_back_to_apt_when_the_download_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(browsers, "_playwright_chromium_path", lambda: None)
    monkeypatch.setattr(browsers, "find_executable", no_browser)
    monkeypatch.setattr(browsers.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browsers.shutil, "which", lambda _name: "/usr/bin/apt-get")
    monkeypatch.setattr(browsers.subprocess, "check_call", lambda command, env: commands.append(command))

    assert browsers.install() == 0
    assert commands == [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]]


def test_install_without_download_or_apt_prints_the_help_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(browsers, "_playwright_chromium_path", lambda: None)
    monkeypatch.setattr(browsers, "find_executable", no_browser)
    monkeypatch.setattr(browsers.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browsers.shutil, "which", lambda _name: None)

    assert browsers.install() == 1
    assert browsers.INSTALL_HELP in capsys.readouterr().err
