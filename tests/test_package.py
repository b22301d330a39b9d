"""The package is laid out by capability: ruff clean, layered, no import cycle, small modules.

The layers and what each may import are drawn in ``src/peaceops/README.md``; these tests
read every import statement of the package (top-level and inside functions alike) and
fail when a lower layer reaches a higher one, when any cycle of modules appears, or when
a module outgrows 600 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "src" / "peaceops"
#: The capability folders, lowest first; a folder may import only from its own layer or
#: below, and never from a folder of the same layer but another capability.
LAYERS: dict[str, int] = {
    "course": 0,
    "data": 1,
    "bank": 2,
    "exercises": 3,
    "grading": 3,
    "lms": 3,
    "book": 4,
    "cli": 5,
}
MAX_LINES = 600


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """``peaceops.grading.items`` for ``src/peaceops/grading/items.py``."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: Path = PACKAGE) -> set[str]:
    """The peaceops modules that ``path`` imports, anywhere in the file."""
    own = module_name(path, package)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("peaceops")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = own.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("peaceops"):
                continue
            found.add(target)
            # ``from peaceops.grading import items`` imports the module peaceops.grading.items
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (only names that are modules)."""
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        # importing a.b.c runs a/__init__ and a/b/__init__ too, except the packages that
        # hold the importing module: those are being imported already
        own = {".".join(name.split(".")[:i]) for i in range(1, len(name.split(".")) + 1)}
        targets = {t for t in imports_of(path, package) if t in files}
        parents = {".".join(t.split(".")[:i]) for t in targets for i in range(2, len(t.split(".")))}
        graph[name] = {t for t in targets | parents if t in files and t not in own}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), as sorted lists."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def capability(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Each import that goes up a layer or sideways into another capability."""
    found = []
    for module, targets in sorted(graph.items()):
        mine = capability(module)
        for target in sorted(targets):
            if any(other.startswith(target + ".") for other in targets):
                continue  # a package's __init__: report the module imported from it
            theirs = capability(target)
            if mine is None or theirs is None or mine == theirs:
                continue
            if LAYERS[theirs] >= LAYERS[mine]:
                found.append(f"{module} (layer {LAYERS[mine]}) imports {target} "
                             f"(layer {LAYERS[theirs]})")  # fmt: skip
    return found


def test_every_module_belongs_to_a_capability_folder() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert loose == [], f"put these modules in a capability folder of {sorted(LAYERS)}"
    assert folders == sorted(LAYERS), "a new capability folder needs its layer in LAYERS"


def test_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles (break them by moving code down a layer):\n" + "\n".join(
        " -> ".join(group) for group in found
    )


def test_lower_layers_never_import_higher_ones() -> None:
    assert layer_violations(import_graph()) == []


def test_no_module_over_600_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (at most {MAX_LINES} lines each)"


def write_package(folder: Path, files: dict[str, str]) -> Path:
    package = folder / "peaceops"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return package


def test_a_new_cycle_through_a_function_level_import_is_caught(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {
            "bank/questions.py": "from peaceops.course import toc\n",
            "course/toc.py": "def f():\n    from peaceops.grading import items\n",
            "grading/items.py": "from peaceops.bank.questions import X\n",
        },
    )
    graph = import_graph(package)
    assert cycles(graph) == [
        ["peaceops.bank.questions", "peaceops.course.toc", "peaceops.grading.items"]
    ]
    assert layer_violations(graph) == [
        "peaceops.course.toc (layer 0) imports peaceops.grading.items (layer 3)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from . import toc\n", {"peaceops.course", "peaceops.course.toc"}),
        ("from .toc import find_root\n", {"peaceops.course.toc", "peaceops.course.toc.find_root"}),
        ("import peaceops.data.tables\n", {"peaceops.data.tables"}),
        ("import json\nfrom pathlib import Path\n", set()),
    ],
)
def test_imports_are_read_in_every_form(tmp_path: Path, text: str, expected: set[str]) -> None:
    package = write_package(tmp_path, {"course/pages.py": text})
    assert imports_of(package / "course" / "pages.py", package) == expected


def test_sideways_imports_between_capabilities_of_one_layer_are_refused(tmp_path: Path) -> None:
    package = write_package(
        tmp_path,
        {"exercises/web.py": "from peaceops.grading import items\n", "grading/items.py": ""},
    )
    assert layer_violations(import_graph(package)) == [
        "peaceops.exercises.web (layer 3) imports peaceops.grading.items (layer 3)"
    ]
