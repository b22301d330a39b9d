"""Generate one exercise notebook per chapter from the question bank.

``peaceops notebooks`` (and every ``peaceops build``) writes ``notebooks/<chapter>.ipynb``:
what the notebook practises, a link back to its chapter, then one widget per bank
question and the notebook's score. The notebooks hold code, not answers: the widgets
read the bank when they run. A test fails when a committed notebook is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from peaceops.bank import Question, by_chapter, load_bank
from peaceops.course import toc
from peaceops.course.pages import read_page

NOTEBOOK_DIR = Path("notebooks")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
HIDDEN = {"tags": ["remove-input"]}


def notebook_path(chapter: str) -> Path:
    """The exercise notebook of a chapter, relative to the course root."""
    return NOTEBOOK_DIR / f"{Path(chapter).name}.ipynb"


def _cell(kind: str, source: str, metadata: dict | None = None) -> dict:
    cell = {"cell_type": kind, "metadata": metadata or {}, "source": source.splitlines(True)}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def render(root: Path, chapter: str, questions: list[Question]) -> dict:
    """The notebook (as nbformat JSON) for one chapter's questions."""
    page = read_page(toc.page_path(root, chapter))
    objectives = page.objectives()
    link = Path("..") / toc.page_path(root, chapter).relative_to(root)
    practised = sorted({q.objective for q in questions})
    lines = [
        f"# Exercises: {page.heading}",
        "",
        f"These exercises practise the chapter [{page.heading}]({link.as_posix()}). "
        "Each question checks your answer at once and explains it; you can try again or "
        "show the answer. Run the notebook in JupyterLab (`peaceops lab`) for live feedback; "
        "on the book's web page the widgets are shown but do not respond.",
        "",
        "You practise these learning objectives:",
        "",
        *[f"{n}. {objectives[n - 1]}" for n in practised if n <= len(objectives)],
    ]
    cells = [
        _cell("markdown", "\n".join(lines)),
        _cell(
            "code",
            "from peaceops.exercises.widgets import chapter_exercises\n\n"
            f'scoreboard, exercises = chapter_exercises("{chapter}")\nscoreboard',
            HIDDEN,
        ),
    ]
    for number, question in enumerate(questions, start=1):
        objective = f" (objective {question.objective})" if question.objective else ""
        cells.append(_cell("markdown", f"## Question {number}{objective}"))
        cells.append(_cell("code", f"exercises[{number - 1}]", HIDDEN))
    cells.append(_cell("markdown", "## Your score"))
    cells.append(_cell("code", "scoreboard", HIDDEN))
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
