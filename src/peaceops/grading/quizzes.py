"""The graded quizzes: ``quizzes/quizzes.yml`` picks bank questions; this writes nbgrader's source.

A quiz definition names its chapters and the bank questions it asks (by id, with points
where the type's default will not do). ``write_sources`` turns each quiz into
``quizzes/source/<quiz>/<quiz>.ipynb`` (the instructor's version, with solutions, hidden
tests and mark schemes) plus the course tables its pandas items read. The answer keys
stay in the bank: the source notebooks are generated, never edited by hand.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from peaceops import data
from peaceops.bank import BankError, Question, load_bank, load_pool
from peaceops.grading.items import (
    DEFAULT_POINTS,
    WRITTEN_PLACEHOLDER,
    QuizItem,
    answer_source,
    prompt_markdown,
    task_markdown,
    test_source,
)
from peaceops.grading.pools import PoolError, pools

QUIZ_DIR = Path("quizzes")
DEFINITIONS = QUIZ_DIR / "quizzes.yml"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
MIN_AUTO, MAX_AUTO = 8, 15
_QUIZ_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Quiz:
    """One quiz: its id (the nbgrader assignment name), title, chapters and items."""

    id: str
    title: str
    chapters: tuple[str, ...]
    items: tuple[QuizItem, ...]
    pass_mark: float | None = None  # percent of the points; None: no pass mark
    minutes: int | None = None  # the suggested time

    @property
    def points(self) -> int:
        """The quiz's total points."""
        return sum(item.points for item in self.items)

    @property
    def auto_points(self) -> int:
        """The points the autograder awards (everything but written answers)."""
        return sum(i.points for i in self.items if i.question.type != "written")

    def item(self, var_or_id: str) -> QuizItem:
        """An item by its variable (``q03``) or its bank question id."""
        for item in self.items:
            if var_or_id in (item.var, item.question.id):
                return item
        raise KeyError(f"quiz '{self.id}' has no item '{var_or_id}'")


class QuizError(Exception):
    """The quiz definitions are wrong; the message lists every problem."""


def _points(entry: Any) -> tuple[str, int | None]:
    if isinstance(entry, dict) and len(entry) == 1:
        [(qid, points)] = entry.items()
        return str(qid), points
    return str(entry), None


#: The pass mark of a quiz that gives a certificate, unless it names its own (percent).
DEFAULT_PASS_MARK = 75.0


def _pass_and_time(spec: dict, where: str, problems: list[str]) -> tuple[float | None, int | None]:
    """A quiz's pass mark (``certificate: true`` gives 75 % unless ``pass_mark`` says) and
    its suggested time (``minutes``)."""
    mark = spec.get("pass_mark", DEFAULT_PASS_MARK if spec.get("certificate") else None)
    if mark is not None and (isinstance(mark, bool) or not isinstance(mark, int | float)
                             or not 0 < mark <= 100):  # fmt: skip
        problems.append(f"{where}: pass_mark is a percentage (0-100], not {mark!r}")
        mark = None
    minutes = spec.get("minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int)
                                or minutes < 1):  # fmt: skip
        problems.append(f"{where}: minutes is a whole number of minutes, not {minutes!r}")
        minutes = None
    return (float(mark) if mark is not None else None), minutes


def assessment_items(root: Path) -> tuple[list[Question], Path]:
    """The questions of the pools in force (see ``pools``) with the practice bank (which a
    quiz may not ask: ``load_quizzes`` says so), and the quiz definitions file."""
    try:
        chosen = pools(root)
        practice = load_bank(root / "questions", root)
        found = load_pool(list(chosen.folders), root, {q.id for q in practice})
    except (PoolError, BankError) as err:
        raise QuizError(str(err)) from None
    # the practice bank too, so that a quiz naming a practice question is told so
    return practice + found, chosen.definitions


