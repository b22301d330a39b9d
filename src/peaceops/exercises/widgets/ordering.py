"""Ordering: put events in their order on a timeline."""

from __future__ import annotations

import html

import ipywidgets as w

from peaceops.exercises.web import shown_items
from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer


class OrderingExercise(Exercise):
    """Each event (shown in a shuffled order) gets a position number from a drop-down."""

    def build_inputs(self) -> w.Widget:
        self.shown = shown_items(self.question)
        positions = [("-", 0)] + [(str(i), i) for i in range(1, len(self.shown) + 1)]
        self.positions = {
            item: w.Dropdown(options=positions, value=0, layout={"width": "70px"})
            for item in self.shown
        }
        rows = [
            w.HBox([select, w.HTML(html.escape(item))]) for item, select in self.positions.items()
        ]
        return w.VBox([w.HTML("<i>Number the events from 1 (earliest).</i>"), *rows])

    def response(self) -> list[str]:
        numbers = {item: select.value for item, select in self.positions.items()}
        if 0 in numbers.values():
            raise InvalidAnswer("give every event a position number.")
        if len(set(numbers.values())) != len(numbers):
            raise InvalidAnswer("each position number can be used only once.")
        return [item for item, _ in sorted(numbers.items(), key=lambda pair: pair[1])]

    def verdict(self, response: list[str]) -> tuple[bool, str]:
        right = list(self.question.items)
        if response == right:
            return True, ""
        misplaced = sum(1 for a, b in zip(response, right, strict=True) if a != b)
        return False, f"{misplaced} of {len(right)} events are out of place."

    def answer_text(self) -> str:
        return " → ".join(self.question.items)

    def clear_inputs(self) -> None:
        for select in self.positions.values():
            select.value = 0
