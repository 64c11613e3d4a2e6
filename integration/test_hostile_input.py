"""Hostile input answers a clear 4xx, never a 500: huge ids and pages, deep or unencodable JSON, NUL bytes."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from flask_jwt_extended import create_access_token, create_refresh_token

from factories import PostFactory
from webapp.models import Post, User

pytestmark = pytest.mark.integration

# Beyond SQLite's 64-bit integers, and one past PostgreSQL's 32-bit INTEGER.
OUT_OF_RANGE_IDS = ["99999999999999999999", "2147483648"]

ID_ROUTES = [
    ("GET", "/posts/{}"),
    ("GET", "/posts/{}/edit"),
    ("POST", "/posts/{}/edit"),
    ("GET", "/posts/{}/delete"),
    ("POST", "/posts/{}/delete"),
    ("GET", "/uploads/{}/download"),
    ("POST", "/uploads/{}/delete"),
    ("GET", "/api/posts/{}"),
    ("PUT", "/api/posts/{}"),
    ("PATCH", "/api/posts/{}"),
    ("DELETE", "/api/posts/{}"),
]

DEEP_JSON = "[" * 100_000
JSON_ROUTES = [
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("POST", "/api/users"),
    ("POST", "/api/posts"),
    ("PUT", "/api/posts/{post_id}"),
    ("POST", "/login"),
    ("POST", "/register"),
]


@pytest.mark.parametrize("post_id", OUT_OF_RANGE_IDS, ids=["beyond-int64", "beyond-int32"])
@pytest.mark.parametrize(("method", "path"), ID_ROUTES, ids=[f"{m} {p}" for m, p in ID_ROUTES])
def test_id_beyond_the_column_range_is_404(
    auth_client: FlaskClient, auth_headers: dict, method: str, path: str, post_id: str
) -> None:
    response = auth_client.open(path.format(post_id), method=method, json={"title": "x"}, headers=auth_headers)

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/posts", "/api/posts"])
def test_page_beyond_any_result_is_400(client: FlaskClient, db, path: str) -> None:
    response = client.get(f"{path}?page=9999999999999999999")

    assert response.status_code == 400


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES, ids=[f"{m} {p}" for m, p in JSON_ROUTES])
def test_deeply_nested_json_is_400(
    client: FlaskClient, auth_headers: dict, sample_posts: list[Post], method: str, path: str
) -> None:
    url = path.format(post_id=sample_posts[0].id)

    response = client.open(url, method=method, data=DEEP_JSON, headers=auth_headers)

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/auth/login", '{"username": "\\ud800", "password": "x"}'),
        ("POST", "/api/auth/login", '{"username": "testuser", "password": "\\udfff"}'),
        ("POST", "/api/auth/refresh", '{"refresh_token": "\\ud800"}'),
        ("POST", "/api/posts", '{"title": "\\ud800", "content": "x"}'),
        ("POST", "/login", '{"username": "\\ud800", "password": "x"}'),
    ],
    ids=["login-username", "login-password", "refresh", "post-create", "html-login"],
)
def test_lone_surrogate_in_json_is_400(
    client: FlaskClient, auth_headers: dict, method: str, path: str, body: str
) -> None:
    response = client.open(path, method=method, data=body, headers=auth_headers)

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/auth/login", {"username": "bob\x00", "password": "password123"}),
        ("POST", "/api/posts", {"title": "Title", "content": "a\x00b"}),
        ("POST", "/api/users", {"username": "a\x00b", "email": "ab@example.com"}),
    ],
    ids=["api-login", "api-post", "api-user"],
)
def test_nul_in_json_text_is_400(client: FlaskClient, auth_headers: dict, method: str, path: str, body: dict) -> None:
    response = client.open(path, method=method, json=body, headers=auth_headers)

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/login", {"username": "bob\x00", "password": "password123"}),
        ("/posts/new", {"title": "Title", "content": "a\x00b"}),
        ("/register", {"username": "a\x00b", "email": "ab@example.com", "password": "Secret123!"}),
    ],
    ids=["login", "new-post", "register"],
)
def test_nul_in_form_text_is_400(auth_client: FlaskClient, path: str, form: dict) -> None:
    response = auth_client.post(path, data=form)

    assert response.status_code == 400


def test_nul_in_form_text_stores_nothing(auth_client: FlaskClient, db) -> None:
    auth_client.post("/posts/new", data={"title": "Title", "content": "a\x00b"})

    assert db.session.query(Post).count() == 0


@pytest.mark.parametrize("path", ["/users/a%00b", "/users/a\x00b"], ids=["percent-encoded", "raw"])
def test_nul_in_a_url_is_404(client: FlaskClient, db, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("subject", ["99999999999999999999", "-1", "1.5", "abc", ""])
@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_token_whose_subject_is_not_a_user_id_is_401(
    client: FlaskClient, db, sample_user: User, subject: str, kind: str
) -> None:
    if kind == "access":
        token = create_access_token(identity=subject)
        response = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    else:
        token = create_refresh_token(identity=subject)
        response = client.post("/api/auth/refresh", json={"refresh_token": token})

    assert response.status_code == 401


def test_post_routes_still_find_real_ids(client: FlaskClient, db) -> None:
    post = PostFactory()

    response = client.get(f"/api/posts/{post.id}")

    assert response.status_code == 200


FORM_ROUTES = ["/login", "/register", "/settings", "/posts/new", "/upload", "/upload/image"]
NOT_A_FLAT_OBJECT = ["false", "[1, 2]", '"text"', "12", '{"username": {"nested": 1}}', '{"username": [1, 2]}']


@pytest.mark.parametrize("body", NOT_A_FLAT_OBJECT)
@pytest.mark.parametrize("path", FORM_ROUTES)
def test_form_route_refuses_json_that_is_not_a_flat_object_with_400(
    auth_client: FlaskClient, path: str, body: str
) -> None:
    # Flask-WTF reads a JSON body as the form's data; anything but an object of plain values crashed it.
    response = auth_client.post(path, data=body, content_type="application/json")

    assert response.status_code == 400


def test_multipart_part_with_a_broken_header_is_400(client: FlaskClient) -> None:
    # A line break inside the part's name leaves werkzeug a field without a name (None).
    body = (b'--b\r\nContent-Disposition: form-data; name="\r\nX-Injected: 1"\r\n\r\n\r\n'
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\n\r\n--b--\r\n')

    response = client.post("/login", data=body, content_type="multipart/form-data; boundary=b")

    assert response.status_code == 400
