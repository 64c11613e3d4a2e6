"""Reading ``playwright.config.py`` and merging it with pytest-playwright's command-line flags."""

from __future__ import annotations

import runpy
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pytest

CONFIG_FILE = "playwright.config.py"
TRACE_CHOICES = ("on", "off", "retain-on-failure")
SCREENSHOT_CHOICES = ("on", "off", "only-on-failure")


@dataclass(frozen=True)
class E2EConfig:
    """The browser layer's settings, with their defaults."""

    browser: str = "chromium"
    headless: bool = True
    slow_mo_ms: int = 0
    executable_path: str | None = None
    chromium_args: list[str] = field(default_factory=list)
    viewport: dict[str, int] = field(default_factory=lambda: {"width": 1280, "height": 800})
    locale: str = "en-US"
    timezone_id: str = "UTC"
    action_timeout_ms: int = 5_000
    navigation_timeout_ms: int = 10_000
    expect_timeout_ms: int = 5_000
    trace: str = "retain-on-failure"
    trace_screenshots: bool = False
    screenshot: str = "only-on-failure"
    video: str = "off"
    output_dir: str = "test-results"
    reuse_page: bool = True

    def context_args(self) -> dict[str, Any]:
        """Options for ``browser.new_context``."""
        return {"viewport": dict(self.viewport), "locale": self.locale, "timezone_id": self.timezone_id}


def load_config(rootpath: Path) -> E2EConfig:
    """Read ``playwright.config.py`` from the project root; unknown or mistyped settings are errors."""
    path = rootpath / CONFIG_FILE
    if not path.exists():
        return E2EConfig()
    values = {k: v for k, v in runpy.run_path(str(path)).items()
              if not k.startswith("_") and not callable(v) and not isinstance(v, type(runpy))}
    known = {f.name: f for f in fields(E2EConfig)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise pytest.UsageError(f"{path}: unknown setting(s) {', '.join(unknown)}; "
                                f"known: {', '.join(sorted(known))}.")
    defaults = E2EConfig()
    for name, value in values.items():
        default = getattr(defaults, name)
        expected = (str, type(None)) if default is None else type(default)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise pytest.UsageError(f"{path}: {name} must be like {default!r}, got {value!r}.")
    for name, choices in (("trace", TRACE_CHOICES), ("video", TRACE_CHOICES),
                          ("screenshot", SCREENSHOT_CHOICES)):
        if name in values and values[name] not in choices:
            raise pytest.UsageError(f"{path}: {name} must be one of {choices}, got {values[name]!r}.")
    return E2EConfig(**values)


def _given(config: pytest.Config, flag: str) -> bool:
    return any(arg == flag or arg.startswith(flag + "=") for arg in config.invocation_params.args)


def apply_to_playwright_options(config: pytest.Config, e2e: E2EConfig) -> None:
    """Make the config file's values the defaults of pytest-playwright's flags (flags still win)."""
    option = config.option
    if not hasattr(option, "tracing"):  # pytest-playwright not loaded
        return
    if not _given(config, "--browser"):
        option.browser = [e2e.browser]
    if not _given(config, "--headed") and not e2e.headless:
        option.headed = True
    if not _given(config, "--slowmo"):
        option.slowmo = e2e.slow_mo_ms
    if not _given(config, "--tracing"):
        option.tracing = e2e.trace
    if not _given(config, "--video"):
        option.video = e2e.video
    if not _given(config, "--screenshot"):
        option.screenshot = e2e.screenshot
        option.full_page_screenshot = True
    if not _given(config, "--output"):
        option.output = str(config.rootpath / e2e.output_dir)
