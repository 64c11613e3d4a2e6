"""Projects (Playwright Test's): each browser test runs once per project named in ``playwright.config.py``.

A project is a name and what its browser context differs in::

    projects = [
        {"name": "desktop"},
        {"name": "phone", "device": "Pixel 7"},            # Playwright's device descriptors
        {"name": "dark", "color_scheme": "dark", "locale": "de-DE"},
    ]

``--project NAME`` (repeatable) runs only those. Without projects, pytest-playwright's ``--browser``
and ``--device`` work as they always did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

BROWSERS = ("chromium", "firefox", "webkit")
# What a project may set: its browser, a device, and any of these browser.new_context options.
CONTEXT_KEYS = ("viewport", "locale", "timezone_id", "color_scheme", "device_scale_factor", "storage_state",
                "is_mobile", "has_touch", "user_agent", "reduced_motion", "forced_colors")


@dataclass(frozen=True)
class Project:
    """One project: its name (in each test's id), browser, device and context options."""

    name: str
    browser: str
    device: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    def context_args(self, devices: dict[str, Any]) -> dict[str, Any]:
        """The browser context's options: the device's descriptor, then the project's own."""
        descriptor = {key: value for key, value in devices[self.device].items()
                      if key != "default_browser_type"} if self.device else {}
        return {**descriptor, **self.context}


def parse(path: Path, raw: list[Any], default_browser: str) -> list[Project]:
    """The ``projects`` setting, checked: a list of dicts, each with a unique name and known keys."""
    projects: list[Project] = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise pytest.UsageError(f"{path}: each of projects is a dict with a name, like "
                                    f'{{"name": "phone", "device": "Pixel 7"}}; got {entry!r}.')
        unknown = sorted(set(entry) - {"name", "browser", "device", *CONTEXT_KEYS})
        if unknown:
            raise pytest.UsageError(f"{path}: project {entry['name']!r} has unknown key(s) {', '.join(unknown)}; "
                                    f"known: name, browser, device, {', '.join(CONTEXT_KEYS)}.")
        browser = entry.get("browser", default_browser)
        if browser not in BROWSERS:
            raise pytest.UsageError(f"{path}: project {entry['name']!r}: browser must be one of {BROWSERS}, "
                                    f"got {browser!r}.")
        context = {key: value for key, value in entry.items() if key in CONTEXT_KEYS}
        projects.append(Project(entry["name"], browser, entry.get("device"), context))
    names = [project.name for project in projects]
    if len(set(names)) != len(names):
        raise pytest.UsageError(f"{path}: project names must be unique, got {names}.")
    return projects


def selected(projects: list[Project], wanted: list[str] | None) -> list[Project]:
    """The projects ``--project`` names (all when none is named); an unknown name is an error."""
    if not wanted:
        return projects
    known = {project.name: project for project in projects}
    missing = [name for name in wanted if name not in known]
    if missing:
        where = f"known: {', '.join(known)}" if known else "playwright.config.py names no projects"
        raise pytest.UsageError(f"--project {', '.join(missing)}: no such project ({where}).")
    return [known[name] for name in dict.fromkeys(wanted)]
