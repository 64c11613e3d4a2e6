"""Configuration classes; values that differ per deployment come from environment variables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any


def database_url(url: str) -> str:
    """Map Heroku-style and bare PostgreSQL URLs to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


# Environment variables read by create_app for non-test configurations: name -> (key, parser).
ENVIRONMENT = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "JWT_SECRET_KEY": ("JWT_SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", database_url),
    "UPLOAD_FOLDER": ("UPLOAD_FOLDER", str),
    "MAX_UPLOAD_BYTES": ("MAX_CONTENT_LENGTH", int),
    "MAIL_BACKEND": ("MAIL_BACKEND", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_DEFAULT_SENDER": ("MAIL_DEFAULT_SENDER", str),
    "WEATHER_API_URL": ("WEATHER_API_URL", str),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "PROXY_FIX_X_FOR": ("PROXY_FIX_X_FOR", int),
    "PROXY_FIX_X_PROTO": ("PROXY_FIX_X_PROTO", int),
}


def environment_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings taken from environment variables; a malformed value is a clear error."""
    overrides: dict[str, Any] = {}
    for name, (key, parse) in ENVIRONMENT.items():
        raw = environ.get(name)
        if not raw:
            continue
        try:
            overrides[key] = parse(raw)
        except ValueError:
            raise RuntimeError(f"Environment variable {name} is malformed: {raw!r}") from None
    return overrides


MIN_SECRET_LENGTH = 32
# Secrets published in this project's history, its examples and tutorials: anyone can sign with them.
KNOWN_SECRETS = frozenset({
    "change-me-in-production", "change-me", "changeme", "dev", "dev-secret-key-change-me", "development",
    "secret", "secret-key", "secret_key", "super-secret", "test", "testing", "password",
    "testing-secret-key-long-enough-for-hs256",
})


def secret_problems(config: Mapping[str, Any]) -> list[str]:
    """Why the configured SECRET_KEY and JWT_SECRET_KEY are unsafe to deploy; empty when they are safe."""
    problems = []
    if not config.get("SECRET_KEY"):
        problems.append("Set SECRET_KEY in the environment (e.g. python -c 'import secrets; "
                        "print(secrets.token_hex(32))').")
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):  # JWT_SECRET_KEY may be unset: SECRET_KEY is used
        value = config.get(name)
        if not value:
            continue
        if str(value).strip().lower() in KNOWN_SECRETS:
            problems.append(f"{name} is a published default; generate one of your own.")
        elif len(value) < MIN_SECRET_LENGTH:
            problems.append(f"{name} must be at least {MIN_SECRET_LENGTH} characters.")
    return problems


def instance_secret(folder: Path) -> str:
    """This installation's own secret, generated on first use into ``folder/secret_key`` (mode 0600)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: a concurrent start reads a whole secret or makes its own.
        draft = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    secret = path.read_text().strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(f"{path} holds no usable secret; delete it and a new one is generated.")
    return secret


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = None  # from the environment; otherwise development generates one per instance
    # Relative SQLite paths are resolved inside the instance folder by Flask-SQLAlchemy.
    SQLALCHEMY_DATABASE_URI = "sqlite:///webapp.sqlite"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    UPLOAD_FOLDER = None  # default: <instance>/uploads
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    ALLOWED_EXTENSIONS = frozenset({"txt", "pdf", "png", "jpg", "jpeg", "gif", "csv", "md"})
    IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif"})
    POSTS_PER_PAGE = 10
    API_MAX_PER_PAGE = 100
    PASSWORD_HASH_METHOD = "scrypt"
    MAIL_BACKEND = "console"  # console | outbox | smtp
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = "noreply@webapp.local"
    WEATHER_API_URL = "https://weather.example.com/v1/current"
    WEATHER_API_TIMEOUT = 5
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"  # per client address
    LOGIN_ACCOUNT_RATE_LIMIT = "10 per minute"  # failed logins per account, from any address
    # Behind a reverse proxy: how many proxies set X-Forwarded-For / -Proto (werkzeug's ProxyFix).
    # Left at 0 there, every client shares the proxy's address and so one rate-limit bucket.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    API_RATE_LIMIT = "60 per minute"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # valid for the session's lifetime
    STRICT_TRANSPORT_SECURITY = None  # the HSTS header's value; production sets it


class DevelopmentConfig(Config):
    """Local development: debug on, embedded SQLite in the instance folder."""

    DEBUG = True


class TestingConfig(Config):
    """Tests: exceptions propagate, CSRF off for the test client, fast hashing, outbox mail."""

    TESTING = True
    SECRET_KEY = "testing-secret-key-long-enough-for-hs256"
    SQLALCHEMY_DATABASE_URI = "sqlite:///:memory:"
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_BACKEND = "outbox"
    WEATHER_API_URL = "http://weather.invalid/v1/current"
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    """Production: strong secrets must come from the environment."""

    REQUIRE_SECRET_KEY = True
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
