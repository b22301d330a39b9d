"""The bank for other quiz engines: one neutral item per question, and the type mapping.

Each bank question becomes one :class:`Item` of a small set of kinds every target
format has (one choice, several choices, matching, ordering, a number, a short text, an
essay); ``moodle.py``, ``gift.py`` and ``qti.py`` only write items, so every format maps
a bank type the same way. :data:`MAPPINGS` is that mapping, printed by ``peaceops bank
export`` and copied into ``questions/lms-export.md`` (a test keeps the copy current).

Texts stay plain here; :func:`to_html` turns one into the HTML the formats carry.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from peaceops.bank import Criterion, Question
from peaceops.bank.dates import precision_note

#: A day-precision date with a tolerance of up to this many days lists every accepted
#: date as an answer; a wider tolerance keeps only the exact date (and says so).
MAX_LISTED_DAYS = 7
#: How ordering questions go to Moodle: its own ``ordering`` type (core since Moodle
#: 4.4, a plugin before) or ``matching`` (item -> position) for older sites.
ORDERING = ("native", "matching")


@dataclass(frozen=True)
class Mapping:
    """How one kind of bank question is written in each format."""

    moodle: str
    gift: str
    canvas: str
    note: str


#: Bank kind (a type, or a type and variant) -> how each format asks it.
MAPPINGS: dict[str, Mapping] = {
    "single": Mapping(
        "multichoice, single",
        "{=right ~wrong#feedback}",
        "multiple_choice_question",
        "per-option feedback; the explanation is the general feedback",
    ),
    "decision": Mapping(
        "multichoice, single",
        "{=best#consequence ~other#consequence}",
        "multiple_choice_question",
        "every option's consequence is its feedback, the best one included",
    ),
    "multiple": Mapping(
        "multichoice, multiple",
        "{~%50%right ~%-50%wrong}",
        "multiple_answers_question",
        "right options share +100 %, wrong ones -100 %; feedback on each",
    ),
    "matching": Mapping(
        "match",
        "{=left -> right}",
        "matching_question",
        "distractors are extra answers (an empty left side)",
    ),
    "ordering": Mapping(
        "ordering (or match)",
        "{=item -> Position 1}",
        "matching_question",
        "Moodle XML: the ordering type, core since Moodle 4.4 (a plugin "
        "before; --ordering matching for older sites); GIFT and Canvas: "
        "matching, item -> position (GIFT's ordering syntax has no feedback)",
    ),
    "numeric": Mapping(
        "numerical",
        "{#answer:tolerance}",
        "numerical_question",
        "absolute tolerance; the unit is named in the question text",
    ),
    "date-year": Mapping(
        "numerical", "{#year:0}", "numerical_question", "marked to the year: the answer is the year"
    ),
    "date-month": Mapping(
        "shortanswer",
        "{=YYYY-MM-*}",
        "short_answer_question",
        "marked to the month: Moodle's wildcard takes any day; Canvas lists every day of the month",
    ),
    "date-day": Mapping(
        "shortanswer",
        "{=YYYY-MM-DD}",
        "short_answer_question",
        f"every date within the tolerance (up to {MAX_LISTED_DAYS} days) "
        "is an answer; a wider tolerance keeps the exact date and says so",
    ),
    "data": Mapping(
        "numerical",
        "{#count:0}",
        "numerical_question",
        "the count of matching rows, computed from data/; the table is named",
    ),
    "written": Mapping(
        "essay (graderinfo = mark scheme)",
        "{####model answer}",
        "essay_question",
        "points = the mark scheme's total (GIFT cannot carry a mark: set it after "
        "import); GIFT and Canvas have no grader field, so the mark scheme follows the "
        "model answer in the general feedback",
    ),
}


@dataclass(frozen=True)
class Choice:
    """One option of a choice item: its share of the marks (-1..1) and its feedback."""

    text: str
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class Item:
    """One bank question as every quiz engine can ask it."""

    id: str
    chapter: str  # the chapter's slug, e.g. "balkans"
    source: str  # the key of MAPPINGS it comes from
    kind: str  # choice | choices | matching | ordering | numerical | shortanswer | essay
    prompt: str
    explanation: str
    points: int = 1
    choices: tuple[Choice, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    distractors: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # an ordering, in the right order
    number: float = 0.0
    tolerance: float = 0.0
    accepted: tuple[str, ...] = ()  # every accepted short answer, spelt out
    pattern: str = ""  # the same as one Moodle wildcard answer ("2000-02-*"), if any
    scheme: tuple[Criterion, ...] = ()
    objective: int = 0
    level: str = ""
    note: str = ""  # what did not carry over exactly (for the summary)

    @property
    def feedback_text(self) -> str:
        """The general feedback: the explanation, and for an essay its mark scheme."""
        if not self.scheme:
            return self.explanation
        return f"{self.explanation}\n\n{scheme_text(self.scheme)}"


def scheme_text(scheme: tuple[Criterion, ...]) -> str:
    """A mark scheme as text, one criterion a line."""
    total = sum(c.points for c in scheme)
    lines = [f"Mark scheme ({total} points):"]
    lines += [f"- {c.points} point{'s' if c.points != 1 else ''}: {c.criterion}" for c in scheme]
    return "\n".join(lines)


def to_html(text: str, inline: bool = False) -> str:
    """Plain text as HTML: escaped, a paragraph per blank-line block, lines kept
    (``inline``: no paragraphs, for an option or an item)."""
    if inline:
        return "<br>".join(html.escape(line, quote=False) for line in text.strip().split("\n"))
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    return "".join(
        "<p>"
        + "<br>".join(html.escape(line, quote=False) for line in b.strip().split("\n"))
        + "</p>"
        for b in blocks
    )


def number_text(value: float) -> str:
    """A number as the formats write it: ``1410``, ``2.5``, never an exponent."""
    if value == int(value):
        return str(int(value))
    return format(value, "f").rstrip("0").rstrip(".")


def slug(chapter: str) -> str:
    """The chapter's slug: ``balkans`` for ``book/case-studies/balkans``."""
    return chapter.rstrip("/").rsplit("/", 1)[-1]


