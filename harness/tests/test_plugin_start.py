"""The plugin's start costs pytest no extra work: its wings are registered without pytest 9 searching
every installed distribution's entry points once per wing (about 10 ms of CPU each here, in every
process and every xdist worker), which a ``pytest_plugins`` list in the plugin module makes it do."""

from __future__ import annotations

import pytest

from flask_harness.plugin import BROWSER_PLUGINS, WING_PLUGINS

# Loaded with -p before the installed plugins: counts the entry-point searches made for one name
# (pytest's own autoload makes one search for every name at once).
COUNTER = """
from _pytest.config import PytestPluginManager

searches = []
_search = PytestPluginManager.load_setuptools_entrypoints


def load_setuptools_entrypoints(self, group, name=None):
    if name is not None:
        searches.append(name)
    return _search(self, group, name)


PytestPluginManager.load_setuptools_entrypoints = load_setuptools_entrypoints


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"entry-point searches by name: {sorted(searches)}")
    names = [name for name, _ in terminalreporter.config.pluginmanager.list_name_plugin()]
    wings = [name for name in names if name.startswith("flask_harness.") and name != "flask_harness.plugin"]
    terminalreporter.write_line(f"registered: {wings}")
"""


@pytest.mark.parametrize(("loading", "searches"), [
    ([], "[]"),
    (["-p", "flask_harness.plugin"], "['flask_harness.plugin']"),  # the one -p asks for, as for any plugin
], ids=["entry point", "-p"])
def test_loading_the_harness_makes_pytest_search_no_entry_points_by_name(
        pytester: pytest.Pytester, loading: list[str], searches: str) -> None:
    pytester.makepyfile(search_counter=COUNTER, test_one="def test_one():\n    pass\n")
    pytester.syspathinsert()

    result = pytester.runpytest_subprocess("-p", "search_counter", *loading)

    result.assert_outcomes(passed=1)
    output = result.stdout.str()
    assert f"entry-point searches by name: {searches}\n" in output
    # every wing registered all the same, in its order (then the browser's, pytest-playwright being loaded)
    registered = [*WING_PLUGINS, *BROWSER_PLUGINS]
    assert f"registered: {str(registered)[:-1]}" in output  # then the plugin objects they register
