"""Deployment settings in webapp.config: database URLs and environment overrides."""

from __future__ import annotations

import pytest

from webapp.config import database_url, environment_overrides

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("sqlite:///webapp.sqlite", "sqlite:///webapp.sqlite"),
    ],
    ids=["heroku-style", "bare-postgresql", "sqlite-unchanged"],
)
def test_database_url_selects_psycopg3_driver_for_postgres(url: str, expected: str) -> None:
    assert database_url(url) == expected


def test_overrides_map_variables_to_parsed_settings() -> None:
    environ = {"DATABASE_URL": "postgres://db/app", "MAIL_PORT": "2525", "UNRELATED": "x"}

    assert environment_overrides(environ) == {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/app",
        "MAIL_PORT": 2525,
    }


def test_empty_variable_is_ignored() -> None:
    assert environment_overrides({"SECRET_KEY": ""}) == {}


def test_malformed_number_raises_error_naming_variable_and_value() -> None:
    with pytest.raises(RuntimeError) as excinfo:
        environment_overrides({"MAIL_PORT": "twenty-five"})

    assert str(excinfo.value) == "Environment variable MAIL_PORT is malformed: 'twenty-five'"


def test_proxy_fix_settings_are_read_as_numbers() -> None:
    environ = {"PROXY_FIX_X_FOR": "1", "PROXY_FIX_X_PROTO": "1"}

    assert environment_overrides(environ) == {"PROXY_FIX_X_FOR": 1, "PROXY_FIX_X_PROTO": 1}
