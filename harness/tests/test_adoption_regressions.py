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


BLOCKED_LIBRARY_APP = NOTES_APP.replace('PAGE = ""', '''PAGE = """<!doctype html><title>Notes</title><h1>Notes</h1>
<script src="https://cdn.example.com/lib.js"></script>
<script>lib.start();</script>"""''')


def test_allowed_console_messages_also_allow_page_errors_left_by_blocked_scripts(pytester: pytest.Pytester) -> None:
    # microblog: with third_party = "block" the CDN's moment.js is aborted, and its inline
    # `moment.locale(...)` throws "moment is not defined": a page error, not a console message.
    write_project(pytester, BLOCKED_LIBRARY_APP, """
from playwright.sync_api import expect


def test_allowed_page_error_passes(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()


def test_other_page_error_still_fails(page):
    page.goto("/other")
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()
""", playwright_config='third_party = "block"\nallowed_console_messages = [r"^lib is not defined$"]\n')

    result = pytester.runpytest_subprocess(*OPTIONS)

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*uncaught page error: other is not defined*"])
    result.stdout.no_fnmatch_line("*lib is not defined*")


CONFIG_NAME_APP = """
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(80))


class TestingConfig:
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"


config = {"testing": TestingConfig}


def create_app(config_name):
    app = Flask(__name__)
    app.config.from_object(config[config_name])
    db.init_app(app)
    return app
"""

OWN_UNITTEST = """
import unittest

from notes import Note, create_app, db


class NoteTestCase(unittest.TestCase):
    def setUp(self):
        self.app = create_app("testing")
        self.context = self.app.app_context()
        self.context.push()
        db.create_all()

    def tearDown(self):
        db.session.remove()
        db.drop_all()
        self.context.pop()

    def test_note_is_saved(self):
        db.session.add(Note(body="mine"))
        db.session.commit()
        self.assertEqual(db.session.query(Note).count(), 1)
"""


@pytest.mark.parametrize("db_url", ["sqlite://", "postgresql://postgres@127.0.0.1:5432/notes"])
def test_config_name_factory_is_rebound_and_the_apps_own_tests_keep_their_database(
        pytester: pytest.Pytester, db_url: str) -> None:
    # flasky: create_app('testing'), TestingConfig reading TEST_DATABASE_URL at import, and its own
    # unittest tests building the app in setUp. Pointing that variable at the harness's database
    # sent those tests there: missing before the harness made it, dropped by their tearDown after.
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "notes:create_app(\'testing\')"\n')
    pytester.makepyfile(notes=CONFIG_NAME_APP, test_a_own=OWN_UNITTEST, test_b_harness="""
from notes import Note


def test_harness_database_has_the_schema(db):
    db.session.add(Note(body="harness"))
    db.session.commit()
    assert db.session.query(Note).count() == 1
""")

    result = pytester.runpytest_subprocess("--db-url", db_url, *OPTIONS)

    result.assert_outcomes(passed=2)


SETTINGS_PATH_APP = """
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def create_app(config_object="notes.settings"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    db.init_app(app)
    return app
"""


def test_settings_module_factory_is_told_to_name_its_testing_settings_module(pytester: pytest.Pytester) -> None:
    # cookiecutter-flask: create_app(config_object="shop.settings") and tests/settings.py. The
    # advice was create_app('testing'), which from_object cannot import.
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "notes:create_app"\n')
    pytester.makepyfile(notes=SETTINGS_PATH_APP, test_notes="def test_db(db):\n    pass\n")
    pytester.mkpydir("tests").joinpath("settings.py").write_text('SQLALCHEMY_DATABASE_URI = "sqlite://"\n')

    refused = pytester.runpytest_subprocess(*OPTIONS)
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "notes:create_app(\'tests.settings\')"\n')
    advised = pytester.runpytest_subprocess(*OPTIONS)

    refused.stdout.fnmatch_lines(["*takes a config name (config_object='notes.settings'): name the testing one, "
                                  "for example flask_app = \"notes:create_app('tests.settings')\".*"])
    advised.assert_outcomes(passed=1)
