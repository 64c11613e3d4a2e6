"""create_app's secrets: a per-instance one for development, strong ones required in production."""

from __future__ import annotations

from pathlib import Path

import pytest

import webapp
from webapp.config import ENVIRONMENT

pytestmark = pytest.mark.integration

STRONG = "p" * 48


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment for create_app: none of the app's variables, a database in tmp_path."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    return monkeypatch


def test_development_without_secret_key_uses_the_instance_secret(environ, tmp_path: Path) -> None:
    environ.setenv("FLASK_CONFIG", "development")

    app = webapp.create_app(instance_path=str(tmp_path / "instance"))

    assert app.secret_key == (tmp_path / "instance" / "secret_key").read_text().strip()


def test_two_installations_do_not_share_a_secret(environ, tmp_path: Path) -> None:
    environ.setenv("FLASK_CONFIG", "development")

    first = webapp.create_app(instance_path=str(tmp_path / "one"))
    second = webapp.create_app(instance_path=str(tmp_path / "two"))

    assert first.secret_key != second.secret_key


def test_development_keeps_a_secret_key_given_in_the_environment(environ, tmp_path: Path) -> None:
    environ.setenv("FLASK_CONFIG", "development")
    environ.setenv("SECRET_KEY", STRONG)

    app = webapp.create_app(instance_path=str(tmp_path / "instance"))

    assert app.secret_key == STRONG
    assert not (tmp_path / "instance" / "secret_key").exists()


@pytest.mark.parametrize(
    "secrets",
    [{}, {"SECRET_KEY": "change-me-in-production"}, {"SECRET_KEY": "short"},
     {"SECRET_KEY": STRONG, "JWT_SECRET_KEY": "secret"}],
    ids=["missing", "compose-default", "short", "known-jwt-secret"],
)
def test_production_refuses_to_start_with_a_weak_secret(environ, tmp_path: Path, secrets: dict) -> None:
    environ.setenv("FLASK_CONFIG", "production")
    for name, value in secrets.items():
        environ.setenv(name, value)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        webapp.create_app(instance_path=str(tmp_path / "instance"))


def test_production_starts_with_strong_secrets(environ, tmp_path: Path) -> None:
    environ.setenv("FLASK_CONFIG", "production")
    environ.setenv("SECRET_KEY", STRONG)
    environ.setenv("JWT_SECRET_KEY", STRONG + "-jwt")

    app = webapp.create_app(instance_path=str(tmp_path / "instance"))

    assert app.config["JWT_SECRET_KEY"] == STRONG + "-jwt"
