"""The question bank: load ``questions/*.yml`` into one model of a question, and validate it.

Every question the course asks lives once in the bank, with its answer key; widgets,
self-checks and quizzes are generated from it. A malformed entry is refused with its
file and question id, and every problem of the bank is reported at once.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from peaceops.bank.levels import LEVELS
from peaceops.course import toc

BANK_DIR = Path(__file__).resolve().parents[3] / "questions"
#: libyaml's safe loader where it is installed (ten times faster), else the pure one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TYPES = ("single", "multiple", "matching", "ordering", "numeric", "date", "data", "written")
#: Types a machine can mark; a ``written`` answer is marked by a person with its mark scheme.
AUTO_TYPES = TYPES[:-1]
#: What a question is for: the practice material (book, notebooks) or graded quizzes only.
USES = ("practice", "assessment")


@dataclass(frozen=True)
class Criterion:
    """One line of a written question's mark scheme: what earns how many points."""

    points: int
    criterion: str


@dataclass(frozen=True)
class Question:
    """One question of the bank, with its answer key and its explanations."""

    id: str
    chapter: str
    objective: int
    type: str
    prompt: str
    explanation: str
    options: tuple[str, ...] = ()
    answer: Any = None
    feedback: dict[str, str] = field(default_factory=dict)
    pairs: dict[str, str] = field(default_factory=dict)
    distractors: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    tolerance: float = 0.0
    unit: str = ""
    table: str = ""
    where: dict[str, str] = field(default_factory=dict)
    years: tuple[int, ...] = ()
    mark_scheme: tuple[Criterion, ...] = ()
    precision: str = "day"  # a date answer is marked to the day, month or year
    use: str = "practice"  # practice | assessment
    level: str = ""  # remember | understand | apply | analyse | evaluate
    #: A decision point of a scenario: a single choice whose every option, the best one
    #: included, has its consequence in ``feedback``, shown whichever the learner picks.
    decision: bool = False

    @property
    def marks(self) -> int:
        """The points a written answer can earn: the sum of its mark scheme (0 otherwise)."""
        return sum(c.points for c in self.mark_scheme)

    def shuffled_options(self) -> list[str]:
        """The options in an order fixed by the question id (the same on every build)."""
        options = list(self.options)
        random.Random(self.id).shuffle(options)
        return options

    @property
    def correct(self) -> Any:
        """The right answer, in the form a widget compares against."""
        if self.type == "matching":
            return dict(self.pairs)
        if self.type == "ordering":
            return list(self.items)
        if self.type == "multiple":
            return sorted(self.answer)
        return self.answer


@dataclass(frozen=True)
class BankProblem:
    """One thing wrong with the bank, at a file and question id."""

    file: str
    question: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: question '{self.question}': {self.message}"


