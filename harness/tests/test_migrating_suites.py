"""Suites written for pytest-flask and Flask-Testing, moved as ``docs/migrating.md`` says (issue 13).

Each project is such a suite as its users write it, with the one-line changes the guide gives; it
runs on the harness's per-worker databases, serially and with ``-n 2``, and its rows vanish after
each test.
"""

from __future__ import annotations

import pytest

from example_apps import QUIET

NOTES_APP = """
from flask import Flask, flash, redirect, render_template_string, request, url_for
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(80), unique=True)


def create_app(config_name="development"):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite:///notes.db")
    db.init_app(app)

    @app.get("/")
    def index():
        notes = db.session.scalars(db.select(Note).order_by(Note.id)).all()
        return render_template_string("<h1>Notes</h1>{% for n in notes %}<p>{{ n.body }}</p>{% endfor %}",
                                      notes=notes)

    @app.post("/notes")
    def add():
        db.session.add(Note(body=request.form["body"]))
        db.session.commit()
        flash("Note added", "success")
        return redirect(url_for("index"))

    return app
"""

PYTEST_FLASK_CONFTEST = """
import pytest

from notes import db as _db


@pytest.fixture(scope="session")
def app(flask_harness_app):          # was: def app():
    return flask_harness_app         # was: return create_app("testing")


@pytest.fixture
def database(flask_harness_db):      # was: _db.create_all(); yield _db; _db.drop_all()
    return flask_harness_db
"""

PYTEST_FLASK_TESTS = """
import pytest
from urllib.request import urlopen

from flask import url_for

from notes import Note


@pytest.mark.parametrize("body", ["one", "two"])
def test_adding_a_note_redirects_and_lists_it(client, database, body):
    response = client.post("/notes", data={"body": body})
    assert response.status_code == 302
    assert database.session.query(Note).count() == 1   # the other parameter's row is gone
    assert body in client.get("/").text


def test_config_fixture(config):
    assert config["TESTING"] is True


def test_live_server_url_is_called_as_in_pytest_flask(live_server, database):
    database.session.add(Note(body="served"))
    database.session.commit()
    with urlopen(live_server.url("/"), timeout=5) as response:
        assert b"served" in response.read()
    assert live_server.url() == live_server.url


def test_url_for_works_in_a_test(database):
    assert url_for("index").endswith("/")
"""

FLASK_TESTING_TESTS = """
from urllib.request import urlopen

from flask_harness.compat.flask_testing import LiveServerTestCase, TestCase   # was: from flask_testing import ...

from notes import Note, create_app, db


class BaseTestCase(TestCase):
    def create_app(self):                # kept; the harness builds the app from flask_app instead
        return create_app("testing")

    def setUp(self):                     # was: db.create_all() first
        db.session.add(Note(body="first"))
        db.session.commit()


class TestNotes(BaseTestCase):
    def test_index_lists_the_setup_note(self):
        response = self.client.get("/")
        self.assert200(response)
        self.assertIn(b"first", response.data)
        self.assertEqual([n.body for n in self.get_context_variable("notes")], ["first"])

    def test_posting_redirects_and_flashes(self):
        response = self.client.post("/notes", data={"body": "second"})
        self.assertRedirects(response, "/")
        self.assertMessageFlashed("Note added", "success")
        self.assertEqual(Note.query.count(), 2)   # the other test's rows are gone

    def test_the_assertions_fail_when_they_should(self):
        self.assert404(self.client.get("/missing"))
        with self.assertRaises(AssertionError):
            self.assertRedirects(self.client.get("/"), "/")


class TestServed(LiveServerTestCase):
    def test_the_live_server_serves_the_tests_rows(self):
        db.session.add(Note(body="live"))
        db.session.commit()
        with urlopen(self.get_server_url() + "/", timeout=5) as response:
            self.assertIn(b"live", response.read())
"""


def write_project(pytester: pytest.Pytester, tests: str, conftest: str = "") -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "notes:create_app(\'testing\')"\n'
                               'filterwarnings = ["error"]\n')
    pytester.makepyfile(notes=NOTES_APP, test_suite=tests)
    if conftest:
        pytester.makeconftest(conftest)


@pytest.mark.parametrize("workers", [pytest.param((), id="serial"), pytest.param(("-n", "2"), id="n2")])
def test_a_pytest_flask_suite_runs_with_one_line_per_fixture(pytester: pytest.Pytester,
                                                             workers: tuple[str, ...]) -> None:
    write_project(pytester, PYTEST_FLASK_TESTS, PYTEST_FLASK_CONFTEST)

    result = pytester.runpytest_subprocess(*QUIET, *workers)

    result.assert_outcomes(passed=5)
    assert not (pytester.path / "notes.db").exists()  # the app's own database is never touched


@pytest.mark.parametrize("workers", [pytest.param((), id="serial"), pytest.param(("-n", "2"), id="n2")])
def test_a_flask_testing_suite_runs_on_the_harness_with_its_import_changed(pytester: pytest.Pytester,
                                                                          workers: tuple[str, ...]) -> None:
    write_project(pytester, FLASK_TESTING_TESTS)

    result = pytester.runpytest_subprocess(*QUIET, *workers)

    result.assert_outcomes(passed=4)
    assert not (pytester.path / "notes.db").exists()
