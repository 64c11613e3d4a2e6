"""Fixtures of the integration layer: the seed tutorial's users, clients and tokens, on factories."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factories import PostFactory, UserFactory, reseed
from webapp.extensions import limiter
from webapp.models import Post, User

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _per_test_state(request: pytest.FixtureRequest, app: Flask) -> None:
    """Reproducible factory data per test, and rate-limit counters that start at zero."""
    reseed(request.node.nodeid)
    limiter.reset()


@pytest.fixture
def sample_user(db) -> User:
    """The seed's standard user: testuser / test@example.com / password123."""
    return UserFactory(username="testuser", email="test@example.com", password="password123")


@pytest.fixture
def admin_user(db) -> User:
    """An administrator: admin / admin123."""
    return UserFactory(username="admin", email="admin@example.com", is_admin=True, password="admin123")


@pytest.fixture
def auth_client(client: FlaskClient, sample_user: User) -> FlaskClient:
    """A test client logged in as sample_user through the login form."""
    response = client.post("/login", data={"username": "testuser", "password": "password123"})
    assert response.status_code == 302, "logging in the sample user failed"
    return client


@pytest.fixture
def admin_client(client: FlaskClient, admin_user: User) -> FlaskClient:
    """A test client logged in as admin_user."""
    response = client.post("/login", data={"username": "admin", "password": "admin123"})
    assert response.status_code == 302, "logging in the admin failed"
    return client


@pytest.fixture
def api_token(client: FlaskClient, sample_user: User) -> str:
    """A JWT access token for sample_user, obtained from /api/auth/login."""
    response = client.post("/api/auth/login", json={"username": "testuser", "password": "password123"})
    return response.get_json()["access_token"]


@pytest.fixture
def auth_headers(api_token: str) -> dict[str, str]:
    """Headers carrying sample_user's JWT."""
    return {"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"}


@pytest.fixture
def admin_headers(client: FlaskClient, admin_user: User) -> dict[str, str]:
    """Headers carrying admin_user's JWT."""
    response = client.post("/api/auth/login", json={"username": "admin", "password": "admin123"})
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.fixture
def sample_posts(db, sample_user: User) -> list[Post]:
    """Five published posts by sample_user."""
    return [
        PostFactory(author=sample_user, title=f"Test Post {n}", content=f"Content for test post {n}.")
        for n in range(5)
    ]


@pytest.fixture
def seed_data(db) -> dict[str, list]:
    """Five users with three posts each (the seed's pagination data)."""
    users = UserFactory.create_batch(5)
    posts = [PostFactory(author=user) for user in users for _ in range(3)]
    return {"users": users, "posts": posts}