def source_of(question: Question) -> str:
    """The key of :data:`MAPPINGS` for a question."""
    if question.type == "single" and question.decision:
        return "decision"
    if question.type == "date":
        return f"date-{question.precision}"
    return question.type


def _dated(question: Question) -> dict[str, Any]:
    answer = dt.date.fromisoformat(question.answer)
    if question.precision == "year":
        return {"kind": "numerical", "number": float(answer.year),
                "prompt": "Answer with the year only, as four digits."}  # fmt: skip
    if question.precision == "month":
        first = answer.replace(day=1)
        days = [first + dt.timedelta(days=n) for n in range(31)]
        return {"kind": "shortanswer", "pattern": answer.strftime("%Y-%m-*"),
                "accepted": tuple(d.isoformat() for d in days if d.month == answer.month),
                "prompt": f"Type the date as YYYY-MM-DD. {precision_note(question)}"}  # fmt: skip
    days = int(question.tolerance)
    if days <= MAX_LISTED_DAYS:
        span = range(-days, days + 1)
        accepted = tuple((answer + dt.timedelta(days=n)).isoformat() for n in span)
        off = f" A date up to {days} day{'s' if days != 1 else ''} off is right." if days else ""
        return {"kind": "shortanswer", "accepted": accepted,
                "prompt": f"Type the date as YYYY-MM-DD.{off}"}  # fmt: skip
    return {
        "kind": "shortanswer",
        "accepted": (answer.isoformat(),),
        "prompt": "Type the date as YYYY-MM-DD.",
        "note": f"tolerance of {days} days not carried: only the exact date is right",
    }


