"""Exercise widgets (ipywidgets 8), one module per kind, built from the question bank."""

from __future__ import annotations

from peaceops.bank import Question, by_chapter, load_bank
from peaceops.exercises.widgets.choice import ChoiceExercise
from peaceops.exercises.widgets.entry import EntryExercise
from peaceops.exercises.widgets.explore import DataExercise
from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer, Scoreboard
from peaceops.exercises.widgets.matching import MatchingExercise
from peaceops.exercises.widgets.ordering import OrderingExercise
from peaceops.exercises.widgets.written import WrittenExercise

KINDS: dict[str, type[Exercise]] = {
    "single": ChoiceExercise,
    "multiple": ChoiceExercise,
    "matching": MatchingExercise,
    "ordering": OrderingExercise,
    "numeric": EntryExercise,
    "date": EntryExercise,
    "data": DataExercise,
    "written": WrittenExercise,
}


def exercise_for(question: Question, scoreboard: Scoreboard | None = None) -> Exercise:
    """The widget that asks one question of the bank."""
    return KINDS[question.type](question, scoreboard)


def chapter_exercises(chapter: str) -> tuple[Scoreboard, list[Exercise]]:
    """A scoreboard and one widget per bank question of a chapter ('book/frameworks/impact')."""
    scoreboard = Scoreboard()
    questions = by_chapter(load_bank()).get(chapter, [])
    return scoreboard, [exercise_for(q, scoreboard) for q in questions]


__all__ = [
    "ChoiceExercise", "DataExercise", "EntryExercise", "Exercise", "InvalidAnswer",
    "MatchingExercise", "OrderingExercise", "Scoreboard", "WrittenExercise", "chapter_exercises",
    "exercise_for",
]  # fmt: skip
