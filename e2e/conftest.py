"""Fixtures of the browser layer: CSRF on, reproducible factory data (the mail: the harness's mail_outbox)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from factories import reseed
from webapp.extensions import limiter


@pytest.fixture(scope="session")
def live_server_config() -> dict[str, Any]:
    """Browser tests run with CSRF protection on, as in production."""
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture(autouse=True)
def _per_test_state(request: pytest.FixtureRequest, app: Flask) -> None:
    """Reproducible factory data, fresh rate-limit counters and an empty outbox per test."""
    reseed(request.node.nodeid)
    limiter.reset()
    app.extensions["mail_outbox"] = []
