"""The layout rules, checked on the source: no import cycles, pure packages stay pure.

Every import counts, also the ones inside functions and under
``TYPE_CHECKING``: a cycle hidden in a function is still a cycle in the
design (two modules that cannot be understood apart).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("parsers", "publishing", "bots", "jobs", "localwiki")
PURE = ("parsers", "publishing")  # no wiki, no database, no pywikibot


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules ``path`` imports anywhere in it."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        # A package's __init__ importing its own submodules is not a cycle of design.
        graph[name] = {m for m in _imports(path, modules) if m != name and not m.startswith(name + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_among_project_modules() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_pure_packages_import_no_io() -> None:
    graph = _graph()
    for name, deps in graph.items():
        if name.split(".")[0] in PURE:
            io = {d for d in deps if d.split(".")[0] in ("jobs", "localwiki")
                  or d in ("bots.site", "bots.changes", "bots.history", "bots.writer", "bots.metrics")}
            assert not io, f"{name} imports {sorted(io)}"
            source = _modules()[name].read_text(encoding="utf-8")
            assert "import pywikibot" not in source and "sqlalchemy" not in source, name


def test_bots_keeps_only_wiki_io() -> None:
    left = sorted(p.stem for p in (ROOT / "bots").glob("*.py"))
    assert left == ["__init__", "changes", "errors", "history", "metrics", "site", "writer"]
    assert not (ROOT / "bots" / "localwiki").exists()
