"""Every collected test marked ``reset_sequences``, for ``bench.reset_sequences``.

Loaded with ``-p bench.mark_reset_sequences``.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.reset_sequences)
