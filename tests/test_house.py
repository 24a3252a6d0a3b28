"""The house rules a new contributor relies on: no import circles, no module named like a build folder."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "dateline"

# Folders that build backends, linters and indexers write or skip by default.
OUTPUT_LIKE = {"build", "dist", "out", "output", "target", "site", "tmp", "_build"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its body (lazy imports included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # "from pkg import mod" imports the module pkg.mod; "from pkg import name" only pkg.
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in ``graph`` as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    graph = {name: imports_of(name, path, known) for name, path in mods.items()}
    # A package's own __init__ is imported before any of its modules: an edge from a module up to
    # an ancestor package is a circle only when that package's __init__ imports the module back,
    # which the graph already records. Implicit parent imports are therefore not edges.
    return graph


def test_the_cycle_finder_finds_a_circle_and_passes_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_imports_of_resolves_relative_and_lazy_imports(tmp_path):
    (tmp_path / "m.py").write_text(
        "from .. import x\nfrom ..pkg import mod\nimport dateline.other\ndef f():\n    from .sib import g\n",
        encoding="utf-8",
    )
    known = {"dateline", "dateline.x", "dateline.pkg", "dateline.pkg.mod", "dateline.other", "dateline.sub.sib"}
    assert imports_of("dateline.sub.m", tmp_path / "m.py", known) == {
        "dateline.x",
        "dateline.pkg.mod",
        "dateline.other",
        "dateline.sub.sib",
    }


def test_no_import_circle_in_the_package():
    graph = import_graph()
    assert len(graph) > 30, "the package's modules were not found"
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_named_like_a_build_or_output_folder(name):
    assert not set(name.split(".")) & OUTPUT_LIKE, f"{name}: linters and indexers skip folders named like this"
