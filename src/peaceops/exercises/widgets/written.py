"""A written answer: the learner writes, then marks it against the mark scheme.

No machine can judge an essay, so the widget does not score it: once the learner has
written something, it shows the mark scheme and the model answer for self-assessment.
"""

from __future__ import annotations

import html

import ipywidgets as w

from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer, feedback_box


class WrittenExercise(Exercise):
    """A text area for a written answer, marked by the learner with the mark scheme."""

    scored = False

    def build_inputs(self) -> w.Widget:
        self.text = w.Textarea(
            placeholder="Write your answer here.", layout={"width": "100%", "height": "160px"}
        )
        return self.text

    def response(self) -> str:
        answer = self.text.value.strip()
        if not answer:
            raise InvalidAnswer("write your answer in the box first.")
        return answer

    def scheme_html(self) -> str:
        """The mark scheme as an HTML list, with the points of each criterion."""
        lines = "".join(
            f"<li>{c.points} point{'s' if c.points != 1 else ''}: {html.escape(c.criterion)}</li>"
            for c in self.question.mark_scheme
        )
        return f"Mark scheme ({self.question.marks} points):<ul>{lines}</ul>"

    def check(self) -> bool:
        """Show the mark scheme once the learner has written something (never scored)."""
        answer = self.read_response()
        if answer is None:
            return False
        words = len(answer.split())
        self.feedback.value = feedback_box(
            "answer",
            f"Mark your {words}-word answer yourself.",
            self.scheme_html() + "Show the answer to compare it with a model answer.",
        )
        return True

    def show_answer(self) -> None:
        """Show the model answer and the mark scheme."""
        body = f"{self.scheme_html()}<p>{html.escape(self.question.explanation)}</p>"
        self.feedback.value = feedback_box("answer", "Model answer.", body)

    def verdict(self, response: str) -> tuple[bool, str]:
        return False, ""

    def answer_text(self) -> str:
        return self.question.explanation

    def clear_inputs(self) -> None:
        self.text.value = ""
