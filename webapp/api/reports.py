"""Reports: the year in numbers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from webapp.api import bp
from webapp.errors import error_response
from webapp.extensions import db
from webapp.models import Post, User

YEAR_ERROR = "'year' must be a whole number from 1 to 9999."


@bp.get("/reports/annual")
def annual_report() -> ResponseReturnValue:
    """New users and published posts of ``?year=`` (default: this year, UTC), posts month by month."""
    raw = request.args.get("year", str(datetime.now(UTC).year))
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) >= 1):
        return error_response(400, YEAR_ERROR)
    year = int(raw)
    start = datetime(year, 1, 1)
    end = datetime(year + 1, 1, 1) if year < 9999 else datetime.max

    posted = db.session.scalars(
        select(Post.created_at).where(Post.is_published.is_(True), Post.created_at >= start, Post.created_at < end)
    ).all()
    by_month = [0] * 12
    for created in posted:
        by_month[created.month - 1] += 1
    new_users = db.session.scalar(
        select(func.count(User.id)).where(User.created_at >= start, User.created_at < end)
    )
    return jsonify(year=year, new_users=new_users or 0, posts=len(posted), posts_by_month=by_month)
