"""Benchmarks: each script prints ratios measured side by side in one run (``python -m bench.NAME``)."""
