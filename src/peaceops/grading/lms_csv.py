"""Grades as the CSV file an LMS gradebook imports: Canvas or Moodle.

Where the columns come from (checked against each LMS's own documentation and importer):

- **Canvas** (Grades > Import): the importer (``lib/gradebook_importer.rb`` of
  ``instructure/canvas-lms``) reads a header row whose first columns are ``Student``,
  ``ID``, then optionally ``SIS User ID`` and ``SIS Login ID``, and ends the student
  columns with ``Section``; each further column is an assignment, named
  ``Title (assignment id)`` (a title without an id is matched by title, or becomes a new
  assignment). A row whose first cell contains ``Points Possible`` gives each column's
  points. A student is found by ``ID`` (Canvas's user id), then by ``SIS User ID``, then by
  ``SIS Login ID``, then by name. An empty cell is "no score" (never 0).
- **Moodle** (Grades > Import > CSV file, docs.moodle.org "Grade import"; importer
  ``grade/import/csv/classes/load_data.php``): any columns; the teacher maps one column to
  the user's id number, username or email address ("Map from" / "Map to"), each grade
  column to a grade item (or a new one), and a feedback column to an item's feedback. A
  grade of ``-`` is "no grade" both for existing and new grade items (an empty cell is "no
  grade" only for an existing item), so Moodle files write ``-``. Moodle's own export names
  the feedback column ``<item> (Feedback)``; we do the same. Every row must name a user
  Moodle knows, or Moodle refuses the whole file: a row with no student id is left out.

Student identity is nbgrader's student id (and the name, email and LMS user id when the
gradebook has them). Only a graded submission gets a score: a student with no graded
submission (none, rejected, not yet autograded, written answers still to mark) gets an
empty cell, and :class:`Export` lists each one with the reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from peaceops.grading import results
from peaceops.grading.quizzes import Quiz
from peaceops.grading.workflow import GradingError, check_gradebook, course_dir, db_url, quiz

FORMATS = ("canvas", "moodle")
#: What column the nbgrader student id goes to: the LMS login (username) or the
#: institution's student number (Canvas: SIS User ID; Moodle: ID number).
ID_KINDS = ("login", "sis")
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ID_COLUMN = {"login": "Username", "sis": "ID number"}
MOODLE_NO_GRADE = "-"


@dataclass
class Export:
    """What an LMS export wrote: the file, the students with a score, and the rest."""

    path: Path
    fmt: str
    scored: int = 0
    empty: list[tuple[str, str]] = field(default_factory=list)  # (student, why no score)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # not in the file at all


@dataclass
class _Person:
    first: str = ""
    last: str = ""
    email: str = ""
    lms_id: str = ""


def _people(root: Path) -> dict[str, _Person]:
    """Names, emails and LMS user ids the gradebook holds, by nbgrader student id."""
    from nbgrader.api import Gradebook

    check_gradebook(root)
    with Gradebook(db_url(root)) as gb:
        return {s.id: _Person(s.first_name or "", s.last_name or "", s.email or "",
                              s.lms_user_id or "") for s in gb.students}  # fmt: skip


def column_title(quiz_obj: Quiz, assignment_id: str | None = None) -> str:
    """The quiz's grade column: its title, with the LMS's assignment id if given."""
    return f"{quiz_obj.title} ({assignment_id})" if assignment_id else quiz_obj.title


def item_title(quiz_obj: Quiz, var: str) -> str:
    """One question's column (``--per-question``): ``<quiz id> q01``."""
    return f"{quiz_obj.id} {var}"


def _why(row: dict[str, str]) -> str:
    notes = row.get("notes", "")
    return f"{row['status']}: {notes}" if notes else row["status"]


