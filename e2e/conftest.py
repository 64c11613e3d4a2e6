"""Fixtures of the browser layer: the app's outbox, CSRF on, reproducible factory data."""

from __future__ import annotations

from email.message import EmailMessage
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


@pytest.fixture
def outbox(app: Flask) -> list[EmailMessage]:
    """Emails the live app has sent during this test, oldest first."""
    return app.extensions.setdefault("mail_outbox", [])
