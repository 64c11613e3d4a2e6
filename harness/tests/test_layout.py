"""The package's layout holds: wings import only wings below them, no import circle, short modules.

The import graph is read from the source with ``ast``, imports inside functions and under
``TYPE_CHECKING`` included: an import hidden in a function is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import flask_harness

PACKAGE = Path(flask_harness.__file__).parent
MAX_LINES = 400
# Bottom to top: a module may import its own wing and the wings before it, never one after it.
# ``assertions``, ``routes``, ``compat``, ``mail`` and ``clock`` are side by side at the top; the root
# modules (the public API, the CLI, the plugin that registers the wings) may import any wing.
LAYERS = [{"hookspecs"}, {"config"}, {"run"}, {"db"}, {"app"}, {"live"}, {"browser"},
          {"assertions", "routes", "compat", "mail", "clock"}]
ROOT_MODULES = {"__init__", "__main__", "plugin"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """The flask_harness modules a file imports, wherever the import statement is."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import: from the package, up node.level - 1 folders
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {target for target in imports_of(path) if target in modules and target != name}
            for name, path in modules.items()}


def wing(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank(module: str) -> int | None:
    name = wing(module)
    return next((index for index, layer in enumerate(LAYERS) if name in layer), None)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each once (depth-first search for back edges)."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if target in {"flask_harness"}:  # the package itself: its __init__ imports lazily
                continue
            if state.get(target) == "open":
                found.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_the_import_graph_is_read_with_imports_inside_functions() -> None:
    edges = graph()

    assert "flask_harness.run.trace_policy" in edges["flask_harness.browser.fixtures"]
    assert "flask_harness.app.loading" in edges["flask_harness.app.fixtures"]


def test_no_import_circle() -> None:
    assert circles(graph()) == []


def test_a_circle_is_found() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_every_module_is_in_a_wing_or_at_the_root() -> None:
    for module in graph():
        if module == "flask_harness":
            continue
        assert rank(module) is not None or module.rpartition(".")[2] in ROOT_MODULES, module


def test_no_wing_imports_a_wing_above_it() -> None:
    upward = [f"{source} imports {target}" for source, targets in graph().items() for target in targets
              if rank(source) is not None and rank(target) is not None and rank(target) > rank(source)]  # type: ignore[operator]

    assert upward == []


def test_wings_beside_each_other_do_not_import_each_other() -> None:
    sideways = [f"{source} imports {target}" for source, targets in graph().items() for target in targets
                if rank(source) is not None and rank(source) == rank(target) and wing(source) != wing(target)]

    assert sideways == []


def test_no_module_is_over_the_limit() -> None:
    long = {module_name(path): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}

    assert long == {}


PUBLIC_API = {  # every name ``flask_harness`` exported before the move into wings, and the mail's since
    "AuthorizationMatrix", "Clock", "ExpectAccessible", "ExpectAriaSnapshot", "ExpectScreenshot", "FrozenClock",
    "HarnessSettings", "HostileSweep", "LiveServer", "LiveServerError", "LiveTest", "LoginAs", "MailOutbox",
    "MatrixResult", "PageAs", "SentMail",
    "PlaywrightSettings", "ServerError", "SharedConnection", "SweepResult", "__version__", "build_app",
    "build_schema", "database_backend", "factory_from_setting", "load_playwright_settings", "step",
}


def test_the_public_api_is_kept_and_every_name_imports() -> None:
    assert set(flask_harness.__all__) == PUBLIC_API
    for name in flask_harness.__all__:
        assert getattr(flask_harness, name) is not None, name


def test_type_checkers_see_the_names_the_table_lists() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    typed = {(node.module, alias.name, alias.asname or alias.name)
             for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names}

    assert {(module, attribute, name) for name, (module, attribute) in flask_harness._WHERE.items()} == typed
