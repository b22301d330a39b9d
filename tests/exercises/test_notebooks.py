"""The exercise notebooks: generated from the bank, current, offered by the book, and
telling a JupyterLab user what they need and how to install it."""

from __future__ import annotations

import ast
import importlib
import json
import re
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, chapter_pages

from peaceops import bank
from peaceops.course.toc import toc_files
from peaceops.exercises import notebooks


def notebook(stem: str) -> dict:
    return json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_notebooks_are_current() -> None:
    stale = notebooks.stale(ROOT)
    assert not stale, f"stale notebooks (run peaceops notebooks): {stale}"


def test_every_chapter_has_a_notebook_that_the_book_offers_for_download() -> None:
    """The notebooks are for JupyterLab: not pages of the book, but offered by it."""
    toc = set(toc_files(ROOT))
    offered = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "book").rglob("*.md"))
    for page in chapter_pages():
        stem = page.path.stem
        assert (ROOT / "notebooks" / f"{stem}.ipynb").is_file(), f"{stem}: no notebook"
        assert f"notebooks/{stem}" not in toc, f"notebooks/{stem} is still a page of the book"
        assert f"/notebooks/{stem}.ipynb" in offered, f"{stem}: no page offers its notebook"


def test_a_notebook_opens_with_what_it_practises_and_asks_every_question() -> None:
    questions = bank.by_chapter(bank.load_bank())["book/frameworks/framework"]
    nb = notebook("framework")
    intro = source(nb["cells"][0])
    assert intro.startswith("# Exercises: Framework of Military Alliances")
    assert "../book/frameworks/framework.md" in intro and "learning objectives" in intro
    asked = [c for c in nb["cells"] if source(c).startswith("exercises[")]
    assert len(asked) == len(questions)
    assert all(c["metadata"]["tags"] == ["remove-input"] for c in asked)
    assert all(c.get("outputs") == [] for c in nb["cells"] if c["cell_type"] == "code")
    ids = [c["id"] for c in nb["cells"]]
    assert len(set(ids)) == len(ids), "cell ids must be unique (nbformat 4.5)"


def test_notebook_text_holds_no_myst_markup_and_its_links_open() -> None:
    """Jupyter does not read MyST roles: an objective's {doc} reference is a Markdown link
    to a file that exists, a citation is dropped, and no role is left as raw markup."""
    links = 0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = source(cell)
            assert not re.search(r"\{[a-z:-]+\}`", text), f"{path.name}: MyST role in {text!r}"
            for href in re.findall(r"\]\((\.\./[^)]+)\)", text):
                links += 1
                assert (path.parent / href).resolve().is_file(), f"{path.name}: {href} is missing"
    assert links > len(chapter_pages()), "each notebook links to its page, some to others"


def test_notebooks_hold_no_answer_key() -> None:
    """The notebooks read the bank when they run: no answer is copied into them."""
    for question in bank.load_bank():
        if question.type not in ("single", "numeric", "date"):
            continue
        nb = (ROOT / notebooks.notebook_path(question.chapter)).read_text(encoding="utf-8")
        assert question.explanation[:40] not in nb, question.id


def test_the_first_cell_says_what_the_notebook_needs_and_how_to_install_it() -> None:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    oldest = ".".join(map(str, notebooks.PYTHON))
    assert requires == f">={oldest}", "notebooks.PYTHON differs from pyproject's requires-python"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        first = notebook(path.stem)["cells"][0]
        text = source(first)
        assert first["cell_type"] == "markdown", path.name
        assert "## What this notebook needs" in text, path.name
        assert f"Python {oldest} or newer" in text and "JupyterLab" in text, path.name
        assert "`peaceops`" in text and "python3 -m pip install -e ." in text, path.name
        lab = "python3 -m pip install uv && python3 -m uv run peaceops lab"
        assert lab in text and lab in readme, f"{path.name}: install command not as in README"


def test_the_first_code_cell_imports_what_the_package_has() -> None:
    """The import the notebooks make exists (the widgets moved to peaceops.exercises)."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = next(c for c in notebook(path.stem)["cells"] if c["cell_type"] == "code")
        imports = [n for n in ast.walk(ast.parse(source(code))) if isinstance(n, ast.ImportFrom)]
        assert imports, f"{path.name}: the first code cell imports nothing"
        for node in imports:
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name), f"{path.name}: {node.module}.{alias.name}"
        assert "except ImportError" in source(code), f"{path.name}: a bare import"


def run_notebook(path: Path, env: dict[str, str] | None = None):
    """Execute a notebook in a fresh kernel, with ``env`` added to the kernel's environment."""
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={
        "metadata": {"path": str(path.parent)}})  # fmt: skip
    client.execute(env={**os.environ, **(env or {})})
    return nb


@pytest.mark.slow
def test_a_notebook_runs_in_a_plain_kernel(tmp_path: Path) -> None:
    """With the package installed (as here), the notebook runs top to bottom in Jupyter."""
    nb = run_notebook(ROOT / "notebooks" / "framework.ipynb")
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert not [o for o in setup.outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in setup.outputs)  # fmt: skip


@pytest.mark.slow
def test_a_kernel_without_peaceops_says_what_to_install(tmp_path: Path) -> None:
    """In a kernel where peaceops cannot be imported, the first code cell stops the
    notebook with a message that says what to install and how, not a bare ImportError."""
    from nbclient.exceptions import CellExecutionError

    shadow = tmp_path / "shadow" / "peaceops"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named \'peaceops\'", name="peaceops")\n'
    )
    with pytest.raises(CellExecutionError) as failed:
        run_notebook(ROOT / "notebooks" / "framework.ipynb", {"PYTHONPATH": str(shadow.parent)})
    error = failed.value
    assert error.ename == "ModuleNotFoundError"
    assert "needs the course's package 'peaceops'" in error.evalue
    assert "No module named 'peaceops'" in error.evalue
    assert re.search(r"python3 -m pip install -e \.", error.evalue)
    assert "restart the kernel" in error.evalue
