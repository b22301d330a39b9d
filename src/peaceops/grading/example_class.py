"""A small example class, to try the instructor's workflow before a real one.

``peaceops quiz example-class QUIZ`` writes an LMS-style zip of six fictional
submissions made from the released quiz: a perfect one, a half-finished one, a blank
one, one with every answer wrong, one with alternate answers right, and a file that is
not a notebook. The Instructor guide of the book walks through grading it; the tests
grade it too, so the guide's numbers are checked.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from peaceops.grading.items import QuizItem, answer_source, choice_options, key
from peaceops.grading.quizzes import Quiz

#: Who is in the class and how each answered: "right", "wrong", "blank" or the number of
#: leading items answered right (the rest left blank), or "alternate" (odd items right).
STUDENTS = {
    "amira": "right",
    "ben": 6,
    "chen": "blank",
    "eli": "wrong",
    "fay": "alternate",
}
#: A file that is not a notebook, as LMS downloads sometimes hold.
BROKEN = "dora"


def right_answer(item: QuizItem) -> str:
    """The instructor's answer as a student would type it."""
    return "\n".join(line for line in answer_source(item).splitlines() if "###" not in line)


def wrong_answer(item: QuizItem, count: int | None = None) -> str:
    """A well-formed wrong answer (the first wrong option, a reversed order, ...)."""
    q, var = item.question, item.var
    right = key(q)
    if q.type == "single":
        return f"{var} = {next(k for k in choice_options(q) if k != right)!r}"
    if q.type == "multiple":
        return f"{var} = {[next(k for k in choice_options(q) if k not in right)]!r}"
    if q.type == "matching":
        return f"{var} = { ({n: 'A' for n in right})!r}"
    if q.type == "ordering":
        return f"{var} = {list(reversed(right))!r}"
    if q.type == "numeric":
        return f"{var} = {q.answer + q.tolerance + 100:g}"
    if q.type == "date":
        return f'{var} = "1900-01-01"'
    if count is None:
        raise ValueError(f"{item.var}: a wrong count needs the right one")
    return f"{var} = {count + 1}"


def answers_of(quiz: Quiz, how: str | int, counts: dict[str, int]) -> dict[str, str]:
    """A student's answer cells, by item variable, for one way of answering."""
    auto = [i for i in quiz.items if i.question.type != "written"]
    chosen: dict[str, str] = {}
    for position, item in enumerate(auto, start=1):
        if how == "right" or (isinstance(how, int) and position <= how):
            chosen[item.var] = right_answer(item)
        elif how == "wrong" or (how == "alternate" and position % 2 == 0):
            chosen[item.var] = wrong_answer(item, counts.get(item.var))
        elif how == "alternate":
            chosen[item.var] = right_answer(item)
    return chosen


def fill(released: dict, answers: dict[str, str]) -> dict:
    """A copy of the released notebook with the given answer cells."""
    notebook = json.loads(json.dumps(released))
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("-answer") and grade_id.split("-")[0] in answers:
            cell["source"] = answers[grade_id.split("-")[0]]
    return notebook


def write_zip(quiz: Quiz, released: Path, out: Path, counts: dict[str, int]) -> Path:
    """Write the example class's submissions as an LMS download (Canvas-style names)."""
    notebook = json.loads(released.read_text(encoding="utf-8"))
    with zipfile.ZipFile(out, "w") as archive:
        for number, (student, how) in enumerate(STUDENTS.items(), start=4401):
            filled = fill(notebook, answers_of(quiz, how, counts))
            archive.writestr(f"{student}_{number}_{quiz.id}.ipynb", json.dumps(filled, indent=1))
        archive.writestr(f"{BROKEN}_4499_{quiz.id}.ipynb", "this upload is not a notebook")
    return out


#: The written marks the Instructor guide gives the example class.
GUIDE_MARKS = {"amira": 5, "ben": 3, "chen": 0, "eli": 1, "fay": 4}
GUIDE_COMMENT = "Good use of the three problems; say which outcome you mean."


def run_guide_example(root: Path, quiz_id: str = "case_studies") -> tuple[list[dict], str]:
    """Grade the example class in a fresh copy of the course, as the Instructor guide does.

    Returns the exported grade rows and the item-analysis CSV: the numbers the guide
    shows. Used by the tests and by ``python -m peaceops.grading.example_class`` (which prints the
    guide's two tables, to paste after a change to the quiz or the bank).
    """
    import csv
    import tempfile

    from peaceops.grading import autograde, collect, quizzes, results, workflow

    with tempfile.TemporaryDirectory() as tmp:
        course = workflow.copy_course(root, Path(tmp) / "course")
        quiz = workflow.quiz(course, quiz_id)
        workflow.release(course, quiz_id)
        counts = quizzes.data_counts(quiz)
        released = workflow.course_dir(course) / "release" / quiz_id / f"{quiz_id}.ipynb"
        download = write_zip(quiz, released, Path(tmp) / "lms.zip", counts)
        collect.collect_zip(workflow.course_dir(course), quiz_id, download, title=quiz.title)
        autograde.autograde(course, quiz_id)
        written = next(i for i in quiz.items if i.question.type == "written")
        for student, points in GUIDE_MARKS.items():
            comment = GUIDE_COMMENT if student == "amira" else ""
            results.mark(course, quiz_id, student, written.var, points, comment)
        exported = results.export(course, quiz_id)
        with exported.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        table, _, _ = results.analyse_items(course, quiz_id)
        return rows, table.read_text(encoding="utf-8")


GUIDE = Path("book") / "reference" / "instructor-guide.md"


def guide_tables(rows: list[dict], items: str) -> tuple[str, str]:
    """The guide's grade table (Markdown) and item analysis (a ``text`` block)."""
    grades = "| Student | Score | Of | Status |\n|---|---|---|---|\n" + "".join(
        f"| {r['student']} | {r['score']} | {r['max_score']} | {r['status']} |\n" for r in rows
    )
    return grades, "```text\n" + items.strip() + "\n```\n"


def write_guide(root: Path, rows: list[dict], items: str) -> Path:
    """Put a real run's two tables into the Instructor guide, in place of the old ones."""
    import re

    path = root / GUIDE
    text = path.read_text(encoding="utf-8")
    grades, analysis = guide_tables(rows, items)
    text, n = re.subn(r"\| Student \| Score \| Of \| Status \|\n(?:\|.*\|\n)+", grades, text)
    text, m = re.subn(r"```text\nitem,question_id.*?```\n", lambda _: analysis, text, flags=re.S)
    if (n, m) != (1, 1):
        raise ValueError(f"{path}: expected one grade table and one item table")
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    """Print the guide's two tables for the example class; ``--write`` puts them in the guide."""
    import sys

    from peaceops.course import toc

    root = toc.find_root(None)
    rows, items = run_guide_example(root)
    if "--write" in sys.argv[1:]:
        print(f"updated {write_guide(root, rows, items)}")
        return 0
    grades, analysis = guide_tables(rows, items)
    print(grades + "\n" + analysis, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
