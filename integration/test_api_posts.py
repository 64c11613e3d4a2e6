"""The posts API: list with pagination, read, create, update, delete, and who may change what."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from factories import PostFactory, UserFactory
from webapp.models import Post, User

pytestmark = pytest.mark.integration


@pytest.fixture
def others_post(db) -> Post:
    """A published post written by someone other than sample_user."""
    return PostFactory(author=UserFactory(username="someone_else"), title="Someone else's post")


@pytest.fixture
def draft_post(db, sample_user: User) -> Post:
    """An unpublished post by sample_user."""
    return PostFactory(author=sample_user, title="Secret draft", is_published=False)


class TestPostAPI:
    """The seed's TestPostAPI, one to one."""

    def test_list_posts_returns_all_published_posts(
        self, client: FlaskClient, sample_posts: list[Post]
    ) -> None:
        response = client.get("/api/posts")

        assert response.status_code == 200
        assert len(response.get_json()["items"]) == 5

    def test_get_single_post_returns_title_and_author(
        self, client: FlaskClient, sample_posts: list[Post]
    ) -> None:
        post = sample_posts[0]

        response = client.get(f"/api/posts/{post.id}")

        assert response.status_code == 200
        data = response.get_json()
        assert data["title"] == post.title
        assert data["author"] == "testuser"

    def test_create_post_returns_201_with_new_post(self, client: FlaskClient, auth_headers: dict) -> None:
        response = client.post(
            "/api/posts", json={"title": "API Post", "content": "Created via API."}, headers=auth_headers
        )

        assert response.status_code == 201
        data = response.get_json()
        assert data["title"] == "API Post"
        assert data["author"] == "testuser"
        assert data["id"] is not None
        assert "created_at" in data

    def test_create_post_sets_location_header(self, client: FlaskClient, auth_headers: dict) -> None:
        response = client.post(
            "/api/posts", json={"title": "Located", "content": "Here."}, headers=auth_headers
        )

        assert response.headers["Location"] == f"/api/posts/{response.get_json()['id']}"

    def test_create_post_ignores_unknown_tags(self, client: FlaskClient, auth_headers: dict) -> None:
        response = client.post(
            "/api/posts",
            json={"title": "Test Post", "content": "This is a test post.", "tags": ["python", "flask"]},
            headers=auth_headers,
        )

        assert response.status_code == 201
        assert "tags" not in response.get_json()

    def test_create_post_without_auth_returns_401(self, client: FlaskClient) -> None:
        response = client.post("/api/posts", json={"title": "No Auth", "content": "Should fail."})

        assert response.status_code == 401
        assert Post.query.filter_by(title="No Auth").count() == 0

    def test_create_post_with_invalid_json_returns_400(self, client: FlaskClient, auth_headers: dict) -> None:
        response = client.post(
            "/api/posts", data="this is not json", content_type="application/json", headers=auth_headers
        )

        assert response.status_code == 400

    def test_create_post_without_title_returns_400_naming_title(
        self, client: FlaskClient, auth_headers: dict
    ) -> None:
        response = client.post("/api/posts", json={"content": "No title provided"}, headers=auth_headers)

        assert response.status_code == 400
        assert "title" in response.get_json()["message"].lower()

    def test_put_updates_title(
        self, client: FlaskClient, auth_headers: dict, sample_posts: list[Post]
    ) -> None:
        post = sample_posts[0]

        response = client.put(
            f"/api/posts/{post.id}", json={"title": "Updated via API"}, headers=auth_headers
        )

        assert response.status_code == 200
        assert response.get_json()["title"] == "Updated via API"

    def test_patch_changes_only_given_fields(
        self, client: FlaskClient, auth_headers: dict, sample_posts: list[Post]
    ) -> None:
        post = sample_posts[0]
        original_title = post.title

        response = client.patch(f"/api/posts/{post.id}", json={"content": "New body."}, headers=auth_headers)

        data = response.get_json()
        assert data["content"] == "New body."
        assert data["title"] == original_title

    def test_delete_returns_204_then_get_returns_404_json(
        self, client: FlaskClient, auth_headers: dict, sample_posts: list[Post]
    ) -> None:
        post_id = sample_posts[0].id

        response = client.delete(f"/api/posts/{post_id}", headers=auth_headers)

        assert response.status_code == 204
        after = client.get(f"/api/posts/{post_id}")
        assert after.status_code == 404
        assert after.get_json()["error"] == "Not Found"

    def test_pagination_returns_requested_page_with_metadata(
        self, client: FlaskClient, sample_posts: list[Post]
    ) -> None:
        response = client.get("/api/posts?page=1&per_page=2")

        data = response.get_json()
        assert len(data["items"]) == 2
        assert data["total"] == 5
        assert data["pages"] == 3
        assert data["has_next"] is True

    def test_pagination_over_seed_data(self, client: FlaskClient, seed_data: dict) -> None:
        response = client.get("/api/posts?page=1&per_page=5")

        data = response.get_json()
        assert len(data["items"]) == 5
        assert data["total"] == 15
        assert data["page"] == 1
        assert data["pages"] == 3

    def test_last_page_has_no_next(self, client: FlaskClient, sample_posts: list[Post]) -> None:
        response = client.get("/api/posts?page=3&per_page=2")

        data = response.get_json()
        assert len(data["items"]) == 1
        assert data["has_next"] is False

    def test_page_beyond_the_end_is_empty(self, client: FlaskClient, sample_posts: list[Post]) -> None:
        response = client.get("/api/posts?page=9&per_page=2")

        assert response.status_code == 200
        assert response.get_json()["items"] == []

    def test_per_page_is_capped_at_100(self, client: FlaskClient, sample_posts: list[Post]) -> None:
        response = client.get("/api/posts?per_page=500")

        assert response.get_json()["per_page"] == 100

    @pytest.mark.parametrize("query", ["page=0", "page=abc"])
    def test_invalid_page_arguments_return_400(
        self, client: FlaskClient, sample_posts: list[Post], query: str
    ) -> None:
        response = client.get(f"/api/posts?{query}")

        assert response.status_code == 400

    def test_responses_are_json(self, client: FlaskClient, sample_posts: list[Post]) -> None:
        response = client.get("/api/posts")

        assert response.content_type == "application/json"


