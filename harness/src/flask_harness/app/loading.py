"""Finding and building the app under test, whatever shape its factory has, on the test database.

The ``flask_app`` setting takes what ``flask --app`` takes. The test configuration (the worker's
database, ``TESTING``, your ``flask_app_config``) reaches the app in the way its factory accepts:

- ``create_app(test_config=None)`` (Flask's tutorial): called with a mapping;
- ``create_app(config_class=Config)``: called with a subclass of that class carrying the settings;
- ``create_app()``, ``create_app("testing")``: called as written, then Flask-SQLAlchemy rebound to
  the test database (or the URL reaches the app through ``flask_harness_app_db_env``);
- a module-level ``app``: configured, and Flask-SQLAlchemy rebound to the test database;
- your own session fixture ``flask_app_factory``, returning ``make(overrides) -> Flask``.

Whatever the shape, the app's ``SQLALCHEMY_BINDS`` are then pointed at their test databases, and
every engine of the built app must point at the worker's test database for it.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from flask_harness.db.binds import with_test_urls
from flask_harness.db.extension import sqlalchemy_of

if TYPE_CHECKING:
    from flask import Flask

AppFactory = Callable[[Mapping[str, Any]], "Flask"]
SETTINGS_GIVEN = "<the test settings: a mapping that also reads as a config object>"


class DescribedFactory:
    """A ``make(overrides) -> Flask`` that can say how it calls the app's factory, for its errors."""

    def __init__(self, make: AppFactory, target: str, tried: str) -> None:
        self.make, self.target, self.tried = make, target, tried

    def __call__(self, overrides: Mapping[str, Any]) -> Flask:
        return self.make(overrides)

    def failure(self, exc: Exception) -> AppBuildError:
        """What the user reads when the build raised: the shape tried, the error, the other shapes."""
        module, _, expression = self.target.partition(":")
        name = expression.partition("(")[0] or "create_app"
        return AppBuildError(
            f"flask_app = \"{self.target}\" {self.tried} and it raised {type(exc).__name__}: {exc}\n"
            f"If the factory wants another argument, name it in the setting: "
            f"flask_app = \"{module}:{name}('testing')\" (a config name or import string, literals only), "
            f"or build the app yourself in a session fixture flask_app_factory returning "
            f"make(overrides) -> Flask.\n{SHAPES}")

SHAPES = """The harness supports these shapes (see its README, "Adopting it in an existing app"):
  flask_app = "package:create_app"              create_app(test_config=None): gets a mapping
  flask_app = "package:create_app"              create_app(config_class=Config): gets a subclass
  flask_app = "package:create_app('testing')"   a config name; Flask-SQLAlchemy is rebound to the test
                                                database (flask_harness_app_db_env: only if the factory
                                                itself queries the database)
  flask_app = "package:app"                     a module-level app
  a session fixture flask_app_factory in conftest.py returning make(overrides) -> Flask"""


class AppShapeError(pytest.UsageError):  # type: ignore[misc]
    """The app could not be built on the test database; the message names the supported shapes."""


class AppBuildError(Exception):
    """The factory raised while the harness built the app: says what was tried and how to choose another."""


