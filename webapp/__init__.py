"""Webapp: a server-rendered Flask application with a JSON API."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import CONFIGS, TestingConfig, environment_overrides, instance_secret, secret_problems


def create_app(
    config: str | type | Mapping[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Build the application.

    ``config`` is a config class or its import path (``"webapp.config.TestingConfig"``), or a
    mapping of settings applied over ``TestingConfig`` (what the test harness passes). Without it,
    ``FLASK_CONFIG`` (development, testing, production) chooses; development is the default.
    ``instance_path`` overrides Flask's instance folder, where a generated secret is kept.
    """
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    if config is None:
        name = os.environ.get("FLASK_CONFIG", "development")
        if name not in CONFIGS:
            raise RuntimeError(f"FLASK_CONFIG must be one of {sorted(CONFIGS)}, got {name!r}")
        app.config.from_object(CONFIGS[name])
    elif isinstance(config, Mapping):
        app.config.from_object(TestingConfig)
        app.config.update(config)
    else:
        app.config.from_object(config)

    # Environment variables configure deployments; a mapping passed in (tests) is never overridden.
    if not isinstance(config, Mapping) and not app.testing:
        app.config.update(environment_overrides(os.environ))
    if app.config.get("REQUIRE_SECRET_KEY"):
        if problems := secret_problems(app.config):
            raise RuntimeError("Refusing to start: " + " ".join(problems))
    elif not app.config.get("SECRET_KEY"):
        # Never a shared default: anyone could sign sessions and tokens for this installation.
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))

    # Created on first use, so that building an app writes nothing to disk.
    app.config["UPLOAD_FOLDER"] = str(
        Path(app.config.get("UPLOAD_FOLDER") or Path(app.instance_path) / "uploads")
    )

    from webapp.web.json_provider import StrictJSONProvider
    from webapp.web.routing import IdConverter

    app.json = StrictJSONProvider(app)
    # Before the blueprints, whose rules bind their converters when they are added.
    app.url_map.converters["int"] = IdConverter

    if app.config.get("PROXY_FIX_X_FOR") or app.config.get("PROXY_FIX_X_PROTO"):
        # Trust exactly that many proxies' headers, never a client's own X-Forwarded-For.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=app.config["PROXY_FIX_X_PROTO"]
        )

    _init_extensions(app)
    _register_blueprints(app)

    from webapp import cli, errors
    from webapp.files import human_size
    from webapp.web import input_guard, security

    app.add_template_filter(human_size, "filesize")
    errors.register(app)
    input_guard.register(app)
    security.register(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp.extensions import csrf, db, jwt, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    jwt.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "warning"

    from webapp.auth import loaders

    loaders.register(app)


def _register_blueprints(app: Flask) -> None:
    from webapp.api import bp as api_bp
    from webapp.auth import bp as auth_bp
    from webapp.main import bp as main_bp
    from webapp.posts import bp as posts_bp
    from webapp.uploads import bp as uploads_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(posts_bp, url_prefix="/posts")
    app.register_blueprint(uploads_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
