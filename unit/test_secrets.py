"""Secrets: one per installation, generated in the instance folder; production refuses weak ones."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from webapp.config import KNOWN_SECRETS, MIN_SECRET_LENGTH, instance_secret, secret_problems

pytestmark = pytest.mark.unit

STRONG = "k" * MIN_SECRET_LENGTH


def test_instance_secret_is_generated_long_and_random(tmp_path: Path) -> None:
    secret = instance_secret(tmp_path)

    assert len(secret) >= MIN_SECRET_LENGTH
    assert secret != instance_secret(tmp_path / "another-installation")


def test_instance_secret_is_kept_readable_by_its_owner_only(tmp_path: Path) -> None:
    instance_secret(tmp_path)

    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_instance_secret_is_the_same_on_the_next_start(tmp_path: Path) -> None:
    first = instance_secret(tmp_path)

    assert instance_secret(tmp_path) == first


def test_instance_secret_creates_the_instance_folder(tmp_path: Path) -> None:
    instance_secret(tmp_path / "instance")

    assert (tmp_path / "instance" / "secret_key").is_file()


def test_instance_secret_file_that_was_emptied_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("")

    with pytest.raises(RuntimeError, match="delete it"):
        instance_secret(tmp_path)


def test_strong_secrets_have_no_problems() -> None:
    assert secret_problems({"SECRET_KEY": STRONG, "JWT_SECRET_KEY": STRONG + "j"}) == []


def test_jwt_secret_may_be_left_to_fall_back_on_the_secret_key() -> None:
    assert secret_problems({"SECRET_KEY": STRONG, "JWT_SECRET_KEY": None}) == []


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({}, "Set SECRET_KEY"),
        ({"SECRET_KEY": ""}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "short-secret"}, f"SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters"),
        ({"SECRET_KEY": STRONG, "JWT_SECRET_KEY": "short"},
         f"JWT_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters"),
    ],
    ids=["missing", "empty", "short", "short-jwt"],
)
def test_missing_or_short_secret_is_a_problem(config: dict, problem: str) -> None:
    assert any(message.startswith(problem) for message in secret_problems(config))


@pytest.mark.parametrize("known", sorted(KNOWN_SECRETS))
@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET_KEY"])
def test_known_secret_is_a_problem_however_long(known: str, name: str) -> None:
    config = {"SECRET_KEY": STRONG, name: known}

    assert any(message.startswith(f"{name} is a published") for message in secret_problems(config))


@pytest.mark.parametrize("known", ["change-me-in-production", "dev", "secret", "dev-secret-key-change-me"])
def test_known_defaults_include_the_ones_this_project_once_shipped(known: str) -> None:
    assert known in KNOWN_SECRETS
