"""URLs built outside a request (issue 13, finding 8): ``live.url_for`` and ``url_for`` in the db's context.

Models often carry a ``.url`` property built by ``url_for``. Outside a request Flask refuses that
without ``SERVER_NAME`` ("Unable to build URLs outside an active request"); the harness's app context
builds them as a request to ``localhost`` would, and ``live.url_for`` gives the live server's URL.
"""

from __future__ import annotations

import pytest

from example_apps import QUIET

TOPICS_APP = """
from flask import Blueprint, Flask, url_for
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
forum = Blueprint("forum", __name__, url_prefix="/forum")


class Topic(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(80))

    @property
    def url(self):
        return url_for("forum.topic", topic_id=self.id)


@forum.get("/topic/<int:topic_id>")
def topic(topic_id):
    return db.get_or_404(Topic, topic_id).title


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite://")
    app.config.update(test_config or {})
    db.init_app(app)
    app.register_blueprint(forum)
    return app
"""


def write_project(pytester: pytest.Pytester, tests: str, **ini: str) -> None:
    lines = ["[tool.pytest.ini_options]", 'flask_app = "topics:create_app"', 'filterwarnings = ["error"]']
    lines += [f'{key} = "{value}"' for key, value in ini.items()]
    pytester.makepyprojecttoml("\n".join(lines) + "\n")
    pytester.makepyfile(topics=TOPICS_APP, test_topics=tests)


def test_a_models_url_property_builds_inside_the_db_fixtures_context(pytester: pytest.Pytester) -> None:
    write_project(pytester, """
from flask import url_for

from topics import Topic


def test_url_property(db):
    topic = Topic(title="hello")
    db.session.add(topic)
    db.session.commit()
    assert topic.url == f"http://localhost/forum/topic/{topic.id}"  # external, as with SERVER_NAME
    assert url_for("forum.topic", topic_id=7, _external=True) == "http://localhost/forum/topic/7"
""")

    result = pytester.runpytest_subprocess(*QUIET)

    result.assert_outcomes(passed=1)


def test_the_apps_own_server_name_and_root_are_kept(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
import pytest


@pytest.fixture(scope="session")
def flask_app_factory():
    from topics import create_app

    return lambda settings: create_app({**settings, "APPLICATION_ROOT": "/app", "PREFERRED_URL_SCHEME": "https"})
""")
    write_project(pytester, """
from flask import url_for


def test_root_and_scheme(db):
    assert url_for("forum.topic", topic_id=1, _external=True) == "https://localhost/app/forum/topic/1"
""")
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n')

    result = pytester.runpytest_subprocess(*QUIET)

    result.assert_outcomes(passed=1)


def test_live_url_for_gives_the_live_servers_absolute_url(pytester: pytest.Pytester) -> None:
    write_project(pytester, """
from urllib.request import urlopen

from topics import Topic


def test_live_url(db, live):
    topic = Topic(title="served")
    db.session.add(topic)
    db.session.commit()
    url = live.url_for("forum.topic", topic_id=topic.id)
    assert url == f"{live.url}/forum/topic/{topic.id}"
    with urlopen(url, timeout=5) as response:
        assert response.read() == b"served"
    assert live.url_for("forum.topic", topic_id=2, _anchor="replies").endswith("/forum/topic/2#replies")
""")

    result = pytester.runpytest_subprocess(*QUIET)

    result.assert_outcomes(passed=1)
