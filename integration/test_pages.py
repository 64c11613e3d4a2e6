"""Server-rendered pages: public pages, navigation, dashboard, profile, user pages and settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import template_rendered
from jinja2 import Template

from factories import PostFactory, UploadFactory, UserFactory
from webapp.models import User

pytestmark = pytest.mark.integration


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "expected_status"),
    [("/", 200), ("/login", 200), ("/register", 200), ("/about", 200), ("/nonexistent", 404)],
)
def test_public_endpoint_returns_expected_status(client, endpoint, expected_status):
    response = client.get(endpoint)

    assert response.status_code == expected_status


def test_home_page_contains_welcome_message(client):
    response = client.get("/")

    assert "Welcome" in response.get_data(as_text=True)


# --- navigation --------------------------------------------------------------------------------


def test_navbar_for_anonymous_shows_login_not_logout(client):
    response = client.get("/")

    html = response.get_data(as_text=True)
    assert "Login" in html
    assert "Logout" not in html


def test_navbar_for_authenticated_shows_logout_not_login(auth_client):
    response = auth_client.get("/")

    html = response.get_data(as_text=True)
    assert "Logout" in html
    assert "Login" not in html


# --- profile -----------------------------------------------------------------------------------


def test_profile_shows_username_and_email(auth_client):
    response = auth_client.get("/profile")

    html = response.get_data(as_text=True)
    assert "<dd>testuser</dd>" in html
    assert "<dd>test@example.com</dd>" in html


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_all_the_users_posts(auth_client, sample_posts):
    response = auth_client.get("/dashboard")

    html = response.get_data(as_text=True)
    assert [post.title for post in sample_posts if post.title not in html] == []


def test_dashboard_hides_other_users_posts_and_uploads(auth_client, sample_user):
    stranger = UserFactory()
    PostFactory(author=stranger, title="Stranger Post Title")
    UploadFactory(owner=stranger, original_filename="stranger-secrets.txt")

    response = auth_client.get("/dashboard")

    html = response.get_data(as_text=True)
    assert "Stranger Post Title" not in html
    assert "stranger-secrets.txt" not in html


def test_dashboard_lists_the_users_upload_with_human_size(auth_client, sample_user):
    UploadFactory(owner=sample_user, original_filename="report.txt", content=b"x" * 1536)

    response = auth_client.get("/dashboard")

    html = response.get_data(as_text=True)
    assert ">report.txt</a>" in html
    assert "<td>1.5 KB</td>" in html


@pytest.fixture
def rendered_templates(app) -> Iterator[list[tuple[Template, dict[str, Any]]]]:
    """Every template the app renders during the test, with its context."""
    recorded: list[tuple[Template, dict[str, Any]]] = []

    def record(sender, template, context, **extra):
        recorded.append((template, context))

    with template_rendered.connected_to(record, app):
        yield recorded


def test_dashboard_renders_its_template_with_the_logged_in_user(auth_client, rendered_templates):
    auth_client.get("/dashboard")

    [(template, context)] = rendered_templates
    assert template.name == "dashboard.html"
    assert context["user"].username == "testuser"


# --- public user pages -------------------------------------------------------------------------


def test_user_page_shows_published_posts_and_hides_drafts(client, sample_posts, sample_user):
    PostFactory(author=sample_user, title="Secret Draft Title", is_published=False)

    response = client.get("/users/testuser")

    html = response.get_data(as_text=True)
    assert [post.title for post in sample_posts if post.title not in html] == []
    assert "Secret Draft Title" not in html


def test_user_page_for_unknown_user_returns_404(client, db):
    response = client.get("/users/nobody-here")

    assert response.status_code == 404


# --- settings: email ---------------------------------------------------------------------------


def change_email(client, email: str):
    return client.post("/settings", data={"action": "email", "email-email": email})


def test_settings_change_email_saves_and_redirects_to_settings(auth_client, sample_user):
    response = change_email(auth_client, "Renamed@Example.com")

    assert response.headers["Location"] == "/settings"
    assert User.query.filter_by(username="testuser").one().email == "renamed@example.com"


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-email", "Enter a valid email address."), ("", "Email is required.")],
    ids=["invalid", "empty"],
)
def test_settings_change_email_invalid_returns_400_with_message(auth_client, email, message):
    response = change_email(auth_client, email)

    assert response.status_code == 400
    assert f"<li>{message}</li>" in response.get_data(as_text=True)


def test_settings_change_email_taken_by_another_user_returns_400_and_keeps_old(auth_client, sample_user):
    UserFactory(username="other", email="taken@example.com")

    response = change_email(auth_client, "TAKEN@example.com")

    assert response.status_code == 400
    assert "<li>Email already registered.</li>" in response.get_data(as_text=True)
    assert User.query.filter_by(username="testuser").one().email == "test@example.com"


# --- settings: password ------------------------------------------------------------------------


def change_password(client, current: str, new: str = "NewSecret123"):
    return client.post("/settings", data={
        "action": "password",
        "password-current_password": current,
        "password-new_password": new,
        "password-confirm_password": new,
    })


def test_settings_change_password_redirects_to_settings(auth_client):
    response = change_password(auth_client, "password123")

    assert response.headers["Location"] == "/settings"


def test_settings_changed_password_replaces_the_old_one_for_login(auth_client):
    change_password(auth_client, "password123")
    auth_client.get("/logout")

    with_new = auth_client.post("/login", data={"username": "testuser", "password": "NewSecret123"})
    auth_client.get("/logout")
    with_old = auth_client.post("/login", data={"username": "testuser", "password": "password123"})

    assert with_new.headers["Location"] == "/dashboard"
    assert with_old.status_code == 401


def test_settings_wrong_current_password_returns_400_and_keeps_password(auth_client, sample_user):
    response = change_password(auth_client, "not-my-password")

    assert response.status_code == 400
    assert "<li>Current password is incorrect.</li>" in response.get_data(as_text=True)
    assert User.query.filter_by(username="testuser").one().check_password("password123") is True


# --- settings: unknown action ------------------------------------------------------------------


def test_settings_unknown_action_returns_400_with_message(auth_client):
    response = auth_client.post("/settings", data={"action": "delete-account"})

    assert response.status_code == 400
    assert "Unknown settings action." in response.get_data(as_text=True)
