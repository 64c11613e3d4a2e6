"""GET /api/reports/annual: the year's new users and published posts, month by month."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from factories import PostFactory, UserFactory

pytestmark = pytest.mark.integration


def test_generate_large_report(client: FlaskClient, db, seed_data: dict) -> None:
    """The seed's report test (marked slow there; here the report takes milliseconds)."""
    response = client.get("/api/reports/annual")

    assert response.status_code == 200


def test_report_defaults_to_the_current_year(client: FlaskClient, db) -> None:
    response = client.get("/api/reports/annual")

    assert response.get_json()["year"] == datetime.now(UTC).year


def test_report_counts_the_years_published_posts_by_month(client: FlaskClient, db) -> None:
    author = UserFactory(created_at=datetime(2024, 12, 31))
    for month in (1, 3, 3, 12):
        PostFactory(author=author, created_at=datetime(2025, month, 15))
    PostFactory(author=author, created_at=datetime(2025, 3, 1), is_published=False)
    PostFactory(author=author, created_at=datetime(2026, 1, 1))

    report = client.get("/api/reports/annual?year=2025").get_json()

    assert report["posts"] == 4
    assert report["posts_by_month"] == [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_report_counts_the_years_new_users(client: FlaskClient, db) -> None:
    UserFactory(created_at=datetime(2025, 1, 1))
    UserFactory(created_at=datetime(2025, 12, 31, 23, 59))
    UserFactory(created_at=datetime(2026, 1, 1))

    report = client.get("/api/reports/annual?year=2025").get_json()

    assert report["new_users"] == 2


@pytest.mark.parametrize("year", ["abc", "0", "10000", "99999999999999999999", "2025.5"])
def test_report_for_an_impossible_year_is_400(client: FlaskClient, db, year: str) -> None:
    response = client.get(f"/api/reports/annual?year={year}")

    assert response.status_code == 400
    assert response.get_json()["message"] == "'year' must be a whole number from 1 to 9999."
