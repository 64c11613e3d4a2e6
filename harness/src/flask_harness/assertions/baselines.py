"""Baseline files kept beside the tests: where they live, ``--update-snapshots``, safe writes.

Shared by the screenshot, ARIA snapshot and accessibility assertions. Baselines live in
``<test file>-snapshots/`` next to the test file (as in Playwright Test). Writes are atomic (a
temporary file in the same folder, then ``os.replace``) and a baseline is written under a lock
shared by the run's xdist workers, so two workers never write the same baseline at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from flask_harness.config.options import UPDATE_OPTION

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def updating(config: pytest.Config) -> bool:
    """Whether this run writes baselines instead of failing on a difference."""
    return bool(config.getoption(UPDATE_OPTION, default=False))


def platform_name() -> str:
    """The platform part of a screenshot's name: ``linux``, ``darwin`` or ``win32`` (as Playwright)."""
    return sys.platform


def safe_name(name: str) -> str:
    """A snapshot name usable as a file name; refuse names that would be empty."""
    cleaned = _UNSAFE.sub("-", name).strip("-.")
    if not cleaned:
        raise pytest.UsageError(f"Snapshot name {name!r} has no letters or digits; give it a readable name.")
    return cleaned


def project_name(item: pytest.Item) -> str | None:
    """The test's project (playwright.config.py's ``projects``), whose baselines are its own."""
    callspec = getattr(item, "callspec", None)
    project = callspec.params.get("flask_harness_project") if callspec else None
    return getattr(project, "name", None)


def per_project(item: pytest.Item, name: str) -> str:
    """``name``, or ``name-<project>`` under projects: each project keeps its own baselines."""
    project = project_name(item)
    return f"{name}-{safe_name(project)}" if project else name


def snapshot_folder(item: pytest.Item) -> Path:
    """``<test file>-snapshots/`` beside the test file (``test_pages.py-snapshots/``)."""
    return item.path.parent / f"{item.path.name}-snapshots"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole: readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def baseline_lock(config: pytest.Config, path: Path) -> Iterator[None]:
    """Hold the run-wide lock of one baseline: its check-then-write is done by one worker at a time."""
    from filelock import FileLock

    from flask_harness.config import settings as harness_settings

    # The lock lives in the run folder (shared by the run's workers, removed with it), not beside
    # the baselines, so that no lock file is ever committed with them.
    folder = harness_settings.of(config).run_folder / "snapshot-locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    with FileLock(str(folder / f"{digest}.lock")):
        yield


def describe_path(config: pytest.Config, path: Path) -> str:
    """The path relative to the rootdir when it is inside it (shorter messages)."""
    try:
        return str(path.relative_to(config.rootpath))
    except ValueError:
        return str(path)
