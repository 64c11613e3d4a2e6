"""``playwright.config.py``: read strictly and once, its values the defaults of pytest-playwright's flags."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from apps_live import make_project
from flask_harness.config.playwright_config import (
    PlaywrightSettings,
    apply_to_playwright_options,
    given_flags,
    load_settings,
)


def write_config(folder: Path, text: str) -> Path:
    (folder / "playwright.config.py").write_text(text)
    return folder


def playwright_options() -> SimpleNamespace:
    """pytest-playwright's options as its own defaults leave them."""
    return SimpleNamespace(browser=[], headed=False, slowmo=0, tracing="off", video="off",
                           screenshot="off", full_page_screenshot=False, output="test-results")


def fake_config(option: Any, args: tuple[str, ...] = (), addopts: tuple[str, ...] = (),
                rootpath: Path = Path("/project")) -> Any:
    return SimpleNamespace(option=option, invocation_params=SimpleNamespace(args=args), rootpath=rootpath,
                           getini=lambda name: list(addopts) if name == "addopts" else None)


@pytest.fixture(autouse=True)
def _no_addopts_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)


# --- load_settings ----------------------------------------------------------------------------------


def test_without_a_file_the_settings_are_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == PlaywrightSettings()


def test_the_files_values_are_read(tmp_path: Path) -> None:
    write_config(tmp_path, 'browser = "firefox"\nheadless = False\naction_timeout_ms = 1_000\n'
                           'executable_path = "/opt/chromium"\nchromium_args = ["--mute-audio"]\n'
                           'trace = "on"\nthird_party = "block"\nallowed_console_messages = ["^noise"]\n')

    loaded = load_settings(tmp_path)

    assert loaded == PlaywrightSettings(browser="firefox", headless=False, action_timeout_ms=1_000,
                                        executable_path="/opt/chromium", chromium_args=["--mute-audio"],
                                        trace="on", third_party="block", allowed_console_messages=["^noise"])


def test_imports_functions_and_private_names_are_not_settings(tmp_path: Path) -> None:
    write_config(tmp_path, "import os\nfrom pathlib import Path\n_scratch = 3\n"
                           "def helper():\n    return 1\nslow_mo_ms = 250\n")

    assert load_settings(tmp_path) == PlaywrightSettings(slow_mo_ms=250)


def test_unknown_settings_are_a_usage_error_listing_them(tmp_path: Path) -> None:
    write_config(tmp_path, "headles = False\ncolour = 'blue'\n")

    with pytest.raises(pytest.UsageError, match=re.escape("unknown setting(s) colour, headles;")):
        load_settings(tmp_path)


@pytest.mark.parametrize(("line", "message"), [
    ('headless = "yes"', "headless must be like True, got 'yes'"),
    ("action_timeout_ms = True", "action_timeout_ms must be like 5000, got True"),
    ("viewport = [1280, 800]", "viewport must be like"),
    ("executable_path = 3", "executable_path must be like None, got 3"),
    ("allowed_console_messages = 'noise'", "allowed_console_messages must be like"),
    ("third_party = {'https://cdn.example.com/': 'tests/vendor'}", "third_party maps a host to a folder"),
    ("third_party = {'cdn.example.com': 3}", "third_party maps a host to a folder"),
])
def test_a_setting_of_the_wrong_type_is_a_usage_error(tmp_path: Path, line: str, message: str) -> None:
    write_config(tmp_path, line + "\n")

    with pytest.raises(pytest.UsageError, match=message):
        load_settings(tmp_path)


@pytest.mark.parametrize(("name", "value"), [("trace", "always"), ("video", "only-on-failure"),
                                             ("screenshot", "retain-on-failure"), ("third_party", "mock")])
def test_a_setting_outside_its_choices_is_a_usage_error(tmp_path: Path, name: str, value: str) -> None:
    write_config(tmp_path, f"{name} = {value!r}\n")

    with pytest.raises(pytest.UsageError, match=f"{name} must be one of"):
        load_settings(tmp_path)


def test_vendor_folders_are_relative_to_the_config_file(tmp_path: Path) -> None:
    write_config(tmp_path, "third_party = {'CDN.example.com': 'tests/vendor'}\n")

    settings = load_settings(tmp_path)

    assert settings.vendor_folders == {"cdn.example.com": (tmp_path / "tests" / "vendor").resolve()}
    assert settings.blocks_third_party


def test_context_args_are_viewport_locale_timezone_colour_scheme_and_scale() -> None:
    settings = PlaywrightSettings(viewport={"width": 800, "height": 600}, locale="de-DE",
                                  timezone_id="Europe/Berlin", color_scheme="dark", device_scale_factor=2.0)

    assert settings.context_args() == {"viewport": {"width": 800, "height": 600}, "locale": "de-DE",
                                       "timezone_id": "Europe/Berlin", "color_scheme": "dark",
                                       "device_scale_factor": 2.0}


