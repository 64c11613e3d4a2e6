"""The harness (pytest-flask-harness) loads itself through its entry point; this names what it needs
of this app beyond pyproject.toml's flask_app setting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask


@pytest.fixture(scope="session")
def upload_root(worker_folders: dict[str, Path]) -> Path:
    """This worker's ``UPLOAD_FOLDER``, emptied after each test."""
    return worker_folders["UPLOAD_FOLDER"]


def pytest_flask_harness_mail(app: Flask, outbox: Any) -> Callable[[], None]:
    """``mail_outbox`` gets this app's mail: its test backend ("outbox") appends to the extension's list."""
    saved = app.extensions.get("mail_outbox", [])
    app.extensions["mail_outbox"] = outbox
    return lambda: app.extensions.__setitem__("mail_outbox", saved)
