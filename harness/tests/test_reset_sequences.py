"""Hard-coded ids (issue 13, finding 6): the ``reset_sequences`` marker, on every server.

PostgreSQL's sequences and MariaDB's AUTO_INCREMENT counters are not transactional: a rolled-back
test still used up ids, so the next test's first row is not 1. A test marked ``reset_sequences``
starts from the ids a fresh database (with the template's rows) would give; SQLite needs nothing,
as its counters roll back with the test.
"""

from __future__ import annotations

import pytest

from example_apps import MYSQL_SERVER, POSTGRES_SERVER, QUIET, unique_base

TOPICS_APP = """
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Topic(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80))


class Tag(db.Model):  # ids from a named sequence on PostgreSQL
    id = db.Column(db.Integer, db.Sequence("tag_ids"), primary_key=True)
    name = db.Column(db.String(80))


class Setting(db.Model):  # no counter at all
    key = db.Column(db.String(40), primary_key=True)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite://")
    app.config.update(test_config or {})
    db.init_app(app)

    @app.get("/topic/<int:topic_id>")
    def topic(topic_id):
        return db.get_or_404(Topic, topic_id).title

    return app
"""

CONFTEST = """
def pytest_flask_harness_template(app, db):
    from topics import Topic

    db.session.add(Topic(title="welcome"))  # id 1 in every test
"""

TESTS = """
from pathlib import Path

import pytest

from topics import Tag, Topic


def add(db, model, count, **values):
    rows = [model(**values) for _ in range(count)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_1_uses_up_ids(db):
    add(db, Topic, 3, title="t")
    add(db, Tag, 3, name="n")


def test_2_without_the_marker_the_ids_go_on(db):
    [topic] = add(db, Topic, 1, title="t")
    Path("unmarked_id.txt").write_text(str(topic.id))


@pytest.mark.reset_sequences
def test_3_with_the_marker_ids_start_after_the_templates_rows(db, client):
    [topic] = add(db, Topic, 1, title="hard-coded")
    [tag] = add(db, Tag, 1, name="n")
    assert (topic.id, tag.id) == (2, 1)
    assert client.get("/topic/2").text == "hard-coded"
"""


@pytest.mark.parametrize("server", [pytest.param(None, id="sqlite"),
                                    pytest.param(POSTGRES_SERVER, id="postgresql"),
                                    pytest.param(MYSQL_SERVER, id="mariadb")])
def test_a_marked_test_gets_the_ids_of_a_fresh_database(pytester: pytest.Pytester, server: str | None) -> None:
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nflask_app = "topics:create_app"\n'
                               'addopts = ["--strict-markers"]\nfilterwarnings = ["error"]\n')
    pytester.makepyfile(topics=TOPICS_APP, test_topics=TESTS)
    pytester.makeconftest(CONFTEST)
    server_args = ("--db-url", f"{server}/{unique_base()}") if server else ()

    result = pytester.runpytest_subprocess(*QUIET, *server_args)

    result.assert_outcomes(passed=3)
    # The marker is needed on the servers, and only there: their counters survived test 1's rollback.
    assert (pytester.path / "unmarked_id.txt").read_text() == ("2" if server is None else "5")
