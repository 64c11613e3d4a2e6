"""Which browser binary the harness launches, what it says when there is none, and how it installs one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flask_harness import __main__ as cli
from flask_harness.browser import binary as browser_binary
from flask_harness.browser.binary import ENV_VAR, BrowserNotFound, find_executable


@pytest.fixture(autouse=True)
def _no_browser_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def executable(folder: Path, name: str) -> str:
    """A file that passes for a browser binary."""
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


# --- find_executable --------------------------------------------------------------------------------


def test_environment_variable_wins_over_the_configured_path(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    from_env = executable(tmp_path, "env-chromium")
    monkeypatch.setenv(ENV_VAR, from_env)

    assert find_executable(executable(tmp_path, "config-chromium"), None, system_candidates=()) == from_env


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

    assert find_executable(None, str(tmp_path / "never-downloaded"), system_candidates=candidates) == first


def test_a_system_candidate_that_is_not_executable_is_skipped(tmp_path: Path) -> None:
    not_executable = tmp_path / "plain-file"
    not_executable.write_text("")
    usable = executable(tmp_path, "usable-chromium")

    assert find_executable(None, None, system_candidates=(str(not_executable), usable)) == usable


def test_no_browser_anywhere_raises_with_every_way_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFound) as not_found:
        find_executable(None, str(tmp_path / "missing"), system_candidates=(str(tmp_path / "absent"),))

    assert "playwright install chromium" in str(not_found.value)
    assert "apt-get install chromium" in str(not_found.value)
    assert ENV_VAR in str(not_found.value)


# --- install ----------------------------------------------------------------------------------------


def no_browser(*_args: object, **_kwargs: object) -> str:
    raise BrowserNotFound("none")


@pytest.fixture
def ffmpeg_present(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser tests below are about the browser: ffmpeg is there."""
    monkeypatch.setattr(browser_binary, "_install_ffmpeg", lambda: 0)


@pytest.fixture
def no_playwright_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_binary, "playwright_chromium_path", lambda: None)


def test_install_with_a_browser_present_installs_nothing(
    ffmpeg_present: None, no_playwright_browser: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(browser_binary, "find_executable", lambda *_args: "/opt/chromium")
    monkeypatch.setattr(browser_binary.subprocess, "call", pytest.fail)

    assert browser_binary.install() == 0
    assert capsys.readouterr().out == "Browser found: /opt/chromium\n"


def test_install_without_a_browser_downloads_playwrights_chromium(
    ffmpeg_present: None, no_playwright_browser: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(browser_binary, "find_executable", no_browser)
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda command: commands.append(command) or 0)

    assert browser_binary.install() == 0
    assert commands == [[browser_binary.sys.executable, "-m", "playwright", "install", "chromium"]]


def test_install_falls_back_to_apt_when_the_download_fails(
    ffmpeg_present: None, no_playwright_browser: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(browser_binary, "find_executable", no_browser)
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browser_binary.shutil, "which", lambda _name: "/usr/bin/apt-get")
    monkeypatch.setattr(browser_binary.subprocess, "check_call", lambda command, env: commands.append(command))

    assert browser_binary.install() == 0
    assert commands == [["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]]


def test_install_without_download_or_apt_prints_the_help_and_fails(
    ffmpeg_present: None, no_playwright_browser: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(browser_binary, "find_executable", no_browser)
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browser_binary.shutil, "which", lambda _name: None)

    assert browser_binary.install() == 1
    assert browser_binary.INSTALL_HELP in capsys.readouterr().err


# --- the ffmpeg that video recording needs ----------------------------------------------------------


@pytest.fixture
def ffmpeg_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))
    return browser_binary.playwright_ffmpeg_path()


def test_ffmpeg_path_follows_playwrights_manifest(ffmpeg_target: Path, tmp_path: Path) -> None:
    assert ffmpeg_target.parent.parent == tmp_path / "browsers"
    assert re.fullmatch(r"ffmpeg-\d+", ffmpeg_target.parent.name)
    assert ffmpeg_target.name == "ffmpeg-linux"


def test_ffmpeg_already_there_installs_nothing(ffmpeg_target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ffmpeg_target.parent.mkdir(parents=True)
    ffmpeg_target.touch()
    monkeypatch.setattr(browser_binary.subprocess, "call", pytest.fail)

    assert browser_binary._install_ffmpeg() == 0


def test_failed_ffmpeg_download_links_the_system_ffmpeg(ffmpeg_target: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "usr-bin-ffmpeg"
    system.touch()
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browser_binary.shutil, "which", lambda name: str(system) if name == "ffmpeg" else None)

    assert browser_binary._install_ffmpeg() == 0
    assert ffmpeg_target.resolve() == system


def test_a_dangling_ffmpeg_link_is_replaced(ffmpeg_target: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ffmpeg_target.parent.mkdir(parents=True)
    ffmpeg_target.symlink_to(tmp_path / "ffmpeg-since-removed")
    system = tmp_path / "usr-bin-ffmpeg"
    system.touch()
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browser_binary.shutil, "which", lambda name: str(system) if name == "ffmpeg" else None)

    assert browser_binary._install_ffmpeg() == 0
    assert ffmpeg_target.resolve() == system


def test_no_ffmpeg_anywhere_warns_but_does_not_fail(ffmpeg_target: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(browser_binary.subprocess, "call", lambda _command: 1)
    monkeypatch.setattr(browser_binary.shutil, "which", lambda _name: None)

    assert browser_binary._install_ffmpeg() == 0
    assert "video recording (--video) will not work" in capsys.readouterr().err
    assert not ffmpeg_target.exists()


# --- python -m flask_harness ------------------------------------------------------------------------


def test_find_browser_prints_the_binary(no_playwright_browser: None, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(browser_binary, "find_executable", lambda *_args: "/opt/chromium")

    assert cli.main(["find-browser"]) == 0
    assert capsys.readouterr().out == "/opt/chromium\n"


def test_find_browser_without_one_prints_how_to_install_and_fails(
    no_playwright_browser: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(browser_binary, "find_executable", no_browser)

    assert cli.main(["find-browser"]) == 1
    assert capsys.readouterr().err == "none\n"


def test_install_browser_runs_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_binary, "install", lambda: 7)

    assert cli.main(["install-browser"]) == 7


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([])

    assert exit_.value.code == 2
    assert "install-browser" in capsys.readouterr().err
