"""What every exercise shares: the check / show answer / try again cycle, and the score."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from peaceops.bank import Question


class InvalidAnswer(Exception):
    """The learner's input cannot be judged yet; the message says what to enter."""


class Scoreboard(w.HTML):
    """The notebook's score: questions answered right, and how many at the first try."""

    def __init__(self) -> None:
        super().__init__()
        self.first_try: dict[str, bool] = {}
        self.solved: set[str] = set()
        self.revealed: set[str] = set()
        self.total = 0
        self._render()

    def register(self) -> None:
        """Count one more question in this notebook."""
        self.total += 1
        self._render()

    def record(self, question_id: str, right: bool) -> None:
        """Record an attempt (the first attempt of each question is kept for the score)."""
        self.first_try.setdefault(question_id, right)
        if right and question_id not in self.revealed:
            self.solved.add(question_id)
        self._render()

    def reveal(self, question_id: str) -> None:
        """Record that the answer was shown: the question no longer scores."""
        self.revealed.add(question_id)
        self.first_try.setdefault(question_id, False)
        self._render()

    @property
    def score(self) -> int:
        """Questions answered right without showing the answer first."""
        return len(self.solved)

    @property
    def first_try_score(self) -> int:
        """Questions answered right at the first attempt."""
        return sum(self.first_try.values())

    def _render(self) -> None:
        self.value = (
            f"<b>Score: {self.score} / {self.total}</b> answered right "
            f"({self.first_try_score} at the first try; {len(self.revealed)} answers shown)"
        )


def feedback_box(kind: str, title: str, body: str) -> str:
    colours = {"right": "#1b7f3b", "wrong": "#b3261e", "hint": "#8a6d00", "answer": "#1f4e99"}
    return (
        f'<div class="peaceops-feedback peaceops-{kind}" '
        f'style="border-left:4px solid {colours[kind]};padding:4px 10px;margin-top:6px">'
        f"<b>{html.escape(title)}</b> {body}</div>"
    )


class Exercise(w.VBox):
    """A question with Check, Show answer and Try again buttons and instant feedback.

    Subclasses build ``self.inputs`` and implement ``response`` (read the learner's input,
    or raise InvalidAnswer) and ``verdict`` (right or wrong, and why).
    """

    #: Whether the question counts in the notebook's score (a written answer does not).
    scored = True

    def __init__(self, question: Question, scoreboard: Scoreboard | None = None) -> None:
        self.question = question
        self.scoreboard = scoreboard or Scoreboard()
        if self.scored:
            self.scoreboard.register()
        self.prompt = w.HTML(f"<p><b>{html.escape(question.prompt)}</b></p>")
        self.feedback = w.HTML()
        self.check_button = w.Button(description="Check", button_style="primary", icon="check")
        self.answer_button = w.Button(description="Show answer", icon="eye")
        self.retry_button = w.Button(description="Try again", icon="refresh")
        self.check_button.on_click(lambda _: self.check())
        self.answer_button.on_click(lambda _: self.show_answer())
        self.retry_button.on_click(lambda _: self.reset())
        self.inputs = self.build_inputs()
        buttons = w.HBox([self.check_button, self.answer_button, self.retry_button])
        super().__init__([self.prompt, self.inputs, buttons, self.feedback])
        self.add_class("peaceops-exercise")

    # -- to implement -------------------------------------------------------------
    def build_inputs(self) -> w.Widget:  # pragma: no cover - abstract
        raise NotImplementedError

    def response(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def verdict(self, response: Any) -> tuple[bool, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def answer_text(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def clear_inputs(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- the cycle ----------------------------------------------------------------
    def read_response(self) -> Any:
        """The learner's input, or None after showing what to enter first."""
        try:
            return self.response()
        except InvalidAnswer as problem:
            self.feedback.value = feedback_box("hint", "Not yet:", html.escape(str(problem)))
            return None

    def check(self) -> bool:
        """Judge the current input, show why, and record it; return True when right."""
        response = self.read_response()
        if response is None:
            return False
        right, why = self.verdict(response)
        self.scoreboard.record(self.question.id, right)
        if right:
            body = html.escape(self.question.explanation)
            self.feedback.value = feedback_box("right", "Right.", body)
        else:
            self.feedback.value = feedback_box(
                "wrong", "Not quite.", why + " Try again, or show the answer."
            )
        return right

    def show_answer(self) -> None:
        """Reveal the answer and its explanation (the question then no longer scores)."""
        self.scoreboard.reveal(self.question.id)
        body = f"{html.escape(self.answer_text())}. {html.escape(self.question.explanation)}"
        self.feedback.value = feedback_box("answer", "Answer:", body)

    def reset(self) -> None:
        """Clear the input and the feedback for another attempt."""
        self.clear_inputs()
        self.feedback.value = ""
