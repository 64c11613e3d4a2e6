"""The trace policy: which attempt of a test records a Playwright trace, and which keeps it.

``--tracing`` takes Playwright Test's modes; a failed attempt keeps any trace it recorded.
"""

from __future__ import annotations

import pytest

from flask_harness.run.artifacts import attempt_number

# Playwright Test's trace modes, per attempt: does it record a trace, and does it keep it when the
# attempt passed? (A failed attempt keeps any trace it recorded.)
TRACE_POLICIES: dict[str, tuple[str, str]] = {
    "off": ("never", "never"),
    "on": ("always", "always"),
    "retain-on-failure": ("always", "never"),
    "on-first-retry": ("first retry", "always"),
    "retain-on-failure-and-retries": ("always", "retries"),
}


def trace_policy(config: pytest.Config) -> str:
    return str(getattr(config.option, "tracing", None) or "off")


def records_trace(item: pytest.Item) -> bool:
    """Whether this attempt of the test records a Playwright trace."""
    record, _keep = TRACE_POLICIES.get(trace_policy(item.config), ("never", "never"))
    return record == "always" or (record == "first retry" and attempt_number(item) == 2)


def keeps_passing_trace(item: pytest.Item) -> bool:
    """Whether this attempt keeps its trace although it passed."""
    _record, keep = TRACE_POLICIES.get(trace_policy(item.config), ("never", "never"))
    return keep == "always" or (keep == "retries" and attempt_number(item) > 1)
