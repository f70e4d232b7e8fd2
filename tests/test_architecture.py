"""The package's shape: one sub-package per stage, imports that run one way, no circles, no private names.

Every `import` and `from … import` in `src/essay_kg` is read, at the top of a file or inside a
function (a local import may only buy start-up speed, never hide a cycle), including those under
``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "essay_kg"

# The stages in the order data flows through them; a module may import its own stage and those before it.
STAGES = ["core", "text", "extract", "rdf", "query", "store", "trust", "link", "corpus", "pictures", "cli"]
CORE = {"essay_kg", "essay_kg.errors", "essay_kg.model", "essay_kg.vocabulary", "essay_kg.namespace", "essay_kg.public",
        "essay_kg.shipped", "essay_kg.files"}


def module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


MODULES = module_names()


def stage(module: str) -> str:
    if module in CORE:
        return "core"
    if module == "essay_kg.__main__":
        return "cli"
    return module.split(".")[1]


def imports(module: str) -> list[tuple[str, str, int]]:
    """(imported module, imported name or "", line) for every import of essay_kg in `module`."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names if alias.name.startswith("essay_kg")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            if not base.startswith("essay_kg"):
                continue
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:  # `from package import submodule`
                    found.append((f"{base}.{alias.name}", "", node.lineno))
                else:
                    found.append((base, alias.name, node.lineno))
    return found


def edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, _, _ in imports(module):
            if target in MODULES and target != module and not module.startswith(target + "."):
                graph[module].add(target)  # a package's own __init__ runs first anyway: not an edge
    return graph


def test_every_module_belongs_to_a_known_stage() -> None:
    unknown = sorted(m for m in MODULES if stage(m) not in STAGES)
    assert not unknown, f"modules outside every stage: {unknown}"


def test_no_import_runs_back_up_the_stage_order() -> None:
    backwards = []
    for module in MODULES:
        for target, name, line in imports(module):
            if target in MODULES and STAGES.index(stage(target)) > STAGES.index(stage(module)):
                backwards.append(f"{MODULES[module].relative_to(SRC)}:{line} imports {target} {name}".rstrip())
    assert not backwards, "imports of a later stage:\n" + "\n".join(backwards)


def test_the_import_graph_has_no_cycle() -> None:
    graph = edges()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_imports_another_modules_private_name() -> None:
    private = [f"{MODULES[m].relative_to(SRC)}:{line} imports {name} from {target}"
               for m in MODULES for target, name, line in imports(m) if name.startswith("_") and name != "__version__"]
    assert not private, "\n".join(private)


@pytest.mark.parametrize("package", sorted(m for m in MODULES if MODULES[m].name == "__init__.py" and m != "essay_kg"))
def test_each_stage_package_says_what_it_does_and_what_it_offers(package: str) -> None:
    tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and not doc.startswith("TODO"), f"{package}: no docstring"
    exported = [node for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)]
    assert exported, f"{package}: no __all__"
    import importlib

    loaded = importlib.import_module(package)
    missing = [name for name in loaded.__all__ if getattr(loaded, name, None) is None]
    assert not missing, f"{package}.__all__ names what it does not offer: {missing}"
    shadowed = [name for name in loaded.__all__ if f"{package}.{name}" in MODULES]
    assert not shadowed, f"{package}.__all__ names a function after one of its modules (the module wins): {shadowed}"


def test_modules_and_functions_stay_small() -> None:
    long_modules = [f"{p.relative_to(SRC)} ({n} lines)" for p in MODULES.values()
                    if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    long_functions = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80:
                    long_functions.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({length} lines)")
    assert not long_modules and not long_functions, "\n".join(long_modules + long_functions)


def test_no_essay_is_named_in_the_code_outside_the_shipped_data_module() -> None:
    named = [f"{p.relative_to(SRC)}:{i}" for m, p in MODULES.items() if m != "essay_kg.shipped"
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if "kozyrev" in line.lower() and not line.lstrip().startswith(("#", "Example", "\"\"\""))]
    assert not named, "the embedded essay is named in:\n" + "\n".join(named)
