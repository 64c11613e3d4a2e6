"""Wires the Flask test harness in; fixtures specific to each layer live in that layer's folder."""

pytest_plugins = ["harness.plugin"]