class Overrides(dict[str, Any]):
    """Config overrides that read as a mapping, as an object with upper-case attributes, and as a class.

    So ``app.config.update(o)``, ``from_mapping(o)`` and ``from_object(o)`` all take them, and a
    factory that logs ``config.__name__`` (FlaskBB's) finds one.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__name__ = self.__qualname__ = "HarnessTestSettings"

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> list[str]:
        return sorted(self)


def _import(module_name: str, rootpath: Path) -> Any:
    """Import a module; ``conftest`` or a ``.py`` path means that file under the rootdir."""
    if module_name == "conftest" or module_name.endswith(".py"):
        path = (rootpath / (module_name if module_name.endswith(".py") else "conftest.py")).resolve()
        for module in list(sys.modules.values()):  # pytest has loaded it already: use that copy
            file = getattr(module, "__file__", None)
            if file and Path(file).resolve() == path:
                return module
        spec = importlib.util.spec_from_file_location(f"_flask_harness_app_{abs(hash(path))}", path)
        if spec is None or spec.loader is None or not path.is_file():
            raise ImportError(f"no Python file at {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(module_name)


def _parse(target: str) -> tuple[str, str | None, tuple[Any, ...] | None, dict[str, Any]]:
    """``module[:name[(literal args)]]`` as ``flask --app`` parses it."""
    module_name, _, expression = target.partition(":")
    if not expression:
        return module_name, None, None, {}
    try:
        node = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        raise pytest.UsageError(f"Cannot parse flask_app = {target!r}.\n{SHAPES}") from None
    if isinstance(node, ast.Name):
        return module_name, node.id, None, {}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        try:
            args = tuple(ast.literal_eval(arg) for arg in node.args)
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
        except ValueError:
            raise pytest.UsageError(f"flask_app = {target!r}: arguments must be literals.") from None
        return module_name, node.func.id, args, kwargs
    raise pytest.UsageError(f"Cannot parse flask_app = {target!r}.\n{SHAPES}")


def factory_from_setting(target: str, rootpath: Path) -> DescribedFactory:
    """A ``make(overrides) -> Flask`` for the ``flask_app`` setting."""
    from flask import Flask

    module_name, name, args, kwargs = _parse(target)
    try:
        module = _import(module_name, rootpath)
    except ImportError as exc:
        raise pytest.UsageError(f"Cannot import the app module of flask_app = {target!r}: {exc}") from exc
    if name is None:
        name = next((n for n in ("create_app", "make_app", "app", "application")
                     if hasattr(module, n)), None)
        if name is None:
            raise AppShapeError(f"No app or factory found in module {module_name!r}.\n{SHAPES}")
    try:
        found = getattr(module, name)
    except AttributeError:
        raise pytest.UsageError(f"Module {module_name!r} has no {name!r} (flask_app = {target!r}).") from None

    if isinstance(found, Flask):
        return DescribedFactory(lambda overrides: _configure_module_app(found, overrides), target,
                                f"configured the module-level app {name}")
    if not callable(found):
        raise AppShapeError(f"{target!r} is neither a Flask app nor a factory.\n{SHAPES}")
    if args is not None:
        given = ", ".join([*map(repr, args), *(f"{key}={value!r}" for key, value in kwargs.items())])
        return DescribedFactory(lambda overrides: _apply(found(*args, **kwargs), overrides), target,
                                f"called {name}({given}), to apply the test settings after the build,")
    return _factory_for_signature(found, name, target)


def _factory_for_signature(factory: Callable[..., Any], name: str, target: str) -> DescribedFactory:
    parameters = [p for p in inspect.signature(factory).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not parameters:
        return DescribedFactory(lambda overrides: _apply(factory(), overrides), target,
                                f"called {name}(), to apply the test settings after the build,")
    first = parameters[0]
    default = first.default
    # A required argument (Flasky's create_app(config_name)) is a config name too: it cannot be guessed.
    if default is first.empty or isinstance(default, str):
        given = first.name if default is first.empty else f"{first.name}={default!r}"
        # A dotted default is from_object's import path (cookiecutter-flask's "app.settings").
        testing = "tests.settings" if isinstance(default, str) and "." in default else "testing"
        raise AppShapeError(
            f"{target} takes a config name ({given}): name the testing one, for example "
            f"flask_app = \"{target}('{testing}')\".\n{SHAPES}")
    if inspect.isclass(default):
        return DescribedFactory(
            lambda overrides: factory(type(f"Harness{default.__name__}", (default,), dict(overrides))), target,
            f"called {name}({first.name}=<a subclass of {default.__name__} carrying the test settings>)")
    return DescribedFactory(lambda overrides: factory(Overrides(overrides)), target,
                            f"called {name}({first.name}={SETTINGS_GIVEN})")


def _apply(app: Any, overrides: Mapping[str, Any]) -> Any:
    """Config for a factory that took none: settings read per request still take effect.

    If the factory's own config named another database (``TestingConfig``'s ``sqlite://``),
    Flask-SQLAlchemy is rebound as for a module-level app: ``flask_harness_app_db_env`` is then
    not needed, and the app's own tests, which build their app from the same config, keep theirs.
    """
    if not hasattr(app, "config"):
        return app
    url = overrides.get("SQLALCHEMY_DATABASE_URI")
    if url and "sqlalchemy" in getattr(app, "extensions", {}) and not _engines_at(app, url):
        return _configure_module_app(app, overrides)
    app.config.update({k: v for k, v in overrides.items() if k != "SQLALCHEMY_DATABASE_URI"})
    return app


def _engines_at(app: Flask, url: str) -> bool:
    """Whether the default engine is at ``url`` (the binds are pointed at theirs after the build)."""
    from sqlalchemy.engine import make_url

    with app.app_context():
        engine = sqlalchemy_of(app).engines.get(None)
    return engine is None or _same_database(engine.url, make_url(url))


def _configure_module_app(app: Flask, overrides: Mapping[str, Any]) -> Flask:
    """A module-level app: update its config, then rebind Flask-SQLAlchemy to the test database."""
    app.config.update(overrides)
    db = app.extensions.get("sqlalchemy")
    if db is not None:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        del app.extensions["sqlalchemy"]
        db.init_app(app)  # builds the engines again, from the updated config
    return app


def build_app(factory: AppFactory, overrides: Mapping[str, Any], expected_url: str,
              bind_url: Callable[[str, str], str] | None = None) -> Flask:
    """Build the app and prove that every engine it has points at its test database.

    The default engine's is ``expected_url``; each bind's is ``bind_url(key, the app's URL for it)``,
    given to the app by rebinding Flask-SQLAlchemy to the updated ``SQLALCHEMY_BINDS``. Without
    ``bind_url`` an app with binds is refused.
    """
    from flask import Flask

    try:
        app = factory(Overrides(overrides))
    except AppShapeError:
        raise
    except Exception as exc:
        if isinstance(exc, RuntimeError) and "SQLALCHEMY_DATABASE_URI" in str(exc):
            raise AppShapeError(f"The app was built without the test database URL ({exc}).\n{SHAPES}") from exc
        if isinstance(factory, DescribedFactory):
            raise factory.failure(exc) from exc
        raise
    if not isinstance(app, Flask):
        raise AppShapeError(f"The factory returned {type(app).__name__}, not a Flask app.\n{SHAPES}")
    binds = app.config.get("SQLALCHEMY_BINDS") or {}
    test_binds = with_test_urls(binds, bind_url) if bind_url is not None and binds else {}
    if test_binds and "sqlalchemy" in app.extensions:
        _configure_module_app(app, {"SQLALCHEMY_BINDS": test_binds})
    check_database(app, expected_url, {key: value["url"] if isinstance(value, Mapping) else value
                                       for key, value in test_binds.items()})
    return app


_DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}


def _same_database(actual: Any, expected: Any) -> bool:
    backend = actual.get_backend_name()
    if backend != expected.get_backend_name():
        return False
    if backend == "sqlite":
        return bool(actual.database) and Path(actual.database).resolve() == Path(expected.database).resolve()
    default_port = _DEFAULT_PORTS.get(backend)  # "h" and "h:5432" are the same server
    return (actual.host, actual.port or default_port, actual.database) == (
        expected.host, expected.port or default_port, expected.database)


def check_database(app: Flask, expected_url: str, expected_binds: Mapping[str, str] | None = None) -> None:
    """Fail unless each of the app's engines points at its test database (never green on the wrong one).

    The default engine's is ``expected_url``, a bind's is in ``expected_binds`` by key; a bind
    missing from them has none.
    """
    from sqlalchemy.engine import make_url

    expected: dict[str | None, Any] = {None: make_url(expected_url)}
    expected.update({key: make_url(url) for key, url in (expected_binds or {}).items()})
    with app.app_context():
        engines = dict(sqlalchemy_of(app).engines)
    wrong = {key: engine.url for key, engine in engines.items()
             if key not in expected or not _same_database(engine.url, expected[key])}
    if wrong:
        found = ", ".join(f"{key or 'default'} → {url.render_as_string(hide_password=True)}"
                          for key, url in wrong.items())
        tests = expected[None].render_as_string(hide_password=True)
        if expected_binds:
            tests += " (binds: " + ", ".join(f"{key} → {url.render_as_string(hide_password=True)}"
                                             for key, url in expected.items() if key is not None) + ")"
        raise AppShapeError(
            f"The app's database is not the test database {tests}: {found}. Its engines were "
            f"built from another URL (a factory that ignores the config it is given, config read "
            f"at import time, or SQLALCHEMY_BINDS changed after the build).\n{SHAPES}")
