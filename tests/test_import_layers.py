"""The layers of the package, read from the source with `ast`: no module imports another's private name, and the
module import graph of src/counterpitch has no cycle.

Every import counts: at the top of a module, inside a function, under `if TYPE_CHECKING:`. A circle that only
type checkers or a late import walk is still a circle in the design (issue 17, item 10).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "counterpitch"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        if "migrations" in path.relative_to(SRC).parts:  # alembic's scripts, loaded by file, never imported
            continue
        found[_module_name(path)] = (path, ast.parse(path.read_text("utf-8"), str(path)))
    return found


MODULES = _modules()

#: Packages whose modules share private names among themselves, and only among themselves (known, to be
#: renamed): the exposure detectors split one module into several and kept its private names.
SHARES_PRIVATE_NAMES_WITHIN = ("counterpitch.detectors.exposure",)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> Iterator[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import of `module` inside the package."""
    path, tree = MODULES[module]
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node, is_package)
            if target.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:  # `from package import module`
                    yield submodule, None, node.lineno
                else:
                    yield target, alias.name, node.lineno


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for module in MODULES:
        for target, _, _ in _imports(module):
            # A module of a package loads its package first, but that is Python's doing, not an edge of the
            # design; a package's __init__ importing its own modules is.
            if target != module and target in MODULES and not module.startswith(target + "."):
                graph.add_edge(module, target)
    return graph


def test_the_source_is_found() -> None:
    assert {"counterpitch.engine", "counterpitch.cli", "counterpitch.cli.common"} <= set(MODULES)


def test_no_module_imports_a_private_name_of_another() -> None:
    found = [
        f"{MODULES[module][0].relative_to(SRC)}:{line}: {name} from {target}"
        for module in MODULES
        for target, name, line in _imports(module)
        if name is not None
        and name.startswith("_")
        and not name.startswith("__")
        and target != module
        and not any(module.startswith(p + ".") and target.startswith(p + ".") for p in SHARES_PRIVATE_NAMES_WITHIN)
    ]
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def test_the_module_graph_has_no_cycle() -> None:
    cycles = [" -> ".join([*c, c[0]]) for c in nx.simple_cycles(_graph(), length_bound=8)]
    assert not cycles, f"{len(cycles)} import cycle(s):\n" + "\n".join(sorted(cycles)[:40])


def test_the_named_pairs_do_not_import_each_other() -> None:
    """The circles issue 17 named, checked by name so that a change to the cycle search cannot hide them."""
    graph = _graph()
    pairs = [
        ("counterpitch.detectors.base", "counterpitch.detectors.context"),
        ("counterpitch.detectors.context", "counterpitch.detectors.phrases"),
        ("counterpitch.detectors.base", "counterpitch.detectors.phrases"),
        ("counterpitch.campaigns.persist", "counterpitch.campaigns.relink"),
    ]
    for a, b in pairs:
        assert not (graph.has_edge(a, b) and graph.has_edge(b, a)), f"{a} and {b} import each other"
        assert not (nx.has_path(graph, a, b) and nx.has_path(graph, b, a)), f"{a} and {b} are on one cycle"
