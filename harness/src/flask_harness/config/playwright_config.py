"""Reading ``playwright.config.py`` and making it the defaults of pytest-playwright's flags.

The file is read once, in ``pytest_configure``. A flag given anywhere (the command line, ``addopts``
in the ini, ``PYTEST_ADDOPTS``) wins over the file.
"""

from __future__ import annotations

import os
import re
import runpy
import shlex
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pytest

from flask_harness.config import projects
from flask_harness.config.projects import Project

CONFIG_FILE = "playwright.config.py"
VIDEO_CHOICES = ("on", "off", "retain-on-failure")
# Playwright Test's modes; the last two apply with retries (pytest-rerunfailures' --reruns).
TRACE_CHOICES = (*VIDEO_CHOICES, "on-first-retry", "retain-on-failure-and-retries", "rerun-on-failure")
THIRD_PARTY_CHOICES = ("allow", "block")
COLOR_SCHEME_CHOICES = ("light", "dark", "no-preference")
SCREENSHOT_CHOICES = ("on", "off", "only-on-failure")


@dataclass(frozen=True)
class PlaywrightSettings:
    """The browser layer's settings (``playwright.config.py``), with their defaults."""

    browser: str = "chromium"
    headless: bool = True
    slow_mo_ms: int = 0
    executable_path: str | None = None
    chromium_args: list[str] = field(default_factory=list)
    viewport: dict[str, int] = field(default_factory=lambda: {"width": 1280, "height": 800})
    locale: str = "en-US"
    timezone_id: str = "UTC"
    # Deterministic rendering for screenshot baselines.
    color_scheme: str = "light"
    device_scale_factor: float = 1.0
    action_timeout_ms: int = 5_000
    navigation_timeout_ms: int = 10_000
    expect_timeout_ms: int = 5_000
    trace: str = "rerun-on-failure"
    trace_screenshots: bool = False
    screenshot: str = "only-on-failure"
    video: str = "off"
    output_dir: str = "test-results"
    reuse_page: bool = True
    # A browser served by `playwright run-server` ("ws://host:port/"); env FLASK_HARNESS_BROWSER_ENDPOINT wins.
    connect_endpoint: str | None = None
    # "block": requests to any host but the live server are aborted (a closed CI network, CDN
    # assets, avatars), and the console errors they cause are not failures. A mapping
    # {"cdn.example.com": "tests/vendor"} serves those hosts from folders (relative to this file's
    # folder, the rootdir) and blocks the others.
    third_party: str | dict[str, str] = "allow"
    # Regular expressions: console errors and uncaught page errors matching one are not failures.
    allowed_console_messages: list[str] = field(default_factory=list)
    # Playwright Test's projects: each browser test runs once per project (config.projects).
    projects: list[Project] = field(default_factory=list)

    def allows_console(self, text: str) -> bool:
        return any(re.search(pattern, text) for pattern in self.allowed_console_messages)

    @property
    def blocks_third_party(self) -> bool:
        """Whether requests to other hosts than the live server are aborted (or served from folders)."""
        return self.third_party != "allow"

    @property
    def vendor_folders(self) -> dict[str, Path]:
        """Host → the folder its files are served from (``third_party`` as a mapping)."""
        return {host: Path(folder) for host, folder in self.third_party.items()} \
            if isinstance(self.third_party, dict) else {}

    def context_args(self) -> dict[str, Any]:
        """Options for ``browser.new_context``."""
        return {"viewport": dict(self.viewport), "locale": self.locale, "timezone_id": self.timezone_id,
                "color_scheme": self.color_scheme, "device_scale_factor": self.device_scale_factor}


