"""Run every collected test ``BENCH_REPEAT`` times (a scaled-up layer): ``-p bench.repeat``."""

from __future__ import annotations

import os

import pytest


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    count = int(os.environ.get("BENCH_REPEAT", "1"))
    if count > 1:
        metafunc.fixturenames.append("_bench_copy")
        metafunc.parametrize("_bench_copy", range(count), ids=lambda n: f"copy{n}")


@pytest.fixture
def _bench_copy(request: pytest.FixtureRequest) -> int:
    return request.param
