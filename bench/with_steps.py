"""Three steps around every test (two nested), for ``python -m bench.report``: ``-p bench.with_steps``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask_harness import step


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with step("arrange"):
        pass
    with step("act and assert"), step("the test body"):
        return (yield)