def load_settings(rootpath: Path) -> PlaywrightSettings:
    """Read ``playwright.config.py`` from the project root; unknown or mistyped settings are errors."""
    path = rootpath / CONFIG_FILE
    if not path.exists():
        return PlaywrightSettings()
    values = {k: v for k, v in runpy.run_path(str(path)).items()
              if not k.startswith("_") and not callable(v) and not isinstance(v, type(runpy))}
    known = {f.name: f for f in fields(PlaywrightSettings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise pytest.UsageError(f"{path}: unknown setting(s) {', '.join(unknown)}; "
                                f"known: {', '.join(sorted(known))}.")
    if isinstance(values.get("third_party"), dict):
        values["third_party"] = _vendor_folders(path, values["third_party"])
    defaults = PlaywrightSettings()
    for name, value in values.items():
        if name == "third_party" and isinstance(value, dict):
            continue  # checked by _vendor_folders
        default = getattr(defaults, name)
        expected: type | tuple[type, ...] = (str, type(None)) if default is None else type(default)
        if expected is float:
            expected = (int, float)  # device_scale_factor = 2 is a float setting too
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise pytest.UsageError(f"{path}: {name} must be like {default!r}, got {value!r}.")
    for name, choices in (("trace", TRACE_CHOICES), ("video", VIDEO_CHOICES),
                          ("screenshot", SCREENSHOT_CHOICES), ("third_party", THIRD_PARTY_CHOICES),
                          ("color_scheme", COLOR_SCHEME_CHOICES)):
        if name in values and not isinstance(values[name], dict) and values[name] not in choices:
            raise pytest.UsageError(f"{path}: {name} must be one of {choices}, got {values[name]!r}.")
    if "projects" in values:
        values["projects"] = projects.parse(path, values["projects"], values.get("browser", defaults.browser))
    return PlaywrightSettings(**values)


def _vendor_folders(path: Path, mapping: dict[Any, Any]) -> dict[str, str]:
    """``third_party`` as host → folder: each folder made absolute against the config file's folder."""
    folders: dict[str, str] = {}
    for host, folder in mapping.items():
        if not isinstance(host, str) or not isinstance(folder, str) or "/" in host or not host:
            raise pytest.UsageError(f"{path}: third_party maps a host to a folder, like "
                                    f'{{"cdn.example.com": "tests/vendor"}}; got {host!r}: {folder!r}.')
        folders[host.lower()] = str((path.parent / folder).resolve())
    return folders


def given_flags(config: pytest.Config) -> set[str]:
    """Every flag the run was given: command line, ini ``addopts`` and ``PYTEST_ADDOPTS``."""
    args = [*config.invocation_params.args, *config.getini("addopts"),
            *shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    return {str(arg).partition("=")[0] for arg in args if str(arg).startswith("--")}


def apply_to_playwright_options(config: pytest.Config, settings: PlaywrightSettings) -> None:
    """Make the config file's values the defaults of pytest-playwright's flags (flags still win)."""
    option = config.option
    if not hasattr(option, "tracing"):  # pytest-playwright not loaded
        return
    given = given_flags(config)

    if settings.projects and ({"--browser", "--device"} & given):
        raise pytest.UsageError("playwright.config.py names projects, and each names its browser and device: "
                                "--browser and --device apply only without projects (pick some with --project).")
    if settings.projects:
        option.browser = sorted({project.browser for project in settings.projects})
    elif "--browser" not in given:
        option.browser = [settings.browser]
    if "--headed" not in given and not settings.headless:
        option.headed = True
    if "--slowmo" not in given:
        option.slowmo = settings.slow_mo_ms
    if "--tracing" not in given:
        option.tracing = settings.trace
    if "--video" not in given:
        option.video = settings.video
    if "--screenshot" not in given:
        option.screenshot = settings.screenshot
        option.full_page_screenshot = True
    if "--output" not in given:
        option.output = str(config.rootpath / settings.output_dir)


PLAYWRIGHT_SETTINGS = pytest.StashKey[PlaywrightSettings]()


def of(config: pytest.Config) -> PlaywrightSettings:
    """The settings read from ``playwright.config.py`` at configure time (by the browser wing)."""
    return config.stash[PLAYWRIGHT_SETTINGS]
