"""playwright.config.py: reading it strictly, and merging it with pytest-playwright's flags."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from harness.e2e_config import E2EConfig, apply_to_playwright_options, load_config

pytestmark = pytest.mark.unit

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def write_config(folder: Path, text: str) -> Path:
    (folder / "playwright.config.py").write_text(text)
    return folder


def playwright_options() -> SimpleNamespace:
    """pytest-playwright's options as its own defaults leave them."""
    return SimpleNamespace(browser=[], headed=False, slowmo=0, tracing="off", video="off",
                           screenshot="off", full_page_screenshot=False, output="test-results")


def fake_config(option: Any, args: tuple[str, ...] = (), rootpath: Path = Path("/project")) -> Any:
    return SimpleNamespace(option=option, invocation_params=SimpleNamespace(args=args), rootpath=rootpath)


# --- load_config -----------------------------------------------------------------------------------------


def test_load_config_without_a_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == E2EConfig()


def test_load_config_reads_the_values_of_the_file(tmp_path: Path) -> None:
    write_config(tmp_path, 'browser = "firefox"\nheadless = False\naction_timeout_ms = 1_000\n'
                           'executable_path = "/opt/chromium"\nchromium_args = ["--mute-audio"]\n'
                           'trace = "on"\n')

    loaded = load_config(tmp_path)

    assert (loaded.browser, loaded.headless, loaded.action_timeout_ms, loaded.executable_path,
            loaded.chromium_args, loaded.trace) == ("firefox", False, 1_000, "/opt/chromium",
                                                    ["--mute-audio"], "on")


def test_load_config_keeps_the_defaults_of_settings_the_file_leaves_out(tmp_path: Path) -> None:
    write_config(tmp_path, "headless = False\n")

    loaded = load_config(tmp_path)

    assert loaded == E2EConfig(headless=False)


def test_load_config_ignores_imports_functions_and_private_names(tmp_path: Path) -> None:
    write_config(tmp_path, "import os\nfrom pathlib import Path\n_scratch = 3\n"
                           "def helper():\n    return 1\nslow_mo_ms = 250\n")

    assert load_config(tmp_path) == E2EConfig(slow_mo_ms=250)


def test_the_projects_own_config_file_is_valid() -> None:
    loaded = load_config(PROJECT_ROOT)

    assert loaded.browser == "chromium"


def test_unknown_settings_are_a_usage_error_listing_them(tmp_path: Path) -> None:
    write_config(tmp_path, "headles = False\ncolour = 'blue'\n")

    with pytest.raises(pytest.UsageError, match=re.escape("unknown setting(s) colour, headles;")):
        load_config(tmp_path)


@pytest.mark.parametrize(("line", "message"), [
    ('headless = "yes"', "headless must be like True, got 'yes'"),
    ("action_timeout_ms = True", "action_timeout_ms must be like 5000, got True"),
    ("viewport = [1280, 800]", "viewport must be like"),
    ("executable_path = 3", "executable_path must be like None, got 3"),
])
def test_a_setting_of_the_wrong_type_is_a_usage_error(tmp_path: Path, line: str, message: str) -> None:
    write_config(tmp_path, line + "\n")

    with pytest.raises(pytest.UsageError, match=message):
        load_config(tmp_path)


@pytest.mark.parametrize(("name", "value"), [("trace", "always"), ("video", "only-on-failure"),
                                             ("screenshot", "retain-on-failure")])
def test_an_artifact_setting_outside_its_choices_is_a_usage_error(
    tmp_path: Path, name: str, value: str
) -> None:
    write_config(tmp_path, f"{name} = {value!r}\n")

    with pytest.raises(pytest.UsageError, match=f"{name} must be one of"):
        load_config(tmp_path)


def test_context_args_are_viewport_locale_and_timezone() -> None:
    config = E2EConfig(viewport={"width": 800, "height": 600}, locale="de-DE", timezone_id="Europe/Berlin")

    assert config.context_args() == {"viewport": {"width": 800, "height": 600}, "locale": "de-DE",
                                     "timezone_id": "Europe/Berlin"}


# --- apply_to_playwright_options -------------------------------------------------------------------------


def test_config_values_become_the_defaults_of_the_flags() -> None:
    option = playwright_options()
    e2e = E2EConfig(browser="firefox", headless=False, slow_mo_ms=100, trace="on", video="on",
                    screenshot="on", output_dir="artifacts")

    apply_to_playwright_options(fake_config(option, rootpath=Path("/project")), e2e)

    assert vars(option) == {"browser": ["firefox"], "headed": True, "slowmo": 100, "tracing": "on",
                            "video": "on", "screenshot": "on", "full_page_screenshot": True,
                            "output": "/project/artifacts"}


def test_a_headless_config_leaves_headed_off() -> None:
    option = playwright_options()

    apply_to_playwright_options(fake_config(option), E2EConfig(headless=True))

    assert option.headed is False


@pytest.mark.parametrize("args", [("--tracing=on",), ("--tracing", "on")])
def test_tracing_given_on_the_command_line_wins(args: tuple[str, ...]) -> None:
    option = playwright_options()
    option.tracing = "on"

    apply_to_playwright_options(fake_config(option, args), E2EConfig(trace="off"))

    assert option.tracing == "on"


def test_headed_given_on_the_command_line_wins_over_a_headless_config() -> None:
    option = playwright_options()
    option.headed = True

    apply_to_playwright_options(fake_config(option, ("--headed",)), E2EConfig(headless=True))

    assert option.headed is True


@pytest.mark.parametrize(("flag", "attribute", "given"), [
    ("--browser=webkit", "browser", ["webkit"]),
    ("--slowmo=50", "slowmo", 50),
    ("--video=on", "video", "on"),
    ("--screenshot=on", "screenshot", "on"),
    ("--output=elsewhere", "output", "elsewhere"),
])
def test_other_flags_given_on_the_command_line_win(flag: str, attribute: str, given: Any) -> None:
    option = playwright_options()
    setattr(option, attribute, given)

    apply_to_playwright_options(fake_config(option, (flag,)), E2EConfig())

    assert getattr(option, attribute) == given


def test_a_flag_on_the_command_line_leaves_the_other_defaults_to_the_config() -> None:
    option = playwright_options()

    apply_to_playwright_options(fake_config(option, ("--tracing=off",)), E2EConfig(video="on"))

    assert (option.tracing, option.video) == ("off", "on")


def test_without_pytest_playwright_the_options_are_left_alone() -> None:
    option = SimpleNamespace(verbose=0)

    apply_to_playwright_options(fake_config(option), E2EConfig(browser="firefox"))

    assert vars(option) == {"verbose": 0}
