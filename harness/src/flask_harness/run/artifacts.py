"""The per-test record every wing adds to, and the files a test keeps.

One ``TestRecord`` per attempt of a test, in ``item.stash``: its phases, its steps, its artifact
folder, the files it kept, and (for a live test) a function that tells what the server and the
browser met. Wings add to it through ``record_of(item)`` and ``keep(item, name, content)``; the
run wing turns it into the attempt's record and the report's sections (``run.attempts``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ARTIFACT_KINDS = {".zip": "trace", ".png": "screenshot", ".webm": "video"}
NAMED_ARTIFACTS = {"server.log": "server log", "server-errors.txt": "server tracebacks"}


@dataclass
class TestRecord:
    """One attempt of one test, as the wings saw it."""

    started: float = field(default_factory=time.perf_counter)
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    open_steps: list[dict[str, Any]] = field(default_factory=list)
    # A test with an artifact folder (a live test): its failures keep files and list them.
    has_artifacts: bool = False
    # The test's own folder (pytest-playwright's ``output_path``), else one named after the test.
    test_folder: Path | None = None
    kept: list[Path] = field(default_factory=list)
    # What the server and the browser met, for the attempt's record: set by the live wing.
    evidence: Callable[[], dict[str, Any]] | None = None
    # What the test ran against, for the report's header: "app", "database", "browser" (set by their wings).
    environment: dict[str, str] = field(default_factory=dict)
    _folder: Path | None = None


RECORD = pytest.StashKey[TestRecord]()


def start(item: pytest.Item) -> TestRecord:
    """A new record for this attempt: a retry starts clean."""
    item.stash[RECORD] = TestRecord()
    return item.stash[RECORD]


def record_of(item: pytest.Item) -> TestRecord:
    """This attempt's record (made on first use, for a test whose setup hooks did not run)."""
    record = item.stash.get(RECORD, None)
    return record if record is not None else start(item)


def attempt_number(item: pytest.Item) -> int:
    """1 for the first run of a test, 2 for its first retry (pytest-rerunfailures' count)."""
    return int(getattr(item, "execution_count", 1) or 1)


def is_retried(item: pytest.Item) -> bool:
    """Whether pytest-rerunfailures runs this test (``--reruns`` or a ``flaky`` marker)."""
    return hasattr(item, "execution_count")


def attempt_folder(item: pytest.Item, test_folder: Path) -> Path:
    """``<test folder>/attempt-N`` when the test may be retried, else the test's folder itself."""
    return test_folder / f"attempt-{attempt_number(item)}" if is_retried(item) else test_folder


def artifact_folder(item: pytest.Item) -> Path:
    """The attempt's artifact folder (made on first use): pytest-playwright's ``output_path`` when it has one."""
    record = record_of(item)
    if record._folder is None:
        if record.test_folder is not None:
            record._folder = record.test_folder
        else:
            output = Path(getattr(item.config.option, "output", None) or "test-results")
            slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid).strip("-")[:200]
            record._folder = attempt_folder(item, item.config.rootpath / output / slug)
    record._folder.mkdir(parents=True, exist_ok=True)
    return record._folder


def keep(item: pytest.Item, name: str, content: bytes | str) -> Path:
    """Save a file in the test's artifact folder and list it among the files the test kept."""
    path = artifact_folder(item) / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    record_of(item).kept.append(path)
    return path


def keep_saved(item: pytest.Item, paths: Iterable[Path]) -> None:
    """List files already saved in the artifact folder (a trace Playwright wrote) as kept."""
    record_of(item).kept.extend(paths)


def artifact_kind(path: Path) -> str:
    return NAMED_ARTIFACTS.get(path.name) or ARTIFACT_KINDS.get(path.suffix, "file")


def report_path(config: pytest.Config, path: Path | str) -> str:
    """A kept file's path for reports: relative to the rootdir when inside it, posix separators."""
    path = Path(path)
    try:
        return path.resolve().relative_to(config.rootpath.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
