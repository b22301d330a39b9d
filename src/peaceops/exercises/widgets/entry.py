"""Numeric and date entry, right within a tolerance."""

from __future__ import annotations

import datetime as dt
import re

import ipywidgets as w

from peaceops.bank.dates import judge_date
from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer


class EntryExercise(Exercise):
    """A text box for a number or an ISO date; the learner's text is parsed kindly."""

    def build_inputs(self) -> w.Widget:
        hint = "YYYY-MM-DD" if self.question.type == "date" else "a number"
        if self.question.unit:
            hint += f" ({self.question.unit})"
        self.entry = w.Text(placeholder=hint, layout={"width": "220px"})
        return self.entry

    def response(self) -> float | dt.date:
        text = self.entry.value.strip()
        if not text:
            raise InvalidAnswer("type your answer in the box first.")
        if self.question.type == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise InvalidAnswer(
                    f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 1999-06-10."
                ) from None
        cleaned = re.sub(r"[,\s_]", "", text)
        try:
            return float(cleaned)
        except ValueError:
            raise InvalidAnswer(f"'{text}' is not a number: type digits only, e.g. 32.") from None

    def verdict(self, response: float | dt.date) -> tuple[bool, str]:
        if self.question.type == "date":
            return judge_date(self.question, response)
        difference = response - self.question.answer
        if abs(difference) <= self.question.tolerance:
            return True, ""
        return False, "Too high." if difference > 0 else "Too low."

    def answer_text(self) -> str:
        if self.question.type == "date":
            return self.question.answer
        value = self.question.answer
        text = f"{value:g}"
        return f"{text} {self.question.unit}".strip()

    def clear_inputs(self) -> None:
        self.entry.value = ""
