"""Reading pages of posts, shared by the HTML pages and the JSON API."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, request
from sqlalchemy import Select, func, select

from webapp.extensions import db
from webapp.models import Post
from webapp.pagination import PaginationError, page_envelope, parse_page_args


def newest_first_page(query: Select[tuple[Post]], max_per_page: int) -> tuple[list[Post], dict[str, Any]]:
    """The page of ``query`` that ``?page=&per_page=`` asks for, newest first, and its envelope.

    Bad page arguments are a 400 that says what is wrong. The envelope's ``items`` is left empty
    for the caller to fill in its own representation.
    """
    try:
        page = parse_page_args(request.args, current_app.config["POSTS_PER_PAGE"], max_per_page)
    except PaginationError as exc:
        abort(400, str(exc))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    posts = db.session.scalars(
        query.order_by(Post.created_at.desc(), Post.id.desc()).offset(page.offset).limit(page.per_page)
    ).all()
    return list(posts), page_envelope([], total, page)
