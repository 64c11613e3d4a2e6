"""The pure parts of app loading: ``_parse``, ``Overrides``, factory shapes and ``check_database``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from flask_harness.app import loading as app_loading
from flask_harness.app.loading import (
    AppBuildError,
    AppShapeError,
    Overrides,
    build_app,
    check_database,
    factory_from_setting,
)


@pytest.mark.parametrize(("target", "parsed"), [
    ("shop", ("shop", None, None, {})),
    ("shop.web:app", ("shop.web", "app", None, {})),
    ("shop:create_app()", ("shop", "create_app", (), {})),
    ("shop:create_app('testing')", ("shop", "create_app", ("testing",), {})),
    ("shop:create_app(config_name='testing', debug=False)",
     ("shop", "create_app", (), {"config_name": "testing", "debug": False})),
])
def test_parse_reads_what_flask_app_takes(target: str, parsed: tuple[Any, ...]) -> None:
    assert app_loading._parse(target) == parsed


@pytest.mark.parametrize(("target", "message"), [
    ("shop:create_app(", "Cannot parse flask_app = 'shop:create_app('"),
    ("shop:factories.create_app", "Cannot parse flask_app = 'shop:factories.create_app'"),
    ("shop:create_app(config)", "arguments must be literals"),
])
def test_parse_refuses_what_flask_app_cannot_take(target: str, message: str) -> None:
    with pytest.raises(pytest.UsageError, match=message.replace("(", r"\(")):
        app_loading._parse(target)


def test_overrides_read_as_a_mapping_and_as_an_object_for_from_object() -> None:
    overrides = Overrides({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = Flask(__name__)

    app.config.from_object(overrides)

    assert overrides.TESTING is True
    assert dir(overrides) == ["SQLALCHEMY_DATABASE_URI", "TESTING"]
    assert (app.config["TESTING"], app.config["SQLALCHEMY_DATABASE_URI"]) == (True, "sqlite://")
    with pytest.raises(AttributeError):
        overrides.SECRET_KEY  # noqa: B018


SHAPES_MODULE = '''
from flask import Flask
from flask_sqlalchemy import SQLAlchemy


class Config:
    SQLALCHEMY_DATABASE_URI = "sqlite:///prod.sqlite"
    SECRET_KEY = "from-config"


def _app(config):
    app = Flask(__name__)
    app.config.from_object(config) if isinstance(config, type) else app.config.from_mapping(config)
    SQLAlchemy().init_app(app)
    return app


def with_mapping(test_config=None):
    return _app(test_config or {})


def with_class(config_class=Config):
    return _app(config_class)


def with_name(config_name="development"):
    return _app(Config)


def without_argument():
    return _app({"SQLALCHEMY_DATABASE_URI": "sqlite:///from-env.sqlite"})


def broken():
    raise RuntimeError("the app's own bug")


def unconfigured():
    app = Flask(__name__)
    SQLAlchemy().init_app(app)
    return app


def not_an_app():
    return "nope"


NUMBER = 3
app = Flask(__name__)
'''


@pytest.fixture
def shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable module ``shapes_under_test`` with one factory of each shape."""
    (tmp_path / "shapes_under_test.py").write_text(SHAPES_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.mark.usefixtures("shapes")
def test_a_config_class_factory_gets_a_subclass_carrying_the_overrides(tmp_path: Path) -> None:
    factory = factory_from_setting("shapes_under_test:with_class", tmp_path)

    app = factory(Overrides({"SQLALCHEMY_DATABASE_URI": "sqlite:///test_x.sqlite", "TESTING": True}))

    assert (app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"], app.testing) == (
        "sqlite:///test_x.sqlite", "from-config", True)


@pytest.mark.usefixtures("shapes")
def test_a_mapping_factory_gets_the_overrides(tmp_path: Path) -> None:
    app = factory_from_setting("shapes_under_test:with_mapping", tmp_path)(
        Overrides({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))

    assert app.testing is True


@pytest.mark.usefixtures("shapes")
def test_a_factory_without_arguments_gets_every_override_and_is_rebound_to_the_test_database(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'test_database.sqlite'}"
    app = factory_from_setting("shapes_under_test:without_argument", tmp_path)(
        Overrides({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url}))

    with app.app_context():
        engine_url = str(app.extensions["sqlalchemy"].engine.url)
    assert (app.testing, engine_url) == (True, url)


@pytest.mark.usefixtures("shapes")
def test_a_module_level_app_is_configured(tmp_path: Path) -> None:
    app = factory_from_setting("shapes_under_test:app", tmp_path)(Overrides({"TESTING": True}))

    assert app.testing is True


@pytest.mark.usefixtures("shapes")
def test_a_module_without_a_factory_name_uses_create_app_or_app(tmp_path: Path) -> None:
    app = factory_from_setting("shapes_under_test", tmp_path)(Overrides({"TESTING": True}))

    assert app.testing is True


@pytest.mark.usefixtures("shapes")
@pytest.mark.parametrize(("target", "error", "message"), [
    ("shapes_under_test:with_name", AppShapeError, "takes a config name (config_name='development')"),
    ("shapes_under_test:NUMBER", AppShapeError, "is neither a Flask app nor a factory"),
    ("shapes_under_test:missing", pytest.UsageError, "Module 'shapes_under_test' has no 'missing'"),
    ("no_such_module_here:create_app", pytest.UsageError, "Cannot import the app module"),
    ("flask_harness.hookspecs", AppShapeError, "No app or factory found in module 'flask_harness.hookspecs'"),
])
def test_a_setting_naming_no_usable_factory_says_why(tmp_path: Path, target: str, error: type[Exception],
                                                    message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        factory_from_setting(target, tmp_path)(Overrides())


def test_conftest_and_a_py_path_are_loaded_from_their_file_under_the_rootdir(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("def make_app():\n    return 'from the root conftest'\n")
    (tmp_path / "wsgi.py").write_text("def make_app():\n    return 'from wsgi.py'\n")

    assert app_loading._import("conftest", tmp_path).make_app() == "from the root conftest"
    assert app_loading._import("wsgi.py", tmp_path).make_app() == "from wsgi.py"
    with pytest.raises(ImportError, match="no Python file"):
        app_loading._import("missing.txt.py", tmp_path / "nowhere")


@pytest.mark.usefixtures("shapes")
@pytest.mark.parametrize(("target", "error", "message"), [
    ("shapes_under_test:not_an_app", AppShapeError, "The factory returned str, not a Flask app"),
    ("shapes_under_test:unconfigured", AppShapeError, "built without the test database URL"),
    # The app's own error, chained, under what the harness called and how to choose another shape.
    ("shapes_under_test:broken", AppBuildError, r"called broken\(\), .* raised RuntimeError: the app's own bug"),
])
def test_build_app_names_a_factory_that_returned_no_usable_app(tmp_path: Path, target: str,
                                                              error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build_app(factory_from_setting(target, tmp_path), {}, "sqlite:///test_main.sqlite")


def app_on(url: str, **config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=url, **config)
    SQLAlchemy().init_app(app)
    return app


@pytest.mark.parametrize(("actual", "expected"), [
    ("sqlite:////tmp/run/test_main.sqlite", "sqlite:////tmp/run/../run/test_main.sqlite"),
    ("postgresql+psycopg2://u:secret@h:5432/test_a_1_main", "postgresql+psycopg2://u@h/test_a_1_main"),
    ("mysql+pymysql://root@h/test_a_1_main?charset=utf8mb4", "mysql+pymysql://root@h/test_a_1_main"),
])
def test_check_database_accepts_the_test_database_however_spelled(actual: str, expected: str) -> None:
    check_database(app_on(actual), expected)  # does not raise


@pytest.mark.parametrize(("url", "config", "named"), [
    ("sqlite:////tmp/run/prod.sqlite", {}, "default → sqlite:////tmp/run/prod.sqlite"),
    ("sqlite://", {}, "default → sqlite://"),
    ("postgresql://u:secret@other/test_a_1_main", {}, "default → postgresql://u:***@other/test_a_1_main"),
    ("mysql+pymysql://root@h/test_a_1_main", {}, "default → mysql+pymysql://root@h/test_a_1_main"),
    ("sqlite:////tmp/run/test_main.sqlite", {"SQLALCHEMY_BINDS": {"audit": "sqlite:////tmp/audit.sqlite"}},
     "audit → sqlite:////tmp/audit.sqlite"),
])
def test_check_database_refuses_any_engine_elsewhere_naming_it_and_the_shapes(
    url: str, config: dict[str, Any], named: str,
) -> None:
    with pytest.raises(AppShapeError) as refused:
        check_database(app_on(url, **config), "sqlite:////tmp/run/test_main.sqlite")

    assert named in str(refused.value)
    assert "The harness supports these shapes" in str(refused.value)
    assert "secret" not in str(refused.value)


def test_an_app_without_flask_sqlalchemy_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError, match="does not use Flask-SQLAlchemy"):
        app_loading.sqlalchemy_of(Flask(__name__))
