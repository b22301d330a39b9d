"""How a date answer is judged: to the day (within a tolerance), the month or the year.

One rule for every place a date is checked (the exercise widgets, the graded quizzes'
literal answers, and, mirrored in JavaScript, the in-page self-checks), so that a date
is right or wrong the same way everywhere.
"""

from __future__ import annotations

import datetime as dt

from peaceops.bank.questions import Question

PRECISIONS = ("day", "month", "year")


def judge_date(question: Question, value: dt.date) -> tuple[bool, str]:
    """Whether ``value`` answers a date question, and a hint when it does not."""
    answer = dt.date.fromisoformat(question.answer)
    if question.precision == "year":
        off = value.year - answer.year
        unit = "year"
    elif question.precision == "month":
        off = (value.year - answer.year) * 12 + value.month - answer.month
        unit = "month"
    else:
        off = (value - answer).days
        if abs(off) <= question.tolerance:
            return True, ""
        unit = "day"
    if unit != "day" and off == 0:
        return True, ""
    direction = "too late" if off > 0 else "too early"
    return False, f"That is {abs(off)} {unit}{'s' if abs(off) != 1 else ''} {direction}."


def precision_note(question: Question) -> str:
    """What a learner is told about how precisely a date is marked ('' for the day)."""
    if question.precision == "year":
        return "Only the year is marked: any date in the right year is right."
    if question.precision == "month":
        return "The month is marked: any day of the right month is right."
    return ""
