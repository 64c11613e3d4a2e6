"""Mark every test ``live_commit`` (real commits, tables emptied after): ``-p bench.live_commit``."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.live_commit)
