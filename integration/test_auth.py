"""Session login and logout: credentials, redirects, protected pages, rate limit and CSRF."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from factories import UserFactory
from webapp import models
from webapp.services import auth_service

pytestmark = pytest.mark.integration

CREDENTIALS = {"username": "testuser", "password": "password123"}
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PROFILE_USERNAME = re.compile(r"<dt>Username</dt><dd>([^<]*)</dd>")


def login_redirect_for(path: str) -> str:
    """Where Flask-Login sends an anonymous visitor of ``path``."""
    return "/login?" + urlencode({"next": path})


# --- the login page ----------------------------------------------------------------------------


@pytest.mark.parametrize("markup", ['name="username"', 'name="password"', 'type="submit"'])
def test_login_page_renders_form_field(client, markup):
    response = client.get("/login")

    assert markup in response.get_data(as_text=True)


# --- logging in --------------------------------------------------------------------------------


def test_login_with_valid_credentials_redirects_to_dashboard(client, sample_user):
    response = client.post("/login", data=CREDENTIALS)

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_login_followed_shows_dashboard_with_username(client, sample_user):
    response = client.post("/login", data=CREDENTIALS, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in html
    assert "Hello, testuser!" in html


def test_login_with_email_instead_of_username_redirects_to_dashboard(client, sample_user):
    response = client.post("/login", data={"username": "test@example.com", "password": "password123"})

    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize(
    ("username", "password"),
    [("testuser", "wrongpassword"), ("ghost", "password123")],
    ids=["wrong-password", "unknown-user"],
)
def test_login_with_bad_credentials_returns_401_with_message(client, sample_user, username, password):
    response = client.post("/login", data={"username": username, "password": password})

    assert response.status_code == 401
    assert "Invalid username or password." in response.get_data(as_text=True)


# --- logging out and the session ---------------------------------------------------------------


def test_logout_clears_session_so_dashboard_redirects_to_login(auth_client):
    auth_client.get("/logout", follow_redirects=True)

    response = auth_client.get("/dashboard")

    assert response.status_code == 302
    assert response.headers["Location"] == login_redirect_for("/dashboard")


def test_session_persists_across_requests(auth_client):
    statuses = [auth_client.get(path).status_code for path in ("/dashboard", "/profile", "/settings")]

    assert statuses == [200, 200, 200]


def test_two_clients_in_one_test_stay_separate_users(app, auth_client):
    UserFactory(username="otheruser", email="other@example.com", password="password456")
    other_client = app.test_client()
    other_client.post("/login", data={"username": "otheruser", "password": "password456"})

    pages = [c.get("/profile").get_data(as_text=True) for c in (auth_client, other_client)]

    assert [PROFILE_USERNAME.search(page).group(1) for page in pages] == ["testuser", "otheruser"]


# --- protected pages and ?next= ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/dashboard"),
        ("GET", "/profile"),
        ("GET", "/settings"),
        ("POST", "/posts/new"),
        ("GET", "/upload"),
    ],
)
def test_protected_page_redirects_anonymous_user_to_login_with_next(client, method, path):
    response = client.open(path, method=method)

    assert response.status_code == 302
    assert response.headers["Location"] == login_redirect_for(path)


def test_login_honours_local_next_path(client, sample_user):
    response = client.post("/login", query_string={"next": "/profile"}, data=CREDENTIALS)

    assert response.headers["Location"] == "/profile"


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example", "/\\evil.example"],
    ids=["absolute", "scheme-relative", "backslash"],
)
def test_login_ignores_offsite_next_and_goes_to_dashboard(client, sample_user, target):
    response = client.post("/login", query_string={"next": target}, data=CREDENTIALS)

    assert response.headers["Location"] == "/dashboard"


# --- timing: unknown accounts cost a password check too ----------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [("/login", "data"), ("/api/auth/login", "json")],
    ids=["html", "api"],
)
def test_login_of_an_unknown_user_still_checks_a_password_hash(client, db, mocker, path, body):
    """Answering faster for unknown names would tell an attacker which accounts exist."""
    check = mocker.spy(auth_service, "check_password_hash")

    client.post(path, **{body: {"username": "nobody", "password": "password123"}})

    check.assert_called_once()


@pytest.mark.parametrize(
    ("path", "body"),
    [("/login", "data"), ("/api/auth/login", "json")],
    ids=["html", "api"],
)
def test_login_of_a_known_user_checks_one_password_hash(client, sample_user, mocker, path, body):
    check = mocker.spy(models, "check_password_hash")

    client.post(path, **{body: {"username": "testuser", "password": "wrong-password"}})

    check.assert_called_once()


# --- rate limit --------------------------------------------------------------------------------


def test_login_eleventh_attempt_within_a_minute_gets_429_friendly_page(client, sample_user):
    wrong = {"username": "testuser", "password": "wrongpassword"}
    first_ten = [client.post("/login", data=wrong).status_code for _ in range(10)]

    response = client.post("/login", data=wrong)

    assert first_ten == [401] * 10
    assert response.status_code == 429
    assert "<h1>Too many requests</h1>" in response.get_data(as_text=True)


def attempts_allowed(app, setting: str) -> int:
    return int(app.config[setting].split()[0])


def from_address(number: int) -> dict:
    """A request environment from the given documentation address (a different client each)."""
    return {"REMOTE_ADDR": f"198.51.100.{number}"}


@pytest.mark.parametrize(
    ("path", "body", "refused"),
    [("/login", "data", 401), ("/api/auth/login", "json", 401)],
    ids=["html", "api"],
)
def test_login_failures_for_one_account_from_many_addresses_hit_the_limit(
    app, client, sample_user, path, body, refused
):
    wrong = {"username": "testuser", "password": "wrongpassword"}
    limit = attempts_allowed(app, "LOGIN_ACCOUNT_RATE_LIMIT")
    first = [client.post(path, environ_base=from_address(n), **{body: wrong}).status_code for n in range(limit)]

    response = client.post(path, environ_base=from_address(limit), **{body: wrong})

    assert first == [refused] * limit
    assert response.status_code == 429


def test_account_limit_counts_html_and_api_attempts_together(app, client, sample_user):
    wrong = {"username": "testuser", "password": "wrongpassword"}
    for n in range(attempts_allowed(app, "LOGIN_ACCOUNT_RATE_LIMIT")):
        client.post("/api/auth/login", json=wrong, environ_base=from_address(n))

    response = client.post("/login", data=wrong, environ_base=from_address(200))

    assert response.status_code == 429


def test_account_limit_applies_to_the_account_under_its_email_too(app, client, sample_user):
    wrong = {"username": "testuser", "password": "wrongpassword"}
    for n in range(attempts_allowed(app, "LOGIN_ACCOUNT_RATE_LIMIT")):
        client.post("/login", data=wrong, environ_base=from_address(n))

    response = client.post("/login", data={**wrong, "username": "TEST@example.com"}, environ_base=from_address(200))

    assert response.status_code == 429


def test_successful_logins_do_not_use_up_the_account_limit(app, client, sample_user):
    for n in range(attempts_allowed(app, "LOGIN_ACCOUNT_RATE_LIMIT")):
        client.post("/login", data=CREDENTIALS, environ_base=from_address(n))

    response = client.post("/login", data=CREDENTIALS, environ_base=from_address(200))

    assert response.status_code == 302


def test_account_limit_leaves_other_accounts_alone(app, client, sample_user):
    UserFactory(username="other")
    wrong = {"username": "testuser", "password": "wrongpassword"}
    for n in range(attempts_allowed(app, "LOGIN_ACCOUNT_RATE_LIMIT")):
        client.post("/login", data=wrong, environ_base=from_address(n))

    response = client.post("/login", data={"username": "other", "password": "password123"},
                           environ_base=from_address(200))

    assert response.status_code == 302


# --- CSRF --------------------------------------------------------------------------------------


@pytest.fixture
def csrf_enabled(app, monkeypatch) -> None:
    """Turn CSRF protection on for this test, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_login_without_csrf_token_is_refused_with_400(client, sample_user, csrf_enabled):
    response = client.post("/login", data=CREDENTIALS)

    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_login_with_csrf_token_from_the_form_succeeds(client, sample_user, csrf_enabled):
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)

    response = client.post("/login", data={**CREDENTIALS, "csrf_token": token})

    assert response.headers["Location"] == "/dashboard"