def write(
    rows: list[dict[str, str]],
    quiz_obj: Quiz,
    people: dict[str, _Person],
    out: Path,
    fmt: str,
    per_question: bool = False,
    id_kind: str = "login",
    assignment_id: str | None = None,
) -> Export:
    """Write the grade rows of :func:`results.grade_rows` as ``fmt``'s import CSV."""
    if fmt not in FORMATS:
        raise GradingError(f"no LMS format '{fmt}': choose one of {', '.join(FORMATS)}")
    if id_kind not in ID_KINDS:
        raise GradingError(f"no student id kind '{id_kind}': choose one of {', '.join(ID_KINDS)}")
    if assignment_id is not None and not assignment_id.isdigit():
        raise GradingError(f"a Canvas assignment id is a number, not '{assignment_id}'")
    export = Export(out, fmt)
    items = list(quiz_obj.items) if per_question else []
    grade_col = column_title(quiz_obj, assignment_id if fmt == "canvas" else None)
    item_cols = [item_title(quiz_obj, i.var) for i in items]
    no_grade = MOODLE_NO_GRADE if fmt == "moodle" else ""
    if fmt == "canvas":
        header = [*CANVAS_STUDENT_COLUMNS, grade_col, *item_cols]
        points = ["Points Possible", *[""] * (len(CANVAS_STUDENT_COLUMNS) - 1),
                  f"{quiz_obj.points:g}", *[f"{i.points:g}" for i in items]]  # fmt: skip
        lines = [header, points]
    else:
        feedback_col = f"{grade_col} (Feedback)"
        header = ["First name", "Last name", MOODLE_ID_COLUMN[id_kind], "Email address",
                  grade_col, feedback_col, *item_cols]  # fmt: skip
        lines = [header]
    seen: set[str] = set()
    for row in rows:
        student = row["student"]
        if student == "(unknown)" or not student:
            export.left_out.append((row.get("notes", "") or "(no student id)", _why(row)))
            continue
        if student in seen:  # one row per student: the first (the gradebook's) wins
            continue
        seen.add(student)
        graded = row.get("status") == "graded"
        if graded:
            export.scored += 1
        else:
            export.empty.append((student, _why(row)))
        score = row["score"] if graded else no_grade
        per_item = [(row.get(i.var) or no_grade) if graded else no_grade for i in items]
        who = people.get(student, _Person())
        if fmt == "canvas":
            name = f"{who.last}, {who.first}" if who.last and who.first else student
            login, sis = (student, "") if id_kind == "login" else ("", student)
            # Canvas's own user id only if it is one: Canvas reads the ID column as a number
            # (an LTI user id like "535fa0..." would be read as user 535).
            canvas_id = who.lms_id if who.lms_id.isdigit() else ""
            lines.append([name, canvas_id, sis, login, "", score, *per_item])
        else:
            feedback = "" if graded else _why(row)
            lines.append([who.first, who.last, student, who.email, score, feedback, *per_item])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(lines)
    return export


def read(path: Path, fmt: str) -> dict[str, dict[str, str]]:
    """Read an export back (for tests and checks): by student id, each column's value,
    an LMS's "no grade" as an empty string."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    if fmt == "canvas":
        body = [r for r in body if "Points Possible" not in r[0]]
        key = [header.index("SIS Login ID"), header.index("SIS User ID")]
    else:
        key = [header.index(MOODLE_ID_COLUMN["login"] if "Username" in header
                            else MOODLE_ID_COLUMN["sis"])]  # fmt: skip
    found = {}
    for r in body:
        student = next(r[k] for k in key if r[k])
        found[student] = {h: ("" if v == MOODLE_NO_GRADE and fmt == "moodle" else v)
                          for h, v in zip(header, r, strict=True)}  # fmt: skip
    return found


def export(
    root: Path,
    quiz_id: str,
    fmt: str,
    out: Path | None = None,
    per_question: bool = False,
    id_kind: str = "login",
    assignment_id: str | None = None,
) -> Export:
    """Write a quiz's grades as ``fmt``'s gradebook CSV (``reports/<quiz>-<fmt>.csv``)."""
    quiz_obj = quiz(root, quiz_id)
    rows = results.grade_rows(root, quiz_obj)
    out = out or course_dir(root) / "reports" / f"{quiz_id}-{fmt}.csv"
    return write(rows, quiz_obj, _people(root), out, fmt, per_question, id_kind, assignment_id)
