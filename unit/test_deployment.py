"""docker-compose.yml and the CI files: no Docker engine here, so read them and check what they say."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from webapp.config import ENVIRONMENT, environment_overrides

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
# Variables the app reads besides the ENVIRONMENT table: Flask's own selector of the config class.
APP_VARIABLES = set(ENVIRONMENT) | {"FLASK_CONFIG"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_database_service_has_a_health_check(compose: dict) -> None:
    healthcheck = compose["services"]["db"]["healthcheck"]
    assert "pg_isready" in " ".join(healthcheck["test"])


@pytest.mark.parametrize("service", ["app", "tests"])
def test_service_waits_for_a_healthy_database(compose: dict, service: str) -> None:
    assert compose["services"][service]["depends_on"]["db"]["condition"] == "service_healthy"


def test_app_runs_the_production_config(compose: dict) -> None:
    assert compose["services"]["app"]["environment"]["FLASK_CONFIG"] == "production"


@pytest.mark.parametrize("name", ["SECRET_KEY"])
def test_app_secret_comes_from_the_environment_not_shipped(compose: dict, name: str) -> None:
    # Empty unless given (production then refuses to start); not ${…:?…}, which would make every
    # compose command fail without it, `docker compose up -d db` included.
    assert compose["services"]["app"]["environment"][name] == f"${{{name}:-}}"


def test_image_serves_the_production_config_with_gunicorn() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    app_stage = dockerfile.split("FROM app AS test")[0]
    assert "FLASK_CONFIG=production" in app_stage
    assert 'CMD ["sh", "-c", "flask --app webapp init-db && exec gunicorn' in app_stage


def test_image_ships_no_secret() -> None:
    instructions = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.startswith("#")]
    assert not [line for line in instructions if "SECRET_KEY" in line]


def test_gunicorn_is_a_dependency() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert any(requirement.startswith("gunicorn") for requirement in pyproject["project"]["dependencies"])


def test_app_environment_uses_only_variables_the_app_reads(compose: dict) -> None:
    environment = compose["services"]["app"]["environment"]
    assert set(environment) - APP_VARIABLES == set()


def test_app_environment_selects_postgresql_on_the_db_service(compose: dict) -> None:
    environment = compose["services"]["app"]["environment"]
    overrides = environment_overrides({k: str(v) for k, v in environment.items()})
    assert overrides["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://webapp:webapp@db:5432/webapp"


def test_database_url_credentials_match_the_database_service(compose: dict) -> None:
    db_env = compose["services"]["db"]["environment"]
    expected = (f"postgresql://{db_env['POSTGRES_USER']}:{db_env['POSTGRES_PASSWORD']}"
                f"@db:5432/{db_env['POSTGRES_DB']}")
    assert compose["services"]["app"]["environment"]["DATABASE_URL"] == expected
    assert compose["services"]["tests"]["environment"]["DATABASE_URL"] == expected


def test_test_service_runs_the_suite_in_parallel(compose: dict) -> None:
    assert compose["services"]["tests"]["command"][:3] == ["pytest", "-n", "auto"]


def test_ci_script_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "```sh\n./dev test\n```" in readme
    assert "\n./dev test\n" in ci


def test_readme_test_command_runs_the_whole_suite_in_parallel_with_coverage() -> None:
    dev = (ROOT / "dev").read_text()
    assert 'exec env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/pytest" -n auto --cov "$@"' in dev