def test_allowed_console_messages_are_searched_as_regular_expressions() -> None:
    settings = PlaywrightSettings(allowed_console_messages=[r"^Failed to load .*gravatar", "widget"])

    assert [settings.allows_console(text) for text in (
        "Failed to load resource: https://gravatar.com/x", "the widget broke", "TypeError: x is undefined",
    )] == [True, True, False]


# --- given_flags and apply_to_playwright_options ----------------------------------------------------


def test_given_flags_come_from_the_command_line_addopts_and_the_environment(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_ADDOPTS", "--browser firefox -x")

    given = given_flags(fake_config(playwright_options(), args=("--tracing=on", "tests", "-q"),
                                    addopts=("--video", "on")))

    assert given == {"--tracing", "--video", "--browser"}


def test_config_values_become_the_defaults_of_the_flags() -> None:
    option = playwright_options()
    settings = PlaywrightSettings(browser="firefox", headless=False, slow_mo_ms=100, trace="on", video="on",
                                  screenshot="on", output_dir="artifacts")

    apply_to_playwright_options(fake_config(option, rootpath=Path("/project")), settings)

    assert vars(option) == {"browser": ["firefox"], "headed": True, "slowmo": 100, "tracing": "on",
                            "video": "on", "screenshot": "on", "full_page_screenshot": True,
                            "output": "/project/artifacts"}


def test_a_headless_config_leaves_headed_off() -> None:
    option = playwright_options()

    apply_to_playwright_options(fake_config(option), PlaywrightSettings(headless=True))

    assert option.headed is False


@pytest.mark.parametrize(("flag", "attribute", "given"), [
    ("--browser=webkit", "browser", ["webkit"]),
    ("--headed", "headed", True),
    ("--slowmo=50", "slowmo", 50),
    ("--tracing=off", "tracing", "off"),
    ("--video=on", "video", "on"),
    ("--screenshot=on", "screenshot", "on"),
    ("--output=elsewhere", "output", "elsewhere"),
])
@pytest.mark.parametrize("source", ["command line", "ini addopts", "PYTEST_ADDOPTS"])
def test_a_flag_given_anywhere_wins_over_the_file(monkeypatch: pytest.MonkeyPatch, flag: str, attribute: str,
                                                  given: Any, source: str) -> None:
    option = playwright_options()
    setattr(option, attribute, given)  # what pytest parsed from the flag
    config = fake_config(option, args=(flag,) if source == "command line" else (),
                         addopts=(flag,) if source == "ini addopts" else ())
    if source == "PYTEST_ADDOPTS":
        monkeypatch.setenv("PYTEST_ADDOPTS", flag)

    apply_to_playwright_options(config, PlaywrightSettings(browser="firefox", headless=True, slow_mo_ms=9,
                                                           trace="on", video="retain-on-failure",
                                                           screenshot="off", output_dir="from-file"))

    assert getattr(option, attribute) == given


def test_without_pytest_playwright_the_options_are_left_alone() -> None:
    option = SimpleNamespace(verbose=0)

    apply_to_playwright_options(fake_config(option), PlaywrightSettings(browser="firefox"))

    assert vars(option) == {"verbose": 0}


# --- a project's run ---------------------------------------------------------------------------------

COUNTING_CONFIG = """
import pathlib as _pathlib

with (_pathlib.Path(__file__).parent / "reads.txt").open("a") as _log:
    _log.write("read\\n")

browser = "webkit"
trace = "on"
"""

SHOW_OPTIONS = """
def test_options(browser_name, pytestconfig, playwright_settings):
    print(f"browser={browser_name} tracing={pytestconfig.option.tracing} file={playwright_settings.browser}")
"""


@pytest.mark.parametrize(("source", "browser", "tracing"), [
    ("the file alone", "webkit", "on"),
    ("command line", "firefox", "off"),
    ("ini addopts", "firefox", "off"),
    ("PYTEST_ADDOPTS", "firefox", "off"),
])
def test_pytest_playwright_flags_from_any_source_win_over_the_file_read_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, source: str, browser: str, tracing: str
) -> None:
    flags = ["--browser", "firefox", "--tracing=off"]
    make_project(pytester, monkeypatch, playwright_config=COUNTING_CONFIG,
                 addopts=flags if source == "ini addopts" else [], test_options=SHOW_OPTIONS)
    if source == "PYTEST_ADDOPTS":
        monkeypatch.setenv("PYTEST_ADDOPTS", " ".join(flags))

    result = pytester.runpytest_subprocess("-s", *(flags if source == "command line" else []))

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*browser={browser} tracing={tracing} file=webkit*"])
    assert (pytester.path / "reads.txt").read_text() == "read\n"
