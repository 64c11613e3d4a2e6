"""Posts through the HTML pages: create, read, update, delete, drafts, pagination and profiles."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factories import DEFAULT_PASSWORD, PostFactory, UserFactory
from webapp.models import Post, User

pytestmark = pytest.mark.integration

POST_LINK = re.compile(r'href="/posts/(\d+)"')


def linked_post_ids(html: str) -> list[int]:
    """Ids of the posts a page links to."""
    return [int(post_id) for post_id in POST_LINK.findall(html)]


@pytest.fixture
def log_in(app: Flask, db) -> Callable[[str, str], FlaskClient]:
    """Open another test client, logged in with the given credentials through the login form."""

    def _log_in(username: str, password: str = DEFAULT_PASSWORD) -> FlaskClient:
        other_client = app.test_client()
        response = other_client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"logging in {username} failed"
        return other_client

    return _log_in


@pytest.fixture
def others_post(db) -> Post:
    """A published post by a user other than sample_user."""
    return PostFactory(author=UserFactory(username="someone_else"), title="Someone else's post")


@pytest.fixture
def user_with_published_posts(db, sample_user: User) -> tuple[User, list[Post]]:
    """The seed's composed fixture: sample_user with three published posts."""
    posts = [
        PostFactory(author=sample_user, title=f"Published {n}", content=f"Content {n}", is_published=True)
        for n in range(3)
    ]
    return sample_user, posts


class TestPostCRUD:
    """The seed's TestPostCRUD, one to one."""

    def test_create_post_stores_it_with_its_author(self, auth_client: FlaskClient, sample_user: User) -> None:
        response = auth_client.post(
            "/posts/new",
            data={"title": "My New Post", "content": "This is the post content."},
            follow_redirects=True,
        )

        assert response.status_code == 200
        post = Post.query.filter_by(title="My New Post").one_or_none()
        assert post is not None
        assert post.author_id == sample_user.id

    def test_read_post_shows_its_title(self, client: FlaskClient, sample_posts: list[Post]) -> None:
        post = sample_posts[0]

        response = client.get(f"/posts/{post.id}")

        assert response.status_code == 200
        assert post.title in response.get_data(as_text=True)

    def test_read_nonexistent_post_returns_404(self, client: FlaskClient) -> None:
        response = client.get("/posts/99999")

        assert response.status_code == 404

    def test_update_post_changes_title_and_content(
        self, auth_client: FlaskClient, sample_posts: list[Post], db
    ) -> None:
        post = sample_posts[0]

        response = auth_client.post(
            f"/posts/{post.id}/edit",
            data={"title": "Updated Title", "content": "Updated content."},
            follow_redirects=True,
        )

        assert response.status_code == 200
        updated = db.session.get(Post, post.id)
        assert updated.title == "Updated Title"
        assert updated.content == "Updated content."

    def test_cannot_update_others_post(self, auth_client: FlaskClient, admin_user: User) -> None:
        post = PostFactory(author=admin_user, title="Admin Post", content="Admin content")

        response = auth_client.post(
            f"/posts/{post.id}/edit", data={"title": "Hacked Title", "content": "Hacked content."}
        )

        assert response.status_code == 403
        assert Post.query.filter_by(id=post.id).one().title == "Admin Post"

    def test_delete_post_removes_it(self, auth_client: FlaskClient, sample_posts: list[Post], db) -> None:
        post_id = sample_posts[0].id

        response = auth_client.post(f"/posts/{post_id}/delete", follow_redirects=True)

        assert response.status_code == 200
        assert db.session.get(Post, post_id) is None

    def test_list_posts_shows_every_sample_post(self, client: FlaskClient, sample_posts: list[Post]) -> None:
        response = client.get("/posts")

        assert response.status_code == 200
        html = response.get_data(as_text=True)
        missing = [post.title for post in sample_posts if post.title not in html]
        assert missing == []


