"""``--shard=K/N``: run the K-th of N parts of the suite, balanced by recorded test durations.

Durations come from a JSON file ``{nodeid: seconds}`` (``--shard-durations``, default
``.test_durations`` in the rootdir: pytest-split's file and format, and what ``python -m
flask_harness merge --durations`` writes). Tests are dealt longest first to the shard with the least
time so far (the greedy "longest processing time" rule); a test without a duration counts as the
mean of the known ones. Every process (xdist workers too) computes the same split.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from flask_harness.config.options import DEFAULT_DURATIONS

UNKNOWN_DURATION = 1.0  # seconds, when no test has a recorded duration


def parse_shard(value: str) -> tuple[int, int]:
    """``"2/4"`` → ``(2, 4)``; anything else is a usage error that says the form."""
    try:
        index, total = (int(part) for part in value.split("/"))
    except ValueError:
        raise pytest.UsageError(f"--shard={value!r}: expected K/N, for example --shard=2/4") from None
    if not 1 <= index <= total:
        raise pytest.UsageError(f"--shard={value!r}: K must be between 1 and N")
    return index, total


def load_durations(path: Path) -> dict[str, float]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise pytest.UsageError(f"{path}: not a JSON file of test durations ({exc})") from None
    if isinstance(data, list):  # pytest-split's older format: [[nodeid, seconds], ...]
        data = dict(data)
    return {str(nodeid): float(seconds) for nodeid, seconds in data.items()}


def split(nodeids: Sequence[str], durations: dict[str, float], shards: int) -> list[list[str]]:
    """N lists of node ids, longest test first to the least loaded shard; each keeps collection order."""
    known = [durations[nodeid] for nodeid in nodeids if nodeid in durations]
    default = sum(known) / len(known) if known else UNKNOWN_DURATION
    weight = {nodeid: durations.get(nodeid, default) for nodeid in nodeids}
    loads = [0.0] * shards
    shard_of: dict[str, int] = {}
    for nodeid in sorted(nodeids, key=lambda nodeid: (-weight[nodeid], nodeid)):
        lightest = min(range(shards), key=lambda index: (loads[index], index))
        shard_of[nodeid] = lightest
        loads[lightest] += weight[nodeid]
    parts: list[list[str]] = [[] for _ in range(shards)]
    for nodeid in nodeids:
        parts[shard_of[nodeid]].append(nodeid)
    return parts


def balance(parts: Iterable[Iterable[str]], durations: dict[str, float]) -> float:
    """Slowest shard over the mean shard, by the given durations (1.0 is perfect)."""
    totals = [sum(durations.get(nodeid, 0.0) for nodeid in part) for part in parts]
    mean = sum(totals) / len(totals)
    return max(totals) / mean if mean else 1.0


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--shard"):
        parse_shard(config.getoption("--shard"))  # a typo fails before collection


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep this shard's tests; the others are deselected."""
    value = config.getoption("--shard")
    if not value:
        return
    index, total = parse_shard(value)
    given = config.getoption("--shard-durations")
    path = config.invocation_params.dir / given if given else config.rootpath / DEFAULT_DURATIONS
    if given and not path.is_file():
        raise pytest.UsageError(f"--shard-durations: no file at {path}")
    mine = set(split([item.nodeid for item in items], load_durations(path), total)[index - 1])
    kept = [item for item in items if item.nodeid in mine]
    deselected = [item for item in items if item.nodeid not in mine]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--shard")
    return f"flask-harness: shard {value}, balanced by recorded durations" if value else None
