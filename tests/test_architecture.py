"""The package's layout is its architecture (docs/ARCHITECTURE.md): layers import only the
layers above them, no module imports another in a circle, modules stay small."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rcsgraph"

#: The layers, top first: a module may import its own layer and the layers before it.
LAYERS = ("core", "store", "graph", "sparql", "queries", "publish", "web", "cli")
#: Modules that may be at the top level of the package (cross-cutting ones).
CORE = {"config", "errors", "layout", "namespaces", "resources"}
LONGEST_MODULE = 320


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """The rcsgraph modules ``module`` imports, anywhere in it (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {r for n in names if n.startswith("rcsgraph") and (r := _resolve(n))}
    found.discard(module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "core"


def test_no_module_imports_a_later_layer() -> None:
    upward = [
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if module != "rcsgraph" and LAYERS.index(_layer(target)) > LAYERS.index(_layer(module))
    ]
    assert upward == []


def test_pages_render_only() -> None:
    """HTML pages take values and give HTML: no view, endpoint or store behind them."""
    pages = [m for m in GRAPH if m.startswith("rcsgraph.web.pages")]
    reached = {(m, t) for m in pages for t in GRAPH[m]}
    assert {
        (m, t)
        for m, t in reached
        if t.startswith(("rcsgraph.web.views", "rcsgraph.sparql", "rcsgraph.store"))
    } == set()


def test_no_import_circle() -> None:
    """No module reaches itself through the imports of the modules it imports."""
    circles = []
    for start in GRAPH:
        seen, stack = set(), list(GRAPH[start])
        while stack:
            current = stack.pop()
            if current == start:
                circles.append(start)
                break
            if current not in seen:
                seen.add(current)
                stack.extend(GRAPH.get(current, ()))
    assert circles == []


def test_few_modules_at_the_top_level() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert top == CORE


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= LONGEST_MODULE, f"{module} has {lines} lines: split it by idea"


@pytest.mark.parametrize(
    "package", sorted(m for m, p in MODULES.items() if p.name == "__init__.py")
)
def test_each_subpackage_says_what_it_is(package: str) -> None:
    tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert len(doc.split()) >= 15, f"{package} needs a docstring saying what it holds"
    if package not in ("rcsgraph", "rcsgraph.cli"):
        assert "import" in doc, f"{package}'s docstring should say what it may import"