def load_quizzes(root: Path, questions: list[Question] | None = None) -> list[Quiz]:
    """Read the quiz definitions against the assessment pools; raise QuizError with every
    problem. ``questions`` replaces the pools (for tests)."""
    if questions is None:
        questions, path = assessment_items(root)
    else:
        path = root / DEFINITIONS
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuizError(f"{path}: not found") from None
    except yaml.YAMLError as err:
        raise QuizError(f"{path}: not valid YAML: {err}") from None
    if not isinstance(doc, dict) or not doc:
        raise QuizError(f"{path}: needs one entry per quiz (quiz id: definition)")
    by_id = {q.id: q for q in questions}
    quizzes, problems = [], []
    for quiz_id, spec in doc.items():
        where = f"{DEFINITIONS}: quiz '{quiz_id}'"
        if not _QUIZ_ID.fullmatch(str(quiz_id)):
            problems.append(f"{where}: an id is lower case letters, digits and _ only")
            continue
        if not isinstance(spec, dict) or not spec.get("questions"):
            problems.append(f"{where}: needs 'title', 'chapters' and 'questions'")
            continue
        chapters = tuple(spec.get("chapters") or ())
        items: list[QuizItem] = []
        for entry in spec["questions"]:
            qid, points = _points(entry)
            question = by_id.get(qid)
            if question is None:
                problems.append(f"{where}: question '{qid}' is in no assessment pool in use "
                                "(questions/assessment/ or the private pool)")  # fmt: skip
                continue
            if question.use != "assessment":
                problems.append(f"{where}: '{qid}' is a practice question; a graded quiz asks "
                                "assessment items only")  # fmt: skip
                continue
            if question.chapter not in chapters:
                problems.append(f"{where}: '{qid}' is from {question.chapter}, not its chapters")
            if points is None:
                points = (
                    question.marks if question.type == "written" else DEFAULT_POINTS[question.type]
                )
            if isinstance(points, bool) or not isinstance(points, int) or points < 1:
                problems.append(f"{where}: '{qid}' needs whole points >= 1, not {points!r}")
                continue
            if question.type == "written" and points != question.marks:
                problems.append(
                    f"{where}: '{qid}' is worth its mark scheme's {question.marks} points"
                )
            items.append(QuizItem(question, len(items) + 1, points))
        auto = [i for i in items if i.question.type != "written"]
        if not MIN_AUTO <= len(auto) <= MAX_AUTO:
            problems.append(
                f"{where}: has {len(auto)} auto-graded items; a quiz has {MIN_AUTO}-{MAX_AUTO}"
            )
        if len(auto) == len(items):
            problems.append(f"{where}: needs at least one written question (type: written)")
        pass_mark, minutes = _pass_and_time(spec, where, problems)
        quizzes.append(
            Quiz(
                str(quiz_id),
                str(spec.get("title") or quiz_id),
                chapters,
                tuple(items),
                pass_mark,
                minutes,
            )  # fmt: skip
        )
    if problems:
        raise QuizError(f"{len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems))
    return quizzes


# -- the source notebook ---------------------------------------------------------------


def _meta(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    task: bool = False,
    points: int | None = None,
) -> dict:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": task,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _cell(kind: str, source: str, metadata: dict | None = None) -> dict:
    cell: dict[str, Any] = {"cell_type": kind, "metadata": metadata or {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def introduction(quiz: Quiz) -> str:
    """The quiz's opening cell: what it covers and how to answer."""
    written = [i for i in quiz.items if i.question.type == "written"]
    return (
        f"# Quiz: {quiz.title}\n\n"
        f"{len(quiz.items)} questions, {quiz.points} points: {quiz.auto_points} marked "
        f"automatically, {quiz.points - quiz.auto_points} by your instructor "
        f"({len(written)} written answer{'s' if len(written) != 1 else ''}).\n\n"
        "**How to answer.** Each question sets one variable in the cell under it "
        '(`q01 = "B"`, `q02 = ["A", "C"]`, ...). Run that cell, then the check below it: '
        "the check tells you whether your answer has the right *form* (a letter, a list, "
        "a date), not whether it is right. Do not rename the variables, and do not delete, "
        "copy or move cells: the grader reads them by their place. Before you submit, "
        "restart the kernel and run all cells (Kernel > Restart & Run All)." + _terms(quiz)
    )


def _terms(quiz: Quiz) -> str:
    """The suggested time and the pass mark, when the quiz has them."""
    terms = []
    if quiz.minutes:
        terms.append(f"**Time.** Allow about {quiz.minutes} minutes.")
    if quiz.pass_mark is not None:
        needed = math.ceil(quiz.points * quiz.pass_mark / 100)
        terms.append(f"**Pass mark.** {quiz.pass_mark:g} % ({needed} of {quiz.points} points); "
                     "a pass earns the course certificate.")  # fmt: skip
    return ("\n\n" + " ".join(terms)) if terms else ""


def data_count(item: QuizItem, tables: dict) -> int:
    """The right answer of a pandas item: the rows of the course table it selects."""
    q = item.question
    return len(data.select_rows(tables, q.table, q.where, q.years))


def data_counts(quiz: Quiz, tables: dict | None = None) -> dict[str, int]:
    """The right answer of each pandas item of a quiz, by item variable."""
    tables = tables if tables is not None else data.load_all()
    return {i.var: data_count(i, tables) for i in quiz.items if i.question.type == "data"}


def render(quiz: Quiz, tables: dict | None = None) -> dict:
    """The instructor's source notebook of a quiz (nbformat JSON)."""
    cells = [_cell("markdown", introduction(quiz), _meta("intro", locked=True))]
    for item in quiz.items:
        q = item.question
        if q.type == "written":
            cells.append(
                _cell(
                    "markdown",
                    task_markdown(item),
                    _meta(item.grade_id, task=True, locked=True, points=item.points),
                )
            )
            cells.append(_cell("markdown", WRITTEN_PLACEHOLDER))
            continue
        count = data_count(item, tables or data.load_all()) if q.type == "data" else None
        cells += [
            _cell("markdown", prompt_markdown(item), _meta(f"{item.var}-prompt", locked=True)),
            _cell("code", answer_source(item), _meta(item.answer_id, solution=True)),
            _cell(
                "code",
                test_source(item, count),
                _meta(item.grade_id, grade=True, locked=True, points=item.points),
            ),
        ]
    for number, cell in enumerate(cells):
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id or f"cell-{number:03d}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
            "peaceops": {"quiz": quiz.id},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def source_dir(root: Path, quiz_id: str) -> Path:
    """Where nbgrader expects a quiz's source: ``quizzes/source/<quiz>/``."""
    return root / QUIZ_DIR / "source" / quiz_id


def tables_used(quiz: Quiz) -> list[str]:
    """The course tables the quiz's pandas items read."""
    return sorted({i.question.table for i in quiz.items if i.question.type == "data"})


def write_sources(root: Path, quizzes: list[Quiz] | None = None) -> list[Path]:
    """Write every quiz's source notebook and data files; return the notebooks written."""
    quizzes = quizzes if quizzes is not None else load_quizzes(root)
    tables = data.load_all()
    written = []
    for quiz in quizzes:
        folder = source_dir(root, quiz.id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{quiz.id}.ipynb"
        path.write_text(
            json.dumps(render(quiz, tables), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for table in tables_used(quiz):
            shutil.copyfile(data.DATA_DIR / f"{table}.csv", folder / f"{table}.csv")
        written.append(path)
    return written


def main() -> int:
    """Validate the quiz definitions against the bank; print a summary."""
    from peaceops.course import toc

    root = toc.find_root(None)
    try:
        quizzes = load_quizzes(root)
    except QuizError as err:
        print(err, file=sys.stderr)
        return 1
    for quiz in quizzes:
        print(f"{quiz.id}: {len(quiz.items)} items, {quiz.points} points ({quiz.title})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