def item_of(question: Question, tables: Any = None) -> Item:
    """The item that asks ``question`` (``tables``: the course tables, for data questions)."""
    base: dict[str, Any] = {
        "id": question.id, "chapter": slug(question.chapter), "source": source_of(question),
        "prompt": question.prompt, "explanation": question.explanation,
        "objective": question.objective, "level": question.level,
    }  # fmt: skip
    kind = question.type
    if kind == "single":
        choices = tuple(Choice(o, 1.0 if o == question.answer else 0.0,
                               question.feedback.get(o, "")) for o in question.options)  # fmt: skip
        return Item(kind="choice", choices=choices, **base)
    if kind == "multiple":
        right = set(question.answer)
        wrong = len(question.options) - len(right)
        choices = tuple(Choice(o, 1 / len(right) if o in right else -1 / max(wrong, 1),
                               question.feedback.get(o, "")) for o in question.options)  # fmt: skip
        return Item(kind="choices", choices=choices, **base)
    if kind == "matching":
        return Item(kind="matching", pairs=tuple(question.pairs.items()),
                    distractors=question.distractors, **base)  # fmt: skip
    if kind == "ordering":
        return Item(kind="ordering", items=question.items, **base)
    if kind == "numeric":
        if question.unit:
            base["prompt"] += f"\n\nAnswer in {question.unit}: type the number only."
        return Item(kind="numerical", number=float(question.answer),
                    tolerance=question.tolerance, **base)  # fmt: skip
    if kind == "data":
        from peaceops import data

        rows = data.select_rows(tables if tables is not None else data.load_all(),
                                question.table, question.where, question.years)  # fmt: skip
        base["prompt"] += (
            f"\n\nThe course table: {question.table} (data/{question.table}.csv, "
            "also explored on the chapter's exercise page). Type the number only."
        )
        return Item(kind="numerical", number=float(len(rows)), **base)
    if kind == "date":
        dated = _dated(question)
        base["prompt"] += "\n\n" + dated.pop("prompt")
        return Item(**base, **dated)
    return Item(kind="essay", points=question.marks, scheme=question.mark_scheme, **base)


def items_of(questions: list[Question]) -> list[Item]:
    """Every question as an item, in bank order (the course tables loaded only if needed)."""
    tables = None
    if any(q.type == "data" for q in questions):
        from peaceops import data

        tables = data.load_all()
    return [item_of(q, tables) for q in questions]


def as_matching(item: Item) -> Item:
    """An ordering item asked as matching: each item -> its position (1 = first)."""
    pairs = tuple((text, position(n)) for n, text in enumerate(item.items, start=1))
    return replace(item, kind="matching", pairs=pairs, items=())


def position(n: int) -> str:
    """The label of a position in an ordering asked as matching."""
    return f"Position {n}"


def chapters(items: list[Item]) -> dict[str, list[Item]]:
    """Items grouped by chapter slug, in bank order."""
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.chapter, []).append(item)
    return grouped


def summary(items: list[Item]) -> list[str]:
    """The mapping, with how many questions each line applies to, and what did not carry."""
    counts = Counter(item.source for item in items)
    row = "{:11} {:>4}  {:33} {:40} {}"
    lines = [row.format("bank type", "n", "Moodle XML", "GIFT", "Canvas QTI")]
    for source, m in MAPPINGS.items():
        if counts[source]:
            lines.append(row.format(source, counts[source], m.moodle, m.gift, m.canvas).rstrip())
    lines += [f"note: {item.id}: {item.note}" for item in items if item.note]
    return lines


def mapping_table() -> str:
    """The mapping as a Markdown table (the one in ``questions/lms-export.md``)."""
    rows = ["| bank type | Moodle XML | GIFT | Canvas (QTI 1.2) | how |",
            "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for source, m in MAPPINGS.items():
        gift = m.gift.replace("|", "\\|")
        rows.append(f"| `{source}` | {m.moodle} | `{gift}` | `{m.canvas}` | {m.note} |")
    return "\n".join(rows) + "\n"


def write_text(path: Path, text: str) -> Path:
    """Write a UTF-8 file, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
