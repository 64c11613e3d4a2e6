import os
from pathlib import Path

from forum import Topic


def test_1_a_posted_topic_is_listed(client, database):
    assert client.post("/topics", data={"title": "Welcome"}).status_code == 201
    assert client.get("/topics").get_json() == ["Welcome"]
    records = os.environ.get("RECORDS")
    if records:  # what the harness's test checks: which database the suite ran on
        Path(records, os.environ.get("PYTEST_XDIST_WORKER", "main")).write_text(
            database.engine.url.render_as_string())


def test_2_the_next_test_starts_empty(client, database):
    assert client.get("/topics").get_json() == []
    database.session.add(Topic(title="Welcome"))  # the same title again: no UNIQUE failure
    database.session.commit()


def test_3_the_package_fixture_ran(app):
    assert app.config["PLUGINS_ENABLED"] is True
    assert app.config["CONFIG_NAME"] == "TestConfig"


def test_4_a_topic_has_a_url(client, database):
    topic = Topic(title="Links")
    database.session.add(topic)
    database.session.commit()
    assert client.get(f"/topic/{topic.id}").text == "Links"


def test_5_the_plugin_route_is_served(client):
    assert client.get("/plugins").get_json() == ["portal"]
