"""Item analysis of a graded quiz: how hard each item was, how well it told strong
students from weak ones, and which wrong answers were chosen how often.

- **difficulty**: the mean share of the item's points the class earned (1.0: everybody
  right; classical test theory's *p*);
- **discrimination**: the correlation between the item's score and the student's score
  on the *rest* of the quiz (the corrected item-total correlation); below about 0.2 an
  item separates strong from weak students poorly, and a negative value usually means a
  wrong key or a misleading question;
- **wrong answers**: for a choice item, how many students chose each wrong option; for
  the other kinds, the most frequent wrong responses.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peaceops import answers
from peaceops.quiz_items import QuizItem, choice_options, key
from peaceops.quizzes import Quiz


@dataclass(frozen=True)
class ItemStats:
    """The statistics of one item."""

    item: QuizItem
    n: int
    difficulty: float | None
    discrimination: float | None
    unanswered: int
    wrong: list[tuple[str, int]]


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when either list does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def _wrong_answers(item: QuizItem, given: list[Any], count: int | None) -> list[tuple[str, int]]:
    """How often each wrong answer was given, most frequent first.

    Blank answers are counted apart (``unanswered``), and answers computed by code are
    left out: only running the notebook tells what they were.
    """
    q = item.question
    tally: Counter[str] = Counter()
    for response in given:
        if answers.is_blank(response) or response is answers.COMPUTED:
            continue
        if answers.is_right(item, response, count):
            continue
        value = answers.normalise(item, response)
        if value is None:
            tally[f"not a valid answer: {response!r}"[:80]] += 1
        elif q.type in ("single", "multiple"):
            options = choice_options(q)
            right = set(key(q)) if q.type == "multiple" else {key(q)}
            for letter in [value] if q.type == "single" else value:
                if letter not in right:
                    tally[f"{letter}: {options.get(letter, '(no such option)')}"] += 1
        else:
            tally[str(value)] += 1
    return sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))


def analyse(quiz: Quiz, scores: dict[str, dict[str, float]],
            responses: dict[str, dict[str, Any]],
            data_counts: dict[str, int] | None = None) -> list[ItemStats]:  # fmt: skip
    """Statistics per item from each student's item scores and literal responses.

    ``scores`` maps student -> item variable -> points earned; ``responses`` maps
    student -> item variable -> the literal answer (see ``answers.responses``);
    ``data_counts`` maps a pandas item's variable to its right count.
    """
    students = sorted(scores)
    totals = {s: sum(scores[s].values()) for s in students}
    stats = []
    for item in quiz.items:
        earned = [scores[s].get(item.var, 0.0) for s in students]
        rest = [totals[s] - e for s, e in zip(students, earned, strict=True)]
        given = [responses.get(s, {}).get(item.var) for s in students]
        count = (data_counts or {}).get(item.var)
        written = item.question.type == "written"
        stats.append(
            ItemStats(
                item=item,
                n=len(students),
                difficulty=sum(earned) / (item.points * len(students)) if students else None,
                discrimination=correlation(earned, rest),
                unanswered=0 if written else sum(1 for g in given if answers.is_blank(g)),
                wrong=[] if written else _wrong_answers(item, given, count),
            )
        )
    return stats


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def write_csv(stats: list[ItemStats], path: Path) -> Path:
    """One row per item: difficulty, discrimination and the wrong answers chosen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item", "question_id", "type", "points", "students", "difficulty",
                         "discrimination", "unanswered", "wrong_answers"])  # fmt: skip
        for s in stats:
            wrong = "; ".join(f"{answer} (x{n})" for answer, n in s.wrong)
            writer.writerow([s.item.var, s.item.question.id, s.item.question.type, s.item.points,
                             s.n, _fmt(s.difficulty), _fmt(s.discrimination), s.unanswered,
                             wrong])  # fmt: skip
    return path


def plot(stats: list[ItemStats], title: str, path: Path) -> Path:
    """Difficulty and discrimination of each item as a labelled chart (PNG)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.5))
    ax = fig.add_subplot()
    ax.axhspan(-1, 0.2, color="#f4d7d5", alpha=0.6, label="discrimination below 0.2: review")
    for s in stats:
        x = s.difficulty if s.difficulty is not None else 0.0
        y = s.discrimination if s.discrimination is not None else 0.0
        marker = "o" if s.discrimination is not None else "x"
        ax.plot([x], [y], marker, color="#1f4e99")
        ax.annotate(s.item.var, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("difficulty (share of the points earned; 1 = everybody right)")
    ax.set_ylabel("discrimination (item vs rest-of-quiz r)")
    ax.set_title(f"Item analysis: {title}  (x: the item did not vary)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path


def class_results(course: Path, quiz: Quiz, db_url: str) -> tuple[dict, dict]:
    """Each graded student's item scores (from the gradebook) and literal responses."""
    from nbgrader.api import Gradebook, MissingEntry

    scores: dict[str, dict[str, float]] = {}
    responses: dict[str, dict[str, Any]] = {}
    with Gradebook(db_url) as gb:
        for student in sorted(s.id for s in gb.students):
            try:
                gb.find_submission(quiz.id, student)
            except MissingEntry:
                continue
            scores[student] = {
                item.var: float(gb.find_grade(item.grade_id, quiz.id, quiz.id, student).score)
                for item in quiz.items
            }
            path = course / "submitted" / student / quiz.id / f"{quiz.id}.ipynb"
            notebook = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            responses[student] = answers.responses(notebook, quiz.items)
    return scores, responses
