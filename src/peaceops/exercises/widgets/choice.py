"""Single and multiple choice."""

from __future__ import annotations

import html

import ipywidgets as w

from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer


class ChoiceExercise(Exercise):
    """One right option (radio buttons) or several (check boxes)."""

    def build_inputs(self) -> w.Widget:
        options = self.question.shuffled_options()
        if self.question.type == "single":
            self.choice = w.RadioButtons(options=options, value=None, layout={"width": "auto"})
            return self.choice
        self.boxes = [w.Checkbox(description=o, indent=False, value=False) for o in options]
        return w.VBox(self.boxes)

    def response(self) -> list[str] | str:
        if self.question.type == "single":
            if self.choice.value is None:
                raise InvalidAnswer("choose one of the options first.")
            return self.choice.value
        chosen = [box.description for box in self.boxes if box.value]
        if not chosen:
            raise InvalidAnswer("tick every option you think is right (at least one).")
        return chosen

    def verdict(self, response: list[str] | str) -> tuple[bool, str]:
        feedback = self.question.feedback
        if self.question.type == "single":
            if response == self.question.answer:
                return True, ""
            return False, html.escape(feedback.get(response, ""))
        right = set(self.question.answer)
        chosen = set(response)
        if chosen == right:
            return True, ""
        # explain each wrong tick; count the missed keys without naming them (that would
        # give the answer away before the learner asks for it)
        notes = [
            f"<i>{html.escape(option)}</i>: {html.escape(feedback.get(option, ''))}"
            for option in self.question.options
            if option in chosen - right
        ]
        missed = len(right - chosen)
        if missed:
            notes.append("One right option is not ticked yet." if missed == 1
                         else f"{missed} right options are not ticked yet.")  # fmt: skip
        return False, " ".join(notes)

    def answer_text(self) -> str:
        answer = self.question.answer
        return answer if isinstance(answer, str) else "; ".join(answer)

    def clear_inputs(self) -> None:
        if self.question.type == "single":
            self.choice.value = None
        else:
            for box in self.boxes:
                box.value = False
