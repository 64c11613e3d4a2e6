"""Read-side helpers about users."""

from __future__ import annotations

from typing import Any

from webapp.models import User


def get_user_stats(user_id: int) -> dict[str, Any] | None:
    """Summarise one user's activity, or None when the user does not exist."""
    user = User.query.filter_by(id=user_id).one_or_none()
    if user is None:
        return None
    created = user.created_at
    return {
        "id": user.id,
        "username": user.username,
        "post_count": len(user.posts),
        "member_since": created.isoformat() if hasattr(created, "isoformat") else str(created),
    }
