"""Posts over JSON: paginated list, read, create, update, delete."""

from __future__ import annotations

from flask import abort, current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_jwt_extended import current_user, jwt_required
from sqlalchemy import select

from webapp.api import bp
from webapp.api.helpers import json_body, text_field
from webapp.extensions import db
from webapp.models import Post
from webapp.posts.queries import newest_first_page

TITLE_MAX = 200


def _published_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not post.is_published:
        abort(404, f"Post {post_id} does not exist.")
    return post


def _changeable(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404, f"Post {post_id} does not exist.")
    if not post.can_be_changed_by(current_user):
        abort(403, "Only the author or an administrator may change this post.")
    return post


def _validated(data: dict, *, partial: bool) -> dict:
    """Title, content and is_published from the body; title and content required unless partial."""
    values: dict = {}
    title = text_field(data, "title")
    content = text_field(data, "content") if "content" in data else None
    if title is not None or not partial:
        if not title:
            abort(400, "'title' is required.")
        if len(title) > TITLE_MAX:
            abort(400, f"'title' must be at most {TITLE_MAX} characters.")
        values["title"] = title
    if content is not None or not partial:
        values["content"] = content or ""
    if "is_published" in data:
        if not isinstance(data["is_published"], bool):
            abort(400, "'is_published' must be true or false.")
        values["is_published"] = data["is_published"]
    return values


@bp.get("/posts")
def list_posts() -> ResponseReturnValue:
    """Published posts, newest first: ``items, total, page, per_page, pages, has_next, has_prev``."""
    posts, pager = newest_first_page(select(Post).where(Post.is_published.is_(True)),
                                     current_app.config["API_MAX_PER_PAGE"])
    pager["items"] = [post.to_dict() for post in posts]
    return jsonify(pager)


@bp.get("/posts/<int:post_id>")
def get_post(post_id: int) -> ResponseReturnValue:
    """One published post."""
    return jsonify(_published_or_404(post_id).to_dict())


@bp.post("/posts")
@jwt_required()
def create_post() -> ResponseReturnValue:
    """Create a post for the token's user; unknown fields are ignored."""
    values = _validated(json_body(), partial=False)
    post = Post(author_id=current_user.id, **values)
    db.session.add(post)
    db.session.commit()
    return jsonify(post.to_dict()), 201, {"Location": f"/api/posts/{post.id}"}


@bp.route("/posts/<int:post_id>", methods=["PUT", "PATCH"])
@jwt_required()
def update_post(post_id: int) -> ResponseReturnValue:
    """Change the given fields of a post (author or admin)."""
    post = _changeable(post_id)
    for name, value in _validated(json_body(), partial=True).items():
        setattr(post, name, value)
    db.session.commit()
    return jsonify(post.to_dict())


@bp.delete("/posts/<int:post_id>")
@jwt_required()
def delete_post(post_id: int) -> ResponseReturnValue:
    """Delete a post (author or admin)."""
    db.session.delete(_changeable(post_id))
    db.session.commit()
    return "", 204
