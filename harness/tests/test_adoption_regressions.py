"""Defects met while adopting the harness in public apps (microblog, flasky, cookiecutter-flask).

Each test is a tiny project, run by pytester in a fresh process that loads the installed plugin
through its entry point, reproducing the pattern of the app that exposed the defect.
"""

from __future__ import annotations

import uuid

import pytest

OPTIONS = ("-p", "no:randomly", "-p", "no:cacheprovider", "-W", "error", "--strict-markers")

NOTES_APP = """
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(80))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite://")
    if test_config:
        app.config.update(test_config)
    db.init_app(app)

    @app.get("/")
    def index():
        return PAGE

    @app.get("/other")
    def other():
        return PAGE.replace("lib.start", "other.start")

    return app


PAGE = ""
"""


def write_project(pytester: pytest.Pytester, app: str, tests: str, playwright_config: str = "") -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "notes:create_app"\n')
    pytester.makepyfile(notes=app, test_notes=tests)
    if playwright_config:
        pytester.path.joinpath("playwright.config.py").write_text(playwright_config)


@pytest.fixture(autouse=True)
def no_database_from_the_developer(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "FLASK_HARNESS_DB_URL", "FLASK_HARNESS_APP"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("server", ["postgresql://postgres@127.0.0.1:5432",
                                    "mysql+pymysql://root@127.0.0.1:3306"])
def test_db_url_naming_a_database_that_does_not_exist_yet_works(pytester: pytest.Pytester, server: str) -> None:
    # microblog on MariaDB: --db-url .../microblog, a database nobody has created. The admin
    # connection kept that name (URL.set ignores database=None) and MySQL refused it.
    write_project(pytester, NOTES_APP, """
from notes import Note


def test_note_is_saved(db):
    db.session.add(Note(body="hello"))
    db.session.commit()
    assert db.session.query(Note).count() == 1
""")

    result = pytester.runpytest_subprocess("--db-url", f"{server}/never_created_{uuid.uuid4().hex[:8]}", *OPTIONS)

    result.assert_outcomes(passed=1)
