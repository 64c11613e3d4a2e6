"""The suite's own fixtures, as FlaskBB's conftest has them: hundreds of tests use them by name."""

import pytest
from forum import create_app
from forum import db as _db
from forum.config import TestConfig


@pytest.fixture(scope="session")
def app():
    app = create_app(TestConfig)
    with app.app_context():
        yield app


@pytest.fixture
def database(app):
    _db.create_all()
    yield _db
    _db.session.remove()
    _db.drop_all()


@pytest.fixture
def client(app, database):
    return app.test_client()


@pytest.fixture(scope="package", autouse=True)
def plugins_enabled(app):
    app.config["PLUGINS_ENABLED"] = True
    yield
    app.config["PLUGINS_ENABLED"] = False
