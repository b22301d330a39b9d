"""A quiz's blueprint: which objective each item assesses, at which level, for how many points.

For every learning objective of the quiz's chapter pages, the blueprint lists the items
that assess it and whether one does so at the level the objective's verb states (or
above). It also gives the share of auto-graded points at apply or above. ``problems``
says what falls short of the course's rules: an objective no item of *any* quiz assesses
at its level, and a quiz with less than 30 % of its auto-graded points at apply or above.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peaceops.bank.levels import APPLIED, objective_level, rank
from peaceops.course import toc
from peaceops.course.pages import plain, read_page
from peaceops.grading.quizzes import Quiz

#: The least share of a quiz's auto-graded points at apply, analyse or evaluate.
MIN_APPLIED_SHARE = 0.30


@dataclass(frozen=True)
class Row:
    """One objective of a chapter and the quiz items that assess it."""

    chapter: str
    number: int
    objective: str
    level: str
    items: tuple[tuple[str, str, int], ...]  # (item variable, item level, points)

    @property
    def met(self) -> bool:
        """Whether an item assesses the objective at its level or above."""
        return any(lvl and rank(lvl) >= rank(self.level) for _, lvl, _ in self.items)


def objectives(root: Path, chapter: str) -> list[tuple[str, str]]:
    """A chapter page's learning objectives with the level each states."""
    path = toc.page_path(root, chapter)
    if path is None:
        return []
    found = []
    for text in read_page(path).objectives():
        try:
            level = objective_level(text)
        except ValueError:
            level = "understand"  # a page whose verb is unknown: checked by the page tests
        found.append((plain(text, root), level))
    return found


def blueprint(root: Path, quiz: Quiz) -> list[Row]:
    """Every objective of the quiz's chapters, with the items that assess it."""
    rows = []
    for chapter in quiz.chapters:
        for number, (text, level) in enumerate(objectives(root, chapter), start=1):
            items = tuple(
                (i.var, i.question.level, i.points)
                for i in quiz.items
                if i.question.chapter == chapter and i.question.objective == number
            )
            rows.append(Row(chapter, number, text, level, items))
    return rows


def applied_share(quiz: Quiz) -> float:
    """The share of the quiz's auto-graded points at apply or above."""
    auto = [i for i in quiz.items if i.question.type != "written"]
    total = sum(i.points for i in auto)
    applied = sum(i.points for i in auto if i.question.level in APPLIED)
    return applied / total if total else 0.0


def problems(root: Path, quizzes: list[Quiz], chapters: list[str]) -> list[str]:
    """What the quizzes, together, fall short of: an objective of ``chapters`` (the chapter
    pages) no graded item assesses at its level; a quiz with too little applying."""
    found = []
    met: dict[tuple[str, int], bool] = {}
    for quiz in quizzes:
        for row in blueprint(root, quiz):
            met[(row.chapter, row.number)] = met.get((row.chapter, row.number), False) or row.met
        share = applied_share(quiz)
        if share < MIN_APPLIED_SHARE:
            found.append(f"{quiz.id}: {share:.0%} of its auto-graded points are at apply or "
                         f"above; at least {MIN_APPLIED_SHARE:.0%} should be")  # fmt: skip
    for chapter in chapters:
        for number, (text, level) in enumerate(objectives(root, chapter), start=1):
            if not met.get((chapter, number)):
                found.append(f"{chapter} objective {number} ('{text[:50]}...', {level}) is "
                             "assessed by no graded item at its level")  # fmt: skip
    return found


def render(root: Path, quiz: Quiz) -> str:
    """The blueprint as a Markdown table, with the applied share under it."""
    lines = [f"**{quiz.title}** ({quiz.points} points)", "",
             "| Objective | Level | Items (level, points) |", "|---|---|---|"]  # fmt: skip
    for row in blueprint(root, quiz):
        stem = row.chapter.rsplit("/", 1)[-1]
        items = ", ".join(f"{v} ({lvl or '?'}, {p})" for v, lvl, p in row.items) or "none"
        mark = "" if row.met else " (not met)"
        lines.append(f"| {stem} {row.number}: {row.objective} | {row.level} | {items}{mark} |")
    written = [i for i in quiz.items if i.question.type == "written"]
    marked = ", ".join(f"{i.var} ({i.points})" for i in written) or "none"
    lines += ["", f"Auto-graded points at apply or above: {applied_share(quiz):.0%}; "
              f"written: {marked}."]  # fmt: skip
    return "\n".join(lines)
