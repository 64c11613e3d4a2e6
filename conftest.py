"""The harness (pytest-flask-harness) loads itself through its entry point; this names what it needs
of this app beyond pyproject.toml's flask_app setting."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def upload_root(worker_folders: dict[str, Path]) -> Path:
    """This worker's ``UPLOAD_FOLDER``, emptied after each test."""
    return worker_folders["UPLOAD_FOLDER"]