class TestChangingPosts:
    """Confirmation, edit links and permissions around changing a post."""

    def test_get_delete_shows_confirmation_and_keeps_post(
        self, auth_client: FlaskClient, sample_posts: list[Post]
    ) -> None:
        post = sample_posts[0]

        response = auth_client.get(f"/posts/{post.id}/delete")

        assert response.status_code == 200
        assert f"Delete “{post.title}”?" in response.get_data(as_text=True)
        assert Post.query.filter_by(id=post.id).count() == 1

    @pytest.mark.parametrize(
        ("whose", "shows_edit_link"), [("own", True), ("someone else's", False)], ids=["author", "non-author"]
    )
    def test_edit_link_is_shown_to_the_author_only(
        self,
        auth_client: FlaskClient,
        sample_user: User,
        others_post: Post,
        whose: str,
        shows_edit_link: bool,
    ) -> None:
        post = PostFactory(author=sample_user) if whose == "own" else others_post

        response = auth_client.get(f"/posts/{post.id}")

        assert ("Edit post" in response.get_data(as_text=True)) is shows_edit_link

    def test_admin_can_edit_anyones_post(
        self, admin_client: FlaskClient, sample_posts: list[Post], db
    ) -> None:
        post = sample_posts[0]

        response = admin_client.post(
            f"/posts/{post.id}/edit", data={"title": "Moderated", "content": "Cleaned up."}
        )

        assert response.status_code == 302
        assert db.session.get(Post, post.id).title == "Moderated"

    def test_create_without_title_returns_400_and_stores_nothing(self, auth_client: FlaskClient) -> None:
        response = auth_client.post("/posts/new", data={"title": "", "content": "No title here."})

        assert response.status_code == 400
        assert "Title is required." in response.get_data(as_text=True)
        assert Post.query.filter_by(content="No title here.").count() == 0


class TestDrafts:
    """A draft is visible to its author and administrators only."""

    def test_draft_checkbox_saves_an_unpublished_post(self, auth_client: FlaskClient) -> None:
        auth_client.post("/posts/new", data={"title": "Work in progress", "content": "Later.", "draft": "y"})

        assert Post.query.filter_by(title="Work in progress").one().is_published is False

    @pytest.mark.parametrize(
        ("viewer", "expected_status"),
        [("author", 200), ("admin", 200), ("stranger", 404), ("anonymous", 404)],
    )
    def test_draft_page_is_visible_to_author_and_admin_only(
        self,
        app: Flask,
        log_in: Callable[..., FlaskClient],
        sample_user: User,
        admin_user: User,
        viewer: str,
        expected_status: int,
    ) -> None:
        UserFactory(username="stranger")
        draft = PostFactory(author=sample_user, title="Work in progress", is_published=False)
        credentials = {"author": ("testuser",), "admin": ("admin", "admin123"), "stranger": ("stranger",)}
        viewer_client = app.test_client() if viewer == "anonymous" else log_in(*credentials[viewer])

        response = viewer_client.get(f"/posts/{draft.id}")

        assert response.status_code == expected_status


class TestPostsPagination:
    """/posts shows ten posts a page."""

    @pytest.fixture
    def twelve_posts(self, db) -> list[Post]:
        """Twelve published posts by one author."""
        return PostFactory.create_batch(12, author=UserFactory())

    @pytest.mark.parametrize(("page", "expected_count"), [(1, 10), (2, 2)])
    def test_page_shows_its_share_of_posts(
        self, client: FlaskClient, twelve_posts: list[Post], page: int, expected_count: int
    ) -> None:
        response = client.get(f"/posts?page={page}")

        assert response.status_code == 200
        assert len(linked_post_ids(response.get_data(as_text=True))) == expected_count

    def test_non_numeric_page_returns_400(self, client: FlaskClient) -> None:
        response = client.get("/posts?page=abc")

        assert response.status_code == 400


class TestPublicProfile:
    """The seed's user_with_published_posts example."""

    def test_user_public_profile_lists_published_posts(
        self, client: FlaskClient, user_with_published_posts: tuple[User, list[Post]]
    ) -> None:
        user, posts = user_with_published_posts

        response = client.get(f"/users/{user.username}")

        assert response.status_code == 200
        html = response.get_data(as_text=True)
        missing = [post.title for post in posts if post.title not in html]
        assert missing == []