class TestPostOwnership:
    """Only the author or an administrator may change a post."""

    def test_put_on_another_users_post_returns_403_and_changes_nothing(
        self, client: FlaskClient, auth_headers: dict, others_post: Post
    ) -> None:
        response = client.put(f"/api/posts/{others_post.id}", json={"title": "Hacked"}, headers=auth_headers)

        assert response.status_code == 403
        assert Post.query.filter_by(id=others_post.id).one().title == "Someone else's post"

    def test_delete_on_another_users_post_returns_403_and_keeps_it(
        self, client: FlaskClient, auth_headers: dict, others_post: Post
    ) -> None:
        response = client.delete(f"/api/posts/{others_post.id}", headers=auth_headers)

        assert response.status_code == 403
        assert Post.query.filter_by(id=others_post.id).count() == 1

    def test_admin_can_update_any_post(
        self, client: FlaskClient, admin_headers: dict, others_post: Post
    ) -> None:
        response = client.put(
            f"/api/posts/{others_post.id}", json={"title": "Moderated"}, headers=admin_headers
        )

        assert response.status_code == 200
        assert response.get_json()["title"] == "Moderated"

    def test_admin_can_delete_any_post(
        self, client: FlaskClient, admin_headers: dict, others_post: Post, db
    ) -> None:
        post_id = others_post.id

        response = client.delete(f"/api/posts/{post_id}", headers=admin_headers)

        assert response.status_code == 204
        assert db.session.get(Post, post_id) is None


class TestDraftPosts:
    """Drafts stay out of the public API."""

    def test_drafts_are_not_listed(
        self, client: FlaskClient, sample_posts: list[Post], draft_post: Post
    ) -> None:
        response = client.get("/api/posts")

        titles = [item["title"] for item in response.get_json()["items"]]
        assert "Secret draft" not in titles
        assert response.get_json()["total"] == 5

    def test_get_draft_returns_404(self, client: FlaskClient, draft_post: Post) -> None:
        response = client.get(f"/api/posts/{draft_post.id}")

        assert response.status_code == 404
