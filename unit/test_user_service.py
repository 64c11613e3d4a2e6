"""webapp.services.user_service.get_user_stats with the User query mocked (no database)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from unittest.mock import MagicMock, patch

import pytest

from webapp.services.user_service import get_user_stats

pytestmark = pytest.mark.unit


@pytest.fixture
def mock_user_model() -> Iterator[MagicMock]:
    with patch("webapp.services.user_service.User") as model:
        yield model


def make_user(created_at: object = "2024-01-01") -> MagicMock:
    user = MagicMock()
    user.id = 1
    user.username = "alice"
    user.posts = [MagicMock(), MagicMock(), MagicMock()]
    user.created_at = created_at
    return user


def test_stats_summarise_username_and_post_count(mock_user_model: MagicMock) -> None:
    mock_user_model.query.filter_by.return_value.one_or_none.return_value = make_user()

    stats = get_user_stats(1)

    assert stats == {"id": 1, "username": "alice", "post_count": 3, "member_since": "2024-01-01"}


def test_stats_look_the_user_up_by_id(mock_user_model: MagicMock) -> None:
    mock_user_model.query.filter_by.return_value.one_or_none.return_value = make_user()

    get_user_stats(1)

    mock_user_model.query.filter_by.assert_called_once_with(id=1)


def test_stats_for_unknown_user_are_none(mock_user_model: MagicMock) -> None:
    mock_user_model.query.filter_by.return_value.one_or_none.return_value = None

    assert get_user_stats(404) is None


def test_member_since_is_iso_formatted_datetime(mock_user_model: MagicMock) -> None:
    user = make_user(created_at=datetime(2024, 1, 1, 9, 30))
    mock_user_model.query.filter_by.return_value.one_or_none.return_value = user

    stats = get_user_stats(1)

    assert stats["member_since"] == "2024-01-01T09:30:00"
