"""Item analysis of a graded quiz: how hard each item was, how well it told strong
students from weak ones, and which wrong answers were chosen how often.

- **difficulty**: the mean share of the item's points the class earned (1.0: everybody
  right; classical test theory's *p*);
- **discrimination**: the correlation between the item's score and the student's score
  on the *rest* of the quiz (the corrected item-total correlation); below about 0.2 an
  item separates strong from weak students poorly, and a negative value usually means a
  wrong key or a misleading question;
- **wrong answers**: for a choice item, how many students chose each wrong option; for
  the other kinds, the most frequent wrong responses;
- **flags**: *too easy* (difficulty above 0.90: it tells nobody apart), *too hard* (below
  0.30: check the key and the teaching), *negative discrimination* (stronger students did
  worse on it: check the key first). With fewer than 30 students these figures move a
  lot from class to class; the report says so.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peaceops.grading import answers
from peaceops.grading.items import QuizItem, choice_options, key
from peaceops.grading.quizzes import Quiz

#: Thresholds of the flags, and the class size below which the figures are only indicative.
TOO_EASY, TOO_HARD, MIN_CLASS = 0.90, 0.30, 30


@dataclass(frozen=True)
class ItemStats:
    """The statistics of one item."""

    item: QuizItem
    n: int
    difficulty: float | None
    discrimination: float | None
    unanswered: int
    wrong: list[tuple[str, int]]

    @property
    def flags(self) -> list[str]:
        """What an instructor should look at in this item."""
        found = []
        if self.difficulty is not None and self.difficulty > TOO_EASY:
            found.append("too easy")
        if self.difficulty is not None and self.difficulty < TOO_HARD:
            found.append("too hard")
        if self.discrimination is not None and self.discrimination < 0:
            found.append("negative discrimination")
        return found


def class_warning(stats: list[ItemStats]) -> str | None:
    """A warning when the class is too small for the figures to mean much."""
    students = max((s.n for s in stats), default=0)
    if students >= MIN_CLASS:
        return None
    return (f"only {students} students: with fewer than {MIN_CLASS} the difficulty and "
            "discrimination of an item change a lot from one class to the next; read the "
            "flags as hints, not verdicts")  # fmt: skip


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

    ``scores`` maps student -> item variable -> points earned (an item not marked yet is
    absent); ``responses`` maps
    student -> item variable -> the literal answer (see ``answers.responses``);
    ``data_counts`` maps a pandas item's variable to its right count.
    """
    students = sorted(scores)
    totals = {s: sum(scores[s].values()) for s in students}
    stats = []
    for item in quiz.items:
        # a written answer not marked yet has no score: it is left out, not counted as 0
        marked = [s for s in students if item.var in scores[s]]
        earned = [scores[s][item.var] for s in marked]
        rest = [totals[s] - e for s, e in zip(marked, earned, strict=True)]
        given = [responses.get(s, {}).get(item.var) for s in marked]
        count = (data_counts or {}).get(item.var)
        written = item.question.type == "written"
        stats.append(
            ItemStats(
                item=item,
                n=len(marked),
                difficulty=sum(earned) / (item.points * len(marked)) if marked else None,
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
                         "discrimination", "flags", "unanswered", "wrong_answers"])  # fmt: skip
        for s in stats:
            wrong = "; ".join(f"{answer} (x{n})" for answer, n in s.wrong)
            writer.writerow([s.item.var, s.item.question.id, s.item.question.type, s.item.points,
                             s.n, _fmt(s.difficulty), _fmt(s.discrimination), "; ".join(s.flags),
                             s.unanswered, wrong])  # fmt: skip
    return path


def plot(stats: list[ItemStats], title: str, path: Path) -> Path:
    """Difficulty and discrimination of each item, side by side, as a PNG chart."""
    from matplotlib.figure import Figure

    labels = [f"{s.item.var} {s.item.question.type}" for s in stats]
    rows = list(range(len(stats)))
    fig = Figure(figsize=(9, 1.2 + 0.32 * len(stats)))
    easy, sharp = fig.subplots(1, 2, sharey=True)
    easy.barh(rows, [s.difficulty or 0 for s in stats], color="#1f4e99")
    easy.set_xlim(0, 1)
    easy.set_xlabel("difficulty: share of the points earned")
    easy.set_yticks(rows, labels, fontsize=8)
    easy.invert_yaxis()
    values = [s.discrimination for s in stats]
    colours = ["#b3261e" if v is not None and v < 0.2 else "#1b7f3b" for v in values]
    sharp.barh(rows, [v or 0 for v in values], color=colours)
    sharp.axvline(0.2, color="#8a6d00", linestyle="--", linewidth=1)
    sharp.set_xlim(-1, 1)
    sharp.set_xlabel("discrimination (red: below 0.2, review)")
    for row, value in zip(rows, values, strict=True):
        if value is None:
            sharp.annotate("did not vary", (0.02, row), va="center", fontsize=7)
    students = max((s.n for s in stats), default=0)
    small = " - too few for firm figures" if class_warning(stats) else ""
    fig.suptitle(f"Item analysis: {title} ({students} students{small})", fontsize=10)
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
            grades = {
                i.var: gb.find_grade(i.grade_id, quiz.id, quiz.id, student) for i in quiz.items
            }
            scores[student] = {
                var: float(grade.score) for var, grade in grades.items()
                if not grade.needs_manual_grade
            }  # fmt: skip
            path = course / "submitted" / student / quiz.id / f"{quiz.id}.ipynb"
            notebook = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            responses[student] = answers.responses(notebook, quiz.items)
    return scores, responses
