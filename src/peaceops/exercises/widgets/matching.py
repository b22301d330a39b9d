"""Matching: pair each item on the left with one on the right."""

from __future__ import annotations

import html

import ipywidgets as w

from peaceops.exercises.web import matching_choices
from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer

PLACEHOLDER = "(choose)"


class MatchingExercise(Exercise):
    """A drop-down of right-hand items beside each left-hand item."""

    def build_inputs(self) -> w.Widget:
        rights = matching_choices(self.question)  # the same order as the web page
        self.selects = {
            left: w.Dropdown(options=[PLACEHOLDER, *rights], value=PLACEHOLDER,
                             layout={"width": "60%"})
            for left in self.question.pairs
        }  # fmt: skip
        rows = [
            w.HBox([w.HTML(f"{html.escape(left)}", layout={"width": "38%"}), select])
            for left, select in self.selects.items()
        ]
        return w.VBox(rows)

    def response(self) -> dict[str, str]:
        chosen = {left: s.value for left, s in self.selects.items()}
        if any(v == PLACEHOLDER for v in chosen.values()):
            raise InvalidAnswer("match every item on the left before checking.")
        return chosen

    def verdict(self, response: dict[str, str]) -> tuple[bool, str]:
        wrong = [left for left, right in self.question.pairs.items() if response[left] != right]
        if not wrong:
            return True, ""
        names = ", ".join(f"<i>{html.escape(left)}</i>" for left in wrong)
        return False, f"{len(wrong)} of {len(self.question.pairs)} pairs are wrong: {names}."

    def answer_text(self) -> str:
        return "; ".join(f"{left} - {right}" for left, right in self.question.pairs.items())

    def clear_inputs(self) -> None:
        for select in self.selects.values():
            select.value = PLACEHOLDER
