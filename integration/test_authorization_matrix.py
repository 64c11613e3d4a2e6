"""Who may do what: the main routes x anonymous / user / owner / admin, declared once in one table.

The owner is the seed's testuser; "user" is another account; the admin is not the owner. Each
cell gets a fresh post or upload of the owner and is rolled back after it, so a successful
delete by the owner leaves the admin a post of its own to delete.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from flask_harness import AuthorizationMatrix

from factories import DEFAULT_PASSWORD, PostFactory, UploadFactory, UserFactory
from webapp.extensions import limiter
from webapp.models import User

pytestmark = pytest.mark.integration

# Uploads are private: anyone but their owner, the admin included, is told they do not exist.
TABLE = {
    ("GET", "/posts/{post}/edit"): {"anonymous": 302, "user": 403, "owner": 200, "admin": 200},
    ("POST", "/posts/{post}/edit"): {"anonymous": 302, "user": 403, "owner": 302, "admin": 302},
    ("GET", "/posts/{post}/delete"): {"anonymous": 302, "user": 403, "owner": 200, "admin": 200},
    ("POST", "/posts/{post}/delete"): {"anonymous": 302, "user": 403, "owner": 302, "admin": 302},
    ("GET", "/uploads/{upload}/download"): {"anonymous": 302, "user": 404, "owner": 200, "admin": 404},
    ("POST", "/uploads/{upload}/delete"): {"anonymous": 302, "user": 404, "owner": 302, "admin": 404},
    ("GET", "/api/admin/users"): {"anonymous": 401, "user": 403, "owner": 403, "admin": 200},
    ("PUT", "/api/posts/{post}"): {"anonymous": 401, "user": 403, "owner": 200, "admin": 200},
    ("PATCH", "/api/posts/{post}"): {"anonymous": 401, "user": 403, "owner": 200, "admin": 200},
    ("DELETE", "/api/posts/{post}"): {"anonymous": 401, "user": 403, "owner": 204, "admin": 204},
}
REQUESTS = {
    ("POST", "/posts/{post}/edit"): {"data": {"title": "Changed title", "content": "Changed content."}},
    ("PUT", "/api/posts/{post}"): {"json": {"title": "Changed title", "content": "Changed content."}},
    ("PATCH", "/api/posts/{post}"): {"json": {"title": "Changed title"}},
}


def logged_in(username: str, password: str = DEFAULT_PASSWORD) -> Callable[[FlaskClient], dict[str, str]]:
    """Log in through the form (session cookie) and the API (bearer token, returned as a header)."""

    def login(client: FlaskClient) -> dict[str, str]:
        assert client.post("/login", data={"username": username, "password": password}).status_code == 302
        token = client.post("/api/auth/login", json={"username": username, "password": password}).get_json()
        return {"Authorization": f"Bearer {token['access_token']}"}

    return login


def test_each_role_gets_the_declared_status_on_every_main_route(
        monkeypatch: pytest.MonkeyPatch, sample_user: User, admin_user: User,
        authorization_matrix: AuthorizationMatrix) -> None:
    monkeypatch.setattr(limiter, "enabled", False)  # eight logins in a row
    UserFactory(username="other")

    authorization_matrix(
        TABLE,
        roles={"anonymous": None, "user": logged_in("other"), "owner": logged_in("testuser"),
               "admin": logged_in("admin", "admin123")},
        params={"post": lambda: PostFactory(author=sample_user).id,
                "upload": lambda: UploadFactory(owner=sample_user).id},
        requests=REQUESTS,
    )
