"""A tiny Flask app and project for pytester runs of the red-build features (retries, steps, reports).

The app is inline; the plugin's own tests never import the project's ``webapp``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TINY_APP = '''
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(80), nullable=False)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="tiny")
    app.config.update(test_config or {})
    db.init_app(app)

    @app.get("/")
    def home():
        count = db.session.query(Note).count()
        return f"<!doctype html><title>Tiny</title><h1>Tiny</h1><p id=count>{count} notes</p>"

    @app.get("/boom")
    def boom():
        raise RuntimeError("the tiny app broke")

    return app
'''

BASE_ADDOPTS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest",
                "-p", "no:faker", "--strict-markers", "-W", "error"]

# Counts attempts in a file beside the test: fails the first attempt only.
FLAKY_HELPER = '''
from pathlib import Path

def attempt(name):
    counter = Path(__file__).parent / f".attempts-{name}"
    number = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(number))
    return number
'''


def write_project(pytester: pytest.Pytester, playwright_config: str = "", **test_files: str) -> None:
    """The tiny app, its ini, an optional ``playwright.config.py``, and the given test files."""
    pytester.makepyfile(tinyapp=TINY_APP, attempts_counter=FLAKY_HELPER)
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'flask_app = "tinyapp:create_app"\n'
        f"addopts = {json.dumps(BASE_ADDOPTS)}\n"
    )
    # These projects test what each failed attempt keeps: every attempt records its trace unless the
    # test's own config names another policy (its line comes later, and wins).
    (pytester.path / "playwright.config.py").write_text(f'trace = "retain-on-failure"\n{playwright_config}',
                                                        encoding="utf-8")
    pytester.makepyfile(**test_files)


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str,
        env_endpoint: str | None = None) -> pytest.RunResult:
    """Run the project on SQLite and a local browser (or ``env_endpoint``), whatever the environment says."""
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP", "PYTEST_ADDOPTS",
                 "FLASK_HARNESS_BROWSER_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    if env_endpoint:
        monkeypatch.setenv("FLASK_HARNESS_BROWSER_ENDPOINT", env_endpoint)
    return pytester.runpytest_subprocess(*args)


def outcomes(result: pytest.RunResult) -> dict[str, int]:
    """The summary line's counts, reruns included (``assert_outcomes`` knows no reruns)."""
    return {name: count for name, count in result.parseoutcomes().items() if name != "seconds"}


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
