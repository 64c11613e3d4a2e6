"""The browser's side of retries: each attempt's files in its own folder, traces kept by policy.

Registered with the browser layer (after pytest-playwright, so ``output_path`` here wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flask_harness.run.attempts import attempt_folder
from flask_harness.live.fixtures import LIVE_TEST, SAVED_ARTIFACTS
from flask_harness.run.retries import keeps_passing_trace

_RETRY_SUFFIX = re.compile(r"-retry\d+$")


@pytest.fixture
def output_path(output_path: str, request: pytest.FixtureRequest) -> str:
    """pytest-playwright's folder for the test, with ``attempt-N/`` inside it when retries are on."""
    test_folder = Path(_RETRY_SUFFIX.sub("", output_path))
    return str(attempt_folder(request.node, test_folder))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep a passing attempt's trace when the policy says so (``on``, ``on-first-retry``, retries)."""
    report: Any = yield
    if report.when != "call" or report.failed or not keeps_passing_trace(item) or LIVE_TEST not in item.stash:
        return report  # type: ignore[no-any-return]
    from flask_harness.browser.fixtures import WORKER_PAGE
    from flask_harness.live.fixtures import artifact_folder

    worker_page = item.stash.get(WORKER_PAGE, None)
    if worker_page is not None:
        try:
            paths = worker_page.save_failure(artifact_folder(item), screenshot=False)
        except Exception as exc:  # a broken page must not fail a passing test
            report.sections.append(("flask-harness browser artifacts", f"could not save the trace: {exc!r}"))
        else:
            item.stash.setdefault(SAVED_ARTIFACTS, []).extend(paths)
    return report  # type: ignore[no-any-return]
