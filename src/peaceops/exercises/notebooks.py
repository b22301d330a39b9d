"""Generate one exercise notebook per chapter from the question bank.

``peaceops notebooks`` (and every ``peaceops build``) writes ``notebooks/<chapter>.ipynb``
for JupyterLab users: what the notebook practises, a link back to its chapter, what it
needs and how to install it; then a cell that checks the course's package is there (and
says what to install when it is not), one widget per bank question and the score. The
notebooks hold code, not answers: the widgets read the bank when they run. A test fails
when a committed notebook is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from peaceops.bank import Question, by_chapter, load_bank
from peaceops.course import toc
from peaceops.course.pages import plain, read_page

NOTEBOOK_DIR = Path("notebooks")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
HIDDEN = {"tags": ["remove-input"]}
#: The oldest Python the course's package runs on (``requires-python`` in pyproject.toml).
PYTHON = (3, 11)
#: Where the widgets come from; the setup cell imports it.
WIDGETS_MODULE = "peaceops.exercises.widgets"

NEEDS = """\
## What this notebook needs

- Python {python} or newer, and JupyterLab 4 (ipywidgets 8 draws the questions);
- the course's own package, `peaceops`, installed from a checkout of the course: it
  brings ipywidgets and pandas, and the widgets read the questions and the data tables
  from the checkout (they are not copied into this notebook).

To install them, open a terminal in the folder of the course checkout (the one holding
`pyproject.toml`; see the course's `README.md`) and run either

```bash
python3 -m pip install uv && python3 -m uv run peaceops lab
```

which makes a private environment with everything and opens these notebooks in
JupyterLab, or, to use a Python environment of your own,

```bash
python3 -m pip install -e .
python3 -m jupyter lab notebooks/
```

(keep the `-e`: the package reads the bank from the checkout). Then run the notebook
from the top (*Run* > *Run All Cells*). If something is missing, the first code cell
says what to install."""

SETUP = """\
# Checks that this kernel has what the notebook needs (see the first cell).
import sys

if sys.version_info < {python!r}:
    raise RuntimeError(
        "This notebook needs Python {python_text} or newer; this kernel runs "
        + sys.version.split()[0] + ". Choose a newer kernel (Kernel > Change Kernel)."
    )
try:
    from {module} import chapter_exercises
except ImportError as error:
    raise ModuleNotFoundError(
        f"This notebook needs the course's package 'peaceops' ({{error}}). To install it, "
        "open a terminal in the folder of the course checkout and run "
        "'python3 -m pip install -e .' (or 'python3 -m pip install uv && "
        "python3 -m uv run peaceops lab', which opens these notebooks with everything "
        "they need); then restart the kernel and run the notebook again."
    ) from None

scoreboard, exercises = chapter_exercises("{chapter}")
scoreboard"""


def notebook_path(chapter: str) -> Path:
    """The exercise notebook of a chapter, relative to the course root."""
    return NOTEBOOK_DIR / f"{Path(chapter).name}.ipynb"


def _cell(kind: str, source: str, metadata: dict | None = None, *, id: str) -> dict:  # noqa: A002
    cell = {
        "cell_type": kind,
        "id": id,
        "metadata": metadata or {},
        "source": source.splitlines(True),
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def render(root: Path, chapter: str, questions: list[Question]) -> dict:
    """The notebook (as nbformat JSON) for one chapter's questions."""
    page = read_page(toc.page_path(root, chapter))
    link = Path("..") / toc.page_path(root, chapter).relative_to(root)
    objectives = [plain(text, root, link_from=root / NOTEBOOK_DIR) for text in page.objectives()]
    practised = sorted({q.objective for q in questions})
    lines = [
        f"# Exercises: {page.heading}",
        "",
        f"These exercises practise the chapter [{page.heading}]({link.as_posix()}), for "
        "JupyterLab (the book has the same questions on the chapter's exercise page). Each "
        "question checks your answer at once and explains it; you can try again or show "
        "the answer.",
        "",
        "You practise these learning objectives:",
        "",
        *[f"{n}. {objectives[n - 1]}" for n in practised if n <= len(objectives)],
        "",
        NEEDS.format(python=".".join(map(str, PYTHON))),
    ]
    setup = SETUP.format(
        python=PYTHON,
        python_text=".".join(map(str, PYTHON)),
        module=WIDGETS_MODULE,
        chapter=chapter,
    )
    cells = [_cell("markdown", "\n".join(lines), id="about"), _cell("code", setup, id="setup")]
    for number, question in enumerate(questions, start=1):
        objective = f" (objective {question.objective})" if question.objective else ""
        cells.append(_cell("markdown", f"## Question {number}{objective}", id=f"q{number}-title"))
        cells.append(_cell("code", f"exercises[{number - 1}]", HIDDEN, id=f"q{number}"))
    cells.append(_cell("markdown", "## Your score", id="score-title"))
    cells.append(_cell("code", "scoreboard", HIDDEN, id="score"))
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _text(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def expected(root: Path) -> dict[Path, str]:
    """Every exercise notebook the bank implies, by path, with its exact file content."""
    grouped = by_chapter(load_bank(root / "questions", root))
    return {
        root / notebook_path(chapter): _text(render(root, chapter, questions))
        for chapter, questions in grouped.items()
    }


def write(root: Path) -> list[Path]:
    """Write the notebooks that changed; return their paths."""
    changed = []
    for path, text in expected(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale(root: Path) -> list[Path]:
    """Notebooks whose committed content differs from what the bank implies."""
    return [
        path
        for path, text in expected(root).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
