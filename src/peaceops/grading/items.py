"""One bank question as the cells of an nbgrader quiz: prompt, answer cell and test cell.

Every auto-graded item is three cells: a locked prompt that shows the question with
lettered options, an answer cell where the student sets one variable (``q01 = "B"``), and
a locked test cell worth the item's points. The test cell's visible part only checks the
*form* of the answer (one letter, a list of letters, a date...) so that it gives nothing
away; the marking assertion sits between nbgrader's hidden-test markers and is removed
from the released copy. Test code uses built-in types only (``type(x) is str``), so an
object that pretends to equal everything is refused. A written question is a manually
graded task cell whose mark scheme nbgrader strips from the release, then a cell for the
student's answer.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from peaceops.bank import Question
from peaceops.bank.dates import precision_note
from peaceops.data import DATE_COLUMN

LETTERS = "ABCDEFGHIJ"
#: Points of an auto-graded item, by type, unless the quiz definition says otherwise.
DEFAULT_POINTS = {
    "single": 1,
    "multiple": 2,
    "matching": 2,
    "ordering": 2,
    "numeric": 1,
    "date": 1,
    "data": 2,
}


@dataclass(frozen=True)
class QuizItem:
    """A bank question placed in a quiz: its number and its points."""

    question: Question
    number: int
    points: int

    @property
    def var(self) -> str:
        """The variable the student sets (``q01``)."""
        return f"q{self.number:02d}"

    @property
    def grade_id(self) -> str:
        """The id of the item's graded cell (the test cell, or the written task cell)."""
        return f"{self.var}-{'task' if self.question.type == 'written' else 'test'}"

    @property
    def answer_id(self) -> str:
        """The id of the item's answer cell."""
        return f"{self.var}-answer"


# -- what the student sees -------------------------------------------------------------


def lettered(options: list[str]) -> dict[str, str]:
    """Options labelled A, B, C ... in the given order."""
    return dict(zip(LETTERS, options, strict=False))


def choice_options(question: Question) -> dict[str, str]:
    """The options of a choice question, lettered, in the order fixed by its id."""
    return lettered(question.shuffled_options())


def matching_sides(question: Question) -> tuple[dict[int, str], dict[str, str]]:
    """The numbered left-hand items and the lettered right-hand options of a matching item."""
    lefts = dict(enumerate(question.pairs, start=1))
    rights = list(question.pairs.values()) + list(question.distractors)
    random.Random(question.id).shuffle(rights)
    return lefts, lettered(rights)


def ordering_shown(question: Question) -> dict[str, str]:
    """The events of an ordering item, lettered, in a shuffled order fixed by its id."""
    shown = list(question.items)
    random.Random(question.id).shuffle(shown)
    return lettered(shown)


def key(question: Question) -> Any:
    """The answer key in the form the student writes it (letters, numbers, a date)."""
    kind = question.type
    if kind == "single":
        return _letter_of(choice_options(question), question.answer)
    if kind == "multiple":
        options = choice_options(question)
        return sorted(_letter_of(options, a) for a in question.answer)
    if kind == "matching":
        lefts, rights = matching_sides(question)
        return {n: _letter_of(rights, question.pairs[left]) for n, left in lefts.items()}
    if kind == "ordering":
        shown = ordering_shown(question)
        return [_letter_of(shown, item) for item in question.items]
    return question.answer  # numeric and date; data is counted from the table


def _letter_of(options: dict[str, str], text: str) -> str:
    return next(letter for letter, option in options.items() if option == text)


def _list(options: dict[Any, str], label: str = "") -> str:
    return "\n".join(f"- **{k}{label}** {text}" for k, text in options.items())


