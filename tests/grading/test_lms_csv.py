"""Grades to an LMS gradebook: the example class of the Instructor guide, graded, exported
in Canvas's and Moodle's import formats, read back: every score equals the gradebook's, a
student with no graded submission has an empty cell (never 0) and the export says why.

Slow: grading the class starts a kernel per submission.
"""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pytest
from conftest import make_quiz_course

from peaceops import cli
from peaceops.grading import lms_csv, results, workflow
from peaceops.grading.example_class import GUIDE_MARKS, STUDENTS

pytestmark = pytest.mark.slow
QUIZ = "case_studies"


def peaceops(course: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["quiz", *args[:1], "--root", str(course), *args[1:]])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example class graded (amira, ben, chen, eli, fay; dora's file rejected), with
    names and an email for two students, and one more student who submitted nothing."""
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("lms")
    course = make_quiz_course(tmp / "course")
    assert peaceops(course, "release", QUIZ)[0] == 0
    download = tmp / "lms.zip"
    assert peaceops(course, "example-class", QUIZ, "--out", str(download))[0] == 0
    assert peaceops(course, "collect", QUIZ, "--zip", str(download))[0] == 1  # dora rejected
    graded = peaceops(course, "autograde", QUIZ)
    assert graded[0] == 0, graded
    quiz = workflow.quiz(course, QUIZ)
    written = [i for i in quiz.items if i.question.type == "written"]
    for student in STUDENTS:  # amira: full marks; the others: none (or all they can get)
        for item in written:
            points = item.points if student == "amira" else min(GUIDE_MARKS[student], 1)
            marked = peaceops(course, "mark", QUIZ, student, item.var, str(points))
            assert marked[0] == 0, marked
    with Gradebook(workflow.db_url(course)) as gb:
        gb.update_or_create_student("amira", first_name="Amira", last_name="Haddad",
                                    email="amira@example.org", lms_user_id="4711")  # fmt: skip
        # an LTI user id, not Canvas's own user id
        gb.update_or_create_student("ben", first_name="Ben", last_name="Okafor",
                                    lms_user_id="535fa085f22b")  # fmt: skip
        gb.update_or_create_student("gil")  # enrolled, never submitted
    return course


def the_gradebook(course: Path) -> dict[str, dict[str, str]]:
    """Each student's row as our own export computes it from nbgrader's gradebook."""
    quiz = workflow.quiz(course, QUIZ)
    rows = results.grade_rows(course, quiz)
    return {r["student"]: r for r in rows if r["student"] != "(unknown)"}


@pytest.mark.parametrize("fmt", lms_csv.FORMATS)
def test_the_lms_file_holds_the_gradebooks_scores(graded: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"{fmt}.csv"
    code, stdout, stderr = peaceops(graded, "export", QUIZ, "--format", fmt, "--out", str(out))
    assert code == 0, stderr
    quiz = workflow.quiz(graded, QUIZ)
    book = the_gradebook(graded)
    back = lms_csv.read(out, fmt)
    column = quiz.title
    assert set(back) == set(book)  # every student, once
    for student, row in book.items():
        expected = row["score"] if row["status"] == "graded" else ""
        assert back[student][column] == expected, student
    assert back["amira"][column] == f"{quiz.points:g}"  # every answer right, full marks
    assert back["chen"][column] == "0"  # a blank submission, graded: a real 0
    assert back["gil"][column] == "" and back["dora"][column] == ""  # no graded work: empty
    assert "empty (no score, not 0): gil - no submission graded" in stdout
    assert "empty (no score, not 0): dora - rejected at collection" in stdout
    raw = out.read_text(encoding="utf-8")
    if fmt == "canvas":
        header, points = raw.splitlines()[:2]
        assert header.startswith("Student,ID,SIS User ID,SIS Login ID,Section,")
        assert points.startswith("Points Possible,,,,,") and f",{quiz.points}" in points
        assert back["amira"]["Student"] == "Haddad, Amira" and back["amira"]["ID"] == "4711"
        assert back["ben"]["ID"] == ""  # not a Canvas user id: Canvas would misread it
        assert back["gil"]["SIS Login ID"] == "gil" and back["gil"]["SIS User ID"] == ""
    else:
        assert raw.splitlines()[0].startswith("First name,Last name,Username,Email address,")
        assert back["amira"]["Email address"] == "amira@example.org"
        assert back["gil"][f"{column} (Feedback)"] == "no submission graded"
        assert ",-," in raw  # Moodle's "no grade"


def test_per_question_columns_and_student_numbers(graded: Path, tmp_path: Path) -> None:
    quiz = workflow.quiz(graded, QUIZ)
    book = the_gradebook(graded)
    for fmt in lms_csv.FORMATS:
        out = tmp_path / f"{fmt}-items.csv"
        code, _, stderr = peaceops(graded, "export", QUIZ, "--format", fmt, "--out", str(out),
                                   "--per-question", "--student-id", "sis",
                                   "--assignment-id", "9001")  # fmt: skip
        assert code == 0, stderr
        back = lms_csv.read(out, fmt)
        title = lms_csv.column_title(quiz, "9001" if fmt == "canvas" else None)
        for student, row in book.items():
            graded_row = row["status"] == "graded"
            assert back[student][title] == (row["score"] if graded_row else "")
            for item in quiz.items:
                cell = back[student][lms_csv.item_title(quiz, item.var)]
                assert cell == (row[item.var] if graded_row else ""), (student, item.var)
            if graded_row:  # the items add up to the total
                total = sum(float(back[student][lms_csv.item_title(quiz, i.var)] or 0)
                            for i in quiz.items)  # fmt: skip
                assert total == float(row["score"])
        header = next(csv.reader(out.open(encoding="utf-8")))
        if fmt == "canvas":
            assert f"{quiz.title} (9001)" in header
            assert back["amira"]["SIS User ID"] == "amira" and back["amira"]["SIS Login ID"] == ""
        else:
            assert "ID number" in header and "Username" not in header


def test_the_default_export_is_unchanged(graded: Path, tmp_path: Path) -> None:
    out = tmp_path / "ours.csv"
    code, _, stderr = peaceops(graded, "export", QUIZ, "--out", str(out))
    assert code == 0, stderr
    header = next(csv.reader(out.open(encoding="utf-8")))
    assert header[:5] == ["student", "quiz", "score", "max_score", "status"]


def test_a_bad_canvas_assignment_id_is_refused(graded: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    code, _, stderr = peaceops(graded, "export", QUIZ, "--format", "canvas",
                               "--assignment-id", "quiz-1", "--out", out)  # fmt: skip
    assert code == 1 and "is a number" in stderr


def test_a_row_with_no_student_id_is_left_out_and_named(graded: Path, tmp_path: Path) -> None:
    """Moodle refuses a whole file with one unknown user: such a row is left out, and said."""
    quiz = workflow.quiz(graded, QUIZ)
    rows = [*results.grade_rows(graded, quiz),
            {"student": "(unknown)", "quiz": QUIZ, "score": "", "status": "rejected at collection",
             "notes": "x.ipynb: no student id in its name"}]  # fmt: skip
    for fmt in lms_csv.FORMATS:
        done = lms_csv.write(rows, quiz, {}, tmp_path / f"{fmt}.csv", fmt)
        assert done.left_out == [
            (
                "x.ipynb: no student id in its name",
                "rejected at collection: x.ipynb: no student id in its name",
            )
        ]
        assert "(unknown)" not in (tmp_path / f"{fmt}.csv").read_text(encoding="utf-8")
