"""Helpers shared by the grading tests: a released quiz, a student's submission."""

from __future__ import annotations

import json
from pathlib import Path

from peaceops.grading import quizzes
from peaceops.grading.example_class import fill, right_answer


def released(root: Path, quiz_id: str) -> dict:
    """The released (student) notebook of a quiz."""
    path = root / "quizzes" / "release" / quiz_id / f"{quiz_id}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def submit(root: Path, quiz_id: str, student: str, answers: dict[str, str], edit=None) -> Path:
    """A student's copy of the released quiz with the given answer cells' code."""
    nb = fill(released(root, quiz_id), answers)
    if edit:
        edit(nb)
    folder = root / "quizzes" / "submitted" / student / quiz_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{quiz_id}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def solution(quiz: quizzes.Quiz) -> dict[str, str]:
    """The instructor's answers, as a student would type them."""
    return {i.var: right_answer(i) for i in quiz.items if i.question.type != "written"}