def prompt_markdown(item: QuizItem) -> str:
    """The prompt of an item as Markdown, with its options and how to write the answer."""
    q, var = item.question, item.var
    points = f"{item.points} point{'s' if item.points != 1 else ''}"
    head = f"### Question {item.number} ({points})\n\n{q.prompt}\n\n"
    if q.type == "single":
        how = f'Set `{var}` to the letter of the one right option, e.g. `{var} = "B"`.'
        return head + _list(choice_options(q), ".") + "\n\n" + how
    if q.type == "multiple":
        how = (
            f'Set `{var}` to the list of **every** right option, e.g. `{var} = ["A", "C"]`. '
            "The item scores only when the list is exactly right."
        )
        return head + _list(choice_options(q), ".") + "\n\n" + how
    if q.type == "matching":
        lefts, rights = matching_sides(q)
        how = (
            f"Set `{var}` to a dictionary from each number to the letter that matches it, "
            f'e.g. `{var} = {{1: "C", 2: "A", ...}}`. Some letters may be left unused.'
        )
        return head + _list(lefts, ".") + "\n\nOptions:\n\n" + _list(rights, ".") + "\n\n" + how
    if q.type == "ordering":
        how = (
            f"Set `{var}` to the letters in the right order, first to last, "
            f'e.g. `{var} = ["C", "A", "B"]`.'
        )
        return head + _list(ordering_shown(q), ".") + "\n\n" + how
    if q.type == "numeric":
        unit = f" (in {q.unit})" if q.unit else ""
        return head + f"Set `{var}` to a number{unit}, e.g. `{var} = 12`."
    if q.type == "date":
        note = precision_note(q)
        return (
            head
            + f'Set `{var}` to the date as text, `"YYYY-MM-DD"`, e.g. `{var} = "1999-06-10"`.'
            + (f" {note}" if note else "")
        )
    if q.type == "data":
        return head + data_instructions(item)
    raise ValueError(f"no quiz form for a {q.type} question")


def data_instructions(item: QuizItem) -> str:
    """How a pandas item wants its answer computed."""
    q = item.question
    conditions = [f'`{column}` is `"{value}"`' for column, value in q.where.items()]
    if q.years:
        first, last = q.years
        conditions.append(
            f"the year of `{DATE_COLUMN[q.table]}` is from {first} to {last} inclusive"
        )
    return (
        f"Use pandas on the course table `{q.table}.csv` (in this folder; the cell below "
        f"loads it as `{q.table}`). Count the rows where "
        + " and ".join(conditions)
        + f", and set `{item.var}` to that count, computed with pandas (a whole number)."
    )


# -- the answer cell (solution region stripped on release) -----------------------------


def answer_source(item: QuizItem) -> str:
    """The answer cell of the instructor's version: the blank line, then the solution."""
    q, var = item.question, item.var
    blank = {
        "single": f"{var} = None  # one letter in quotes",
        "multiple": f"{var} = []  # a list of letters",
        "matching": f"{var} = {{{', '.join(f'{n}: None' for n in matching_sides(q)[0])}}}",
        "ordering": f"{var} = []  # the letters, first to last",
        "numeric": f"{var} = None  # a number",
        "date": f'{var} = None  # "YYYY-MM-DD"',
        "data": f"{var} = None  # the count, computed with pandas",
    }[q.type]
    lines = []
    if q.type == "data":
        lines += [
            "import pandas as pd",
            "",
            f'{q.table} = pd.read_csv("{q.table}.csv", dtype=str, keep_default_na=False)',
        ]
    lines += [blank, "### BEGIN SOLUTION", *solution_lines(item), "### END SOLUTION"]
    return "\n".join(lines)


def solution_lines(item: QuizItem) -> list[str]:
    """The instructor's answer, as code."""
    q, var = item.question, item.var
    if q.type == "data":
        table = q.table
        conditions = [f"({table}[{c!r}] == {v!r})" for c, v in q.where.items()]
        lines = []
        if q.years:
            lines.append(f"year = {table}[{DATE_COLUMN[table]!r}].str[:4].astype(int)")
            conditions.append(f"year.between({q.years[0]}, {q.years[1]})")
        selected = " & ".join(conditions) or "slice(None)"
        return [*lines, f"{var} = len({table}[{selected}])"]
    value = key(q)
    if q.type == "numeric":
        value = int(value) if float(value).is_integer() else value
    return [f"{var} = {value!r}"]


# -- the test cell (hidden tests stripped on release) ----------------------------------


