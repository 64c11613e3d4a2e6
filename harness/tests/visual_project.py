"""A tiny Flask project for the visual assertion tests, run by pytester in a subprocess.

Its page reads environment variables at request time (the live server is a thread of the test
process), so a test changes what the page shows between two runs without touching its files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

APP = '''
import os

from flask import Flask, render_template_string
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Visual</title>
<style>
  body { margin: 0; font: 16px sans-serif; background: #ffffff; }
  button { margin: 16px; padding: 8px 16px; border: 0; color: #ffffff; background: {{ colour }}; }
  #dot { position: absolute; left: 200px; top: 150px; width: 1px; height: 1px; background: {{ dot }}; }
  #clock { margin: 16px; }
</style></head>
<body>
<main>
<h1>Visual</h1>
<button type="button">{{ label }}</button>
<p id="clock">{{ clock }}</p>
<div id="dot"></div>
</main>
</body></html>"""


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    app.config.from_mapping(test_config or {})
    db.init_app(app)

    @app.get("/")
    def home():
        return render_template_string(PAGE, colour=os.environ.get("BUTTON_COLOUR", "#0a58ca"),
                                      dot=os.environ.get("DOT", "#ffffff"),
                                      clock=os.environ.get("CLOCK", "12:00"), label=os.environ.get("LABEL", "Save"))

    @app.get("/clock")
    def clock():
        return ('<!doctype html><html lang="en"><head><title>Clock</title></head><body><main>'
                '<p id="now"></p><script>document.getElementById("now").textContent = '
                'new Date().toISOString();</script></main></body></html>')

    @app.get("/missing-label")
    def missing_label():
        extra = os.environ.get("EXTRA_IMAGE", "")
        return render_template_string(
            '<!doctype html><html lang="en"><head><title>Form</title></head><body><main>'
            '<h1>Form</h1><img src="data:," id="logo">{{ extra | safe }}</main></body></html>',
            extra='<img src="data:," id="second">' if extra else "")

    return app
'''

PLAYWRIGHT_CONFIG = """
trace = "retain-on-failure"
viewport = {"width": 320, "height": 240}
chromium_args = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
"""


def write_project(pytester: pytest.Pytester, **test_files: str) -> None:
    """The app, its pytest settings and playwright.config.py, plus the given test files."""
    addopts = ["-p", "no:randomly", "-p", "no:cacheprovider", "--strict-markers"]
    pytester.makepyprojecttoml(
        "[tool.pytest.ini_options]\n"
        'flask_app = "app:create_app"\n'
        f"addopts = {json.dumps(addopts)}\n"
        'filterwarnings = ["error"]\n'
    )
    pytester.makepyfile(app=APP)
    (pytester.path / "playwright.config.py").write_text(PLAYWRIGHT_CONFIG, encoding="utf-8")
    pytester.makepyfile(**test_files)


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str,
        **page_env: str) -> pytest.RunResult:
    """Run the project on SQLite, whatever the developer's environment says, the page set by ``page_env``."""
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "PYTEST_ADDOPTS", "BUTTON_COLOUR", "DOT", "CLOCK",
                 "EXTRA_IMAGE", "EXPECT_KWARGS", "LABEL", "PAGE_PATH", "MASK", "IMPACT", "NO_BASELINE", "BARRIER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in page_env.items():
        monkeypatch.setenv(name, value)
    return pytester.runpytest_subprocess(*args)


def snapshots(pytester: pytest.Pytester, test_file: str) -> Path:
    return pytester.path / f"{test_file}.py-snapshots"


def artifacts(pytester: pytest.Pytester) -> list[str]:
    """Every file kept under test-results/, as ``folder/name``."""
    results = pytester.path / "test-results"
    return sorted(f"{p.parent.name}/{p.name}" for p in results.rglob("*") if p.is_file()) if results.exists() else []