class BankError(Exception):
    """The bank is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[BankProblem]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the question bank:\n"
            + "\n".join(f"  {p}" for p in problems)
        )


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _problems_of(raw: dict[str, Any], chapter: str, chapters: set[str]) -> list[str]:
    """What is wrong with one raw entry (empty when it is sound)."""
    found: list[str] = []
    kind = raw.get("type")
    if kind not in TYPES:
        return [f"type must be one of {', '.join(TYPES)}, not {kind!r}"]
    if chapters and chapter not in chapters:
        found.append(f"chapter '{chapter}' is not a page of _toc.yml")
    if not _text(raw.get("prompt")):
        found.append("has no prompt")
    if not _text(raw.get("explanation")):
        found.append("has no explanation")
    if not isinstance(raw.get("objective"), int) or raw["objective"] < 1:
        found.append("objective must be the number (1, 2, ...) of a learning objective")
    if raw.get("use") not in USES:
        found.append(f"use must be one of {', '.join(USES)} (what the question is for)")
    if raw.get("level") not in LEVELS:
        found.append(f"level must be one of {', '.join(LEVELS)}, not {raw.get('level')!r}")
    options = [_text(o) for o in raw.get("options") or []]
    answer = raw.get("answer")
    feedback = {_text(k): _text(v) for k, v in (raw.get("feedback") or {}).items()}
    if kind in ("single", "multiple"):
        if len(options) < 2:
            found.append("needs at least two options")
        if len(set(options)) != len(options):
            found.append("has the same option twice")
        if answer is None or answer == []:
            found.append("has no answer")
        answers = answer if isinstance(answer, list) else [answer]
        if kind == "single" and isinstance(answer, list):
            found.append("a single-choice question has one answer, not a list")
        for a in answers:
            if a is not None and _text(a) not in options:
                found.append(f"answer '{a}' is not among its options")
        wrong = [o for o in options if o not in {_text(a) for a in answers}]
        decision = raw.get("decision", False)
        if not isinstance(decision, bool) or (decision and kind != "single"):
            found.append("decision must be true or false, and only a single choice is one")
        needs_feedback = options if kind == "multiple" or decision is True else wrong
        missing = [o for o in needs_feedback if not feedback.get(o)]
        if missing:
            found.append(f"no feedback for option(s): {', '.join(missing)}")
        unknown = [k for k in feedback if k not in options]
        if unknown:
            found.append(f"feedback for option(s) it does not have: {', '.join(unknown)}")
    elif kind == "matching":
        pairs = raw.get("pairs") or {}
        if not isinstance(pairs, dict) or len(pairs) < 3:
            found.append("matching needs 'pairs' with at least three entries")
        elif len({_text(v) for v in pairs.values()}) != len(pairs):
            found.append("two pairs share the same right-hand side")
    elif kind == "ordering":
        items = raw.get("items") or []
        if len(items) < 3:
            found.append("ordering needs at least three 'items'")
        elif len({_text(i) for i in items}) != len(items):
            found.append("has the same item twice")
    elif kind == "numeric":
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            found.append("numeric answer must be a number")
        if not isinstance(raw.get("tolerance", 0), int | float) or raw.get("tolerance", 0) < 0:
            found.append("tolerance must be a number >= 0")
    elif kind == "data":
        found += _data_problems(raw)
    elif kind == "written":
        found += _written_problems(raw)
    elif kind == "date":
        if not isinstance(answer, dt.date) and not re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", _text(answer)
        ):
            found.append("date answer must be an ISO date YYYY-MM-DD")
        tolerance = raw.get("tolerance_days", 0)
        if not isinstance(tolerance, int) or tolerance < 0:
            found.append("tolerance_days must be a whole number >= 0")
        if raw.get("precision", "day") not in ("day", "month", "year"):
            found.append("precision must be day, month or year (what the date is marked to)")
    return found


def _data_problems(raw: dict[str, Any]) -> list[str]:
    """A data question names a course table, existing columns and a span of years."""
    from peaceops.data import COLUMNS  # the tables' columns, without loading pandas data

    table = raw.get("table")
    if table not in COLUMNS:
        return [f"table must be one of {', '.join(COLUMNS)}, not {table!r}"]
    found = []
    where = raw.get("where") or {}
    if not isinstance(where, dict):
        return ["'where' must map columns to values"]
    unknown = [c for c in where if c not in COLUMNS[table]]
    if unknown:
        found.append(f"'where' names column(s) {table} does not have: {', '.join(unknown)}")
    years = raw.get("years")
    if years is not None and not (
        isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)
        and years[0] <= years[1]
    ):  # fmt: skip
        found.append("'years' must be [first, last], two whole years in order")
    if raw.get("answer") is not None:
        found.append("a data question has no 'answer': the table itself is the answer key")
    return found


def _written_problems(raw: dict[str, Any]) -> list[str]:
    """A written question has a model answer (its explanation) and a mark scheme."""
    scheme = raw.get("mark_scheme")
    if not isinstance(scheme, list) or not scheme:
        return ["a written question needs a 'mark_scheme': a list of points and criterion"]
    found = []
    for number, line in enumerate(scheme, start=1):
        if not isinstance(line, dict) or not _text(line.get("criterion")):
            found.append(f"mark_scheme line {number} needs a 'criterion'")
        points = line.get("points") if isinstance(line, dict) else None
        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            found.append(f"mark_scheme line {number}: points must be a whole number >= 1")
    if raw.get("answer") is not None:
        found.append("a written question has no 'answer': its explanation is the model answer")
    return found


def _build(raw: dict[str, Any], chapter: str) -> Question:
    kind = raw["type"]
    answer = raw.get("answer")
    if kind == "single":
        answer = _text(answer)
    elif kind == "multiple":
        answer = [_text(a) for a in answer]
    elif kind == "date":
        answer = answer.isoformat() if isinstance(answer, dt.date) else _text(answer)
    elif kind == "numeric":
        answer = float(answer)
    return Question(
        id=_text(raw["id"]),
        chapter=chapter,
        objective=raw["objective"],
        type=kind,
        prompt=_text(raw["prompt"]),
        explanation=_text(raw["explanation"]),
        options=tuple(_text(o) for o in raw.get("options") or []),
        answer=answer,
        feedback={_text(k): _text(v) for k, v in (raw.get("feedback") or {}).items()},
        pairs={_text(k): _text(v) for k, v in (raw.get("pairs") or {}).items()},
        distractors=tuple(_text(d) for d in raw.get("distractors") or []),
        items=tuple(_text(i) for i in raw.get("items") or []),
        tolerance=float(raw.get("tolerance_days", raw.get("tolerance", 0)) or 0),
        unit=_text(raw.get("unit")),
        table=_text(raw.get("table")),
        where={_text(k): _text(v) for k, v in (raw.get("where") or {}).items()},
        years=tuple(raw.get("years") or ()),
        mark_scheme=tuple(
            Criterion(int(line["points"]), _text(line["criterion"]))
            for line in raw.get("mark_scheme") or []
        ),
        precision=_text(raw.get("precision")) or "day",
        use=_text(raw.get("use")),
        level=_text(raw.get("level")),
        decision=raw.get("decision") is True,
    )


def _toc_chapters(root: Path) -> set[str]:
    try:
        return set(toc.toc_files(root))
    except toc.BuildError:
        return set()


def load_bank(bank_dir: Path | None = None, root: Path | None = None) -> list[Question]:
    """Load and validate the practice bank (``questions/*.yml``); raise BankError with every
    problem at once. Every question there must be ``use: practice``."""
    bank_dir = bank_dir or BANK_DIR
    return load_folder(bank_dir, root or bank_dir.parent, "practice")


def load_pool(folders: list[Path], root: Path, known: set[str] = frozenset()) -> list[Question]:
    """Load assessment pools (``questions/assessment/``, an instructor's private folder):
    every question must be ``use: assessment`` and have an id no other question has."""
    questions: list[Question] = []
    problems: list[BankProblem] = []
    seen = set(known)
    for folder in folders:
        if not folder.is_dir():
            why = "no such folder: give the path of a folder of assessment question files"
            problems.append(BankProblem(str(folder), "-", why))
            continue
        try:
            found = load_folder(folder, root, "assessment")
        except BankError as err:
            problems += err.problems
            continue
        for question in found:
            if question.id in seen:
                problems.append(BankProblem(str(folder), question.id,
                                            "an id another question already has"))  # fmt: skip
            seen.add(question.id)
            questions.append(question)
    if problems:
        raise BankError(problems)
    return questions


def load_folder(folder: Path, root: Path, use: str) -> list[Question]:
    """Every question file of one folder, validated; all of them must be for ``use``."""
    chapters = _toc_chapters(root)
    questions: list[Question] = []
    problems: list[BankProblem] = []
    seen: dict[str, str] = {}
    files = sorted(p for p in folder.glob("*.yml") if p.name != "quizzes.yml")
    if not files:
        raise BankError([BankProblem(str(folder), "-", "no question files (*.yml)")])
    for path in files:
        name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            problems.append(BankProblem(name, "-", f"not valid YAML{where}: {err}"))
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
            problems.append(BankProblem(name, "-", "needs 'chapter:' and a 'questions:' list"))
            continue
        chapter = _text(doc.get("chapter"))
        for index, raw in enumerate(doc["questions"], start=1):
            qid = _text(raw.get("id")) if isinstance(raw, dict) else ""
            label = qid or f"#{index} (no id)"
            if not isinstance(raw, dict) or not qid:
                problems.append(BankProblem(name, label, "every question needs an 'id'"))
                continue
            if qid in seen:
                problems.append(BankProblem(name, qid, f"duplicate id (also in {seen[qid]})"))
                continue
            seen[qid] = name
            found = _problems_of(raw, chapter, chapters)
            if raw.get("use") in USES and raw.get("use") != use:
                where = "questions/assessment/ or a private pool" if use == "practice" else (
                    "questions/*.yml")  # fmt: skip
                found.append(f"is use: {raw.get('use')}, which belongs in {where}")
            problems += [BankProblem(name, qid, message) for message in found]
            if not found:
                questions.append(_build(raw, chapter))
    if problems:
        raise BankError(problems)
    return questions


def by_chapter(questions: list[Question]) -> dict[str, list[Question]]:
    """Questions grouped by chapter, in bank order."""
    grouped: dict[str, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.chapter, []).append(question)
    return grouped


POOL_DIR = BANK_DIR / "assessment"