def test_source(item: QuizItem, data_count: int | None = None) -> str:
    """The locked test cell: a visible check of the answer's form, a hidden check of it."""
    q, var = item.question, item.var
    letters = list(choice_options(q)) if q.type in ("single", "multiple") else []
    if q.type == "single":
        form = (
            f"assert type({var}) is str and {var}.strip().upper() in {tuple(letters)!r}, "
            f"'{var} must be one letter in quotes, e.g. {var} = \"B\"'"
        )
        hidden = f"assert {var}.strip().upper() == {key(q)!r}"
    elif q.type == "multiple":
        form = (
            f"assert type({var}) in (list, tuple, set) and len({var}) > 0 and all("
            f"type(x) is str and x.strip().upper() in {tuple(letters)!r} for x in {var}), "
            f'\'{var} must be a list of letters, e.g. {var} = ["A", "C"]\''
        )
        hidden = f"assert sorted({{x.strip().upper() for x in {var}}}) == {key(q)!r}"
    elif q.type == "matching":
        lefts, rights = matching_sides(q)
        form = (
            f"assert type({var}) is dict and sorted({var}) == {sorted(lefts)!r} and all("
            f"type(v) is str and v.strip().upper() in {tuple(rights)!r} for v in {var}.values()), "
            f"'{var} must map each number {min(lefts)}-{max(lefts)} to a letter, "
            f'e.g. {{1: "C", 2: "A", ...}}\''
        )
        hidden = f"assert {{k: v.strip().upper() for k, v in {var}.items()}} == {key(q)!r}"
    elif q.type == "ordering":
        shown = list(ordering_shown(q))
        form = (
            f"assert type({var}) in (list, tuple) and all(type(x) is str for x in {var}) and "
            f"sorted(x.strip().upper() for x in {var}) == {sorted(shown)!r}, "
            f"'{var} must list each letter {shown[0]}-{shown[-1]} once, first to last'"
        )
        hidden = f"assert [x.strip().upper() for x in {var}] == {key(q)!r}"
    elif q.type == "numeric":
        form = (
            f"assert type({var}) in (int, float), "
            f"'{var} must be a number without quotes, e.g. {var} = 12'"
        )
        hidden = f"assert abs({var} - {float(q.answer)!r}) <= {q.tolerance!r}"
    elif q.type == "date":
        answer = dt.date.fromisoformat(q.answer)
        form = (
            "import datetime\n"
            f"assert type({var}) is str, '{var} must be a date in quotes, e.g. \"1999-06-10\"'\n"
            f"{var}_date = datetime.date.fromisoformat({var}.strip())  "
            "# a ValueError here: write the date as YYYY-MM-DD"
        )
        if q.precision == "year":
            hidden = f"assert {var}_date.year == {answer.year}"
        elif q.precision == "month":
            wanted = (answer.year, answer.month)
            hidden = f"assert ({var}_date.year, {var}_date.month) == {wanted!r}"
        else:
            hidden = (
                f"assert abs(({var}_date - datetime.date({answer.year}, {answer.month}, "
                f"{answer.day})).days) <= {int(q.tolerance)}"
            )
    elif q.type == "data":
        if data_count is None:
            raise ValueError(f"{q.id}: a pandas item needs its count from the table")
        form = (
            "import numbers\n"
            f"assert isinstance({var}, numbers.Integral) and not isinstance({var}, bool), "
            f"'{var} must be a whole number: the count of rows, e.g. len(rows)'"
        )
        hidden = f"assert int({var}) == {data_count}"
    else:
        raise ValueError(f"no quiz test for a {q.type} question")
    return (
        "# Checks the form of your answer only; the marking tests are hidden.\n"
        f"{form}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
    )


# -- a written question ----------------------------------------------------------------


def task_markdown(item: QuizItem) -> str:
    """A written question: the task, then the mark scheme (removed from the release)."""
    q = item.question
    scheme = "\n".join(
        f"- {c.points} point{'s' if c.points != 1 else ''}: {c.criterion}" for c in q.mark_scheme
    )
    return (
        f"### Question {item.number} ({item.points} points, marked by your instructor)\n\n"
        f"{q.prompt}\n\nWrite your answer in the cell below this one.\n\n"
        "=== BEGIN MARK SCHEME ===\n\n"
        f"**Mark scheme** ({q.marks} points):\n\n{scheme}\n\n"
        f"**Model answer.** {q.explanation}\n\n"
        "=== END MARK SCHEME ==="
    )


WRITTEN_PLACEHOLDER = "Write your answer here (double-click to edit, then run the cell)."
