"""The whole pyramid (unit, integration, e2e), serial and ``-n auto``, side by side.

``python -m bench.pyramid [--postgres] [--quick]``
"""

from __future__ import annotations

import sys
from collections import Counter

from bench.common import POSTGRES_URL, QUICK, line, run_pytest

# --quick: a slice of each layer, enough to prove the bench runs.
QUICK_SLICE = ["unit", "integration/test_pages.py", "e2e/test_navigation.py"]


def layer_counts(phases: dict[str, dict[str, float]]) -> Counter[str]:
    return Counter(nodeid.split("/", 1)[0] for nodeid, p in phases.items() if "call" in p)


def main() -> None:
    env = {"DATABASE_URL": POSTGRES_URL if "--postgres" in sys.argv else ""}
    label = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    paths = QUICK_SLICE if QUICK else []
    serial = run_pytest(paths, env)
    parallel = run_pytest([*paths, "-n", "auto"], env)
    counts = layer_counts(serial.phases)
    print(f"Whole suite on {label}: " + ", ".join(f"{n} {layer}" for layer, n in sorted(counts.items())))
    line("serial wall time", f"{serial.wall:7.1f} s  (exit {serial.exit_code})")
    line("-n auto wall time", f"{parallel.wall:7.1f} s  (exit {parallel.exit_code})")
    line("speed-up serial / -n auto (goal: not slower, >= 1.0x)", f"{serial.wall / parallel.wall:7.2f}x")


if __name__ == "__main__":
    main()
