"""Configuration classes; values that differ per deployment come from environment variables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
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


DEFAULT_SECRET_KEY = "dev-secret-key-change-me"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = DEFAULT_SECRET_KEY
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
    LOGIN_RATE_LIMIT = "10 per minute"
    API_RATE_LIMIT = "60 per minute"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # valid for the session's lifetime


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
    """Production: secrets must come from the environment."""

    REQUIRE_SECRET_KEY = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
