"""The quizzes through nbgrader: release leaks nothing, known submissions score known
points, and careless or hostile submissions get a recorded reason and nothing more.

Slow: each autograded submission starts a kernel (about 3 s).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import make_quiz_course

from peaceops import data, grading, quiz_items, quizzes

pytestmark = pytest.mark.slow
QUIZZES = ("frameworks", "coordination", "case_studies")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course copy with every quiz released (cells time out after 4 s here)."""
    root = make_quiz_course(tmp_path_factory.mktemp("course"))
    saved = {k: os.environ.get(k) for k in ("PEACEOPS_CELL_TIMEOUT", "PEACEOPS_EXCHANGE")}
    os.environ["PEACEOPS_CELL_TIMEOUT"] = "4"
    os.environ["PEACEOPS_EXCHANGE"] = str(root / "exchange")
    (root / "exchange").mkdir()
    for quiz_id in QUIZZES:
        grading.release(root, quiz_id)
    yield root
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def released(root: Path, quiz_id: str) -> dict:
    path = root / "quizzes" / "release" / quiz_id / f"{quiz_id}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def submit(root: Path, quiz_id: str, student: str, answers: dict[str, str], edit=None) -> Path:
    """A student's copy of the released quiz with the given answer cells' code."""
    nb = released(root, quiz_id)
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        var = grade_id.split("-")[0]
        if grade_id.endswith("-answer") and var in answers:
            cell["source"] = answers[var]
    if edit:
        edit(nb)
    folder = root / "quizzes" / "submitted" / student / quiz_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{quiz_id}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def solution(quiz: quizzes.Quiz) -> dict[str, str]:
    """The instructor's answers, as a student would type them."""
    return {
        item.var: "\n".join(
            line for line in quiz_items.answer_source(item).splitlines() if "###" not in line
        )
        for item in quiz.items
        if item.question.type != "written"
    }


def wrong(item: quiz_items.QuizItem, count: int | None) -> str:
    """A well-formed wrong answer to an item."""
    q, var = item.question, item.var
    key = quiz_items.key(q)
    if q.type == "single":
        return f"{var} = {next(k for k in quiz_items.choice_options(q) if k != key)!r}"
    if q.type == "multiple":
        return f"{var} = {[next(k for k in quiz_items.choice_options(q) if k not in key)]!r}"
    if q.type == "matching":
        return f"{var} = { ({n: 'A' for n in key})!r}"
    if q.type == "ordering":
        return f"{var} = {list(reversed(key))!r}"
    if q.type == "numeric":
        return f"{var} = {q.answer + q.tolerance + 100}"
    if q.type == "date":
        return f'{var} = "1900-01-01"'
    return f"{var} = {count + 1}"


def scores(reports: list[grading.GradeReport]) -> dict[str, tuple[str, float]]:
    return {r.student: (r.status, r.score) for r in reports}


# -- release -------------------------------------------------------------------------


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_the_released_quiz_leaks_no_solution(course: Path, quiz_id: str) -> None:
    quiz = grading.quiz(course, quiz_id)
    path = course / "quizzes" / "release" / quiz_id / f"{quiz_id}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells)
    for marker in ("SOLUTION", "HIDDEN TESTS", "MARK SCHEME", "Model answer"):
        assert marker not in text
    assert grading.leaks(path, quiz, data.load_all()) == []
    written = [i for i in quiz.items if i.question.type == "written"]
    for item in written:
        assert item.question.prompt[:60] in text
        assert all(c.criterion[:50] not in text for c in item.question.mark_scheme)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    invert = subprocess.run(
        [str(nbgrader), "validate", "--invert", str(path)],
        cwd=course / "quizzes",
        capture_output=True,
        text=True,
        env=env,
    )
    assert "Success! The notebook does not pass any tests." in invert.stdout, invert.stdout
    source = course / "quizzes" / "source" / quiz_id / f"{quiz_id}.ipynb"
    full = subprocess.run(
        [str(nbgrader), "validate", str(source)],
        cwd=course / "quizzes",
        capture_output=True,
        text=True,
        env=env,
    )
    assert "Success! Your notebook passes all the tests." in full.stdout, full.stdout
    for table in quizzes.tables_used(quiz):
        assert (path.parent / f"{table}.csv").is_file()


# -- known submissions, known scores -------------------------------------------------

#: A frameworks submission with known answers: right on q01, q03, q05, q07, q08, q09,
#: q11, q12 (1+2+1+2+1+2+2+1 = 12 points), wrong on q02, q04, q06, q10.
FRAMEWORKS_FIXTURE = {
    "q01": 'q01 = "D"',
    "q02": 'q02 = "A"',
    "q03": 'q03 = {1: "C", 2: "F", 3: "A", 4: "B", 5: "E"}',
    "q04": 'q04 = ["A", "E", "C", "F", "B", "D"]',
    "q05": 'q05 = "2001-09-12"',
    "q06": 'q06 = ["A", "E", "B"]',
    "q07": 'q07 = {1: "b", 2: "c", 3: "e", 4: "a", 5: "d"}',
    "q08": 'q08 = " c "',
    "q09": (
        'import pandas as pd\nm = pd.read_csv("memberships.csv", dtype=str)\n'
        'year = m["joined"].str[:4].astype(int)\n'
        'joined = m[(m["organisation"] == "NATO") & year.between(1999, 2004)]\n'
        "q09 = len(joined)"
    ),
    "q10": 'q10 = "B"',
    "q11": 'q11 = ["E", "C", "A"]',
    "q12": "q12 = 75",
}
#: For the other quizzes: right on the odd items, wrong on the even ones.
ODD_ITEMS_POINTS = {"coordination": 9, "case_studies": 9}


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_solution_full_blank_zero_fixture_known(course: Path, quiz_id: str) -> None:
    quiz = grading.quiz(course, quiz_id)
    tables = data.load_all()
    submit(course, quiz_id, "solution", solution(quiz))
    submit(course, quiz_id, "blank", {})
    if quiz_id == "frameworks":
        fixture, expected = FRAMEWORKS_FIXTURE, 12
    else:
        right = solution(quiz)
        fixture = {
            item.var: right[item.var]
            if item.number % 2
            else wrong(
                item, quizzes.data_count(item, tables) if item.question.type == "data" else None
            )
            for item in quiz.items
            if item.question.type != "written"
        }
        expected = ODD_ITEMS_POINTS[quiz_id]
    submit(course, quiz_id, "fixture", fixture)
    got = scores(grading.autograde(course, quiz_id, ["solution", "blank", "fixture"]))
    assert got["solution"] == ("graded", quiz.auto_points)
    assert got["blank"] == ("graded", 0)
    assert got["fixture"] == ("graded", expected)


# -- bad input -----------------------------------------------------------------------


def _drop(*grade_ids: str):
    def edit(nb: dict) -> None:
        nb["cells"] = [
            c
            for c in nb["cells"]
            if c["metadata"].get("nbgrader", {}).get("grade_id") not in grade_ids
        ]

    return edit


def _rewrite_test(grade_id: str, source: str):
    def edit(nb: dict) -> None:
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
                cell["source"] = source

    return edit


def test_careless_and_hostile_submissions(course: Path) -> None:
    quiz_id = "frameworks"
    folder = course / "quizzes" / "submitted"
    # edits a test cell so that it passes whatever the answer: restored, nothing gained
    submit(
        course,
        quiz_id,
        "tamperer",
        {"q01": 'q01 = "A"', "q02": 'q02 = "B"'},
        edit=_rewrite_test("q01-test", "pass"),
    )
    # deletes graded cells: they come back, and the rest is marked
    submit(course, quiz_id, "deleter", {"q02": 'q02 = "B"'}, edit=_drop("q01-test", "q03-answer"))
    # an infinite loop and a flood of output: stopped and cut, the rest is marked
    submit(
        course,
        quiz_id,
        "looper",
        {
            "q01": 'q01 = "D"\nwhile True:\n    pass',
            "q02": 'q02 = "B"\nfor i in range(20000):\n    print(i)',
            "q05": 'q05 = "2001-09-12"',
        },
    )
    # switches the kernel's assertions off, then answers wrong: the literal answers decide
    hack = (
        "ip = get_ipython()\n"
        "ip.input_transformers_post.append(\n"
        "    lambda lines: [l for l in lines if not l.lstrip().startswith('assert')])\n"
        'q01 = "A"'
    )
    submit(course, quiz_id, "hacker", {"q01": hack, "q02": 'q02 = "A"', "q12": "q12 = 1"})
    # an object that claims to equal everything
    liar = (
        "class Liar(str):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = str.__hash__\n"
        'q01 = Liar("A")'
    )
    submit(course, quiz_id, "liar", {"q01": liar})
    # not a notebook at all, and the wrong quiz in this quiz's folder
    (folder / "broken" / quiz_id).mkdir(parents=True)
    (folder / "broken" / quiz_id / f"{quiz_id}.ipynb").write_text('{"cells": [', encoding="utf-8")
    wrong_quiz = released(course, "coordination")
    (folder / "misfiled" / quiz_id).mkdir(parents=True)
    (folder / "misfiled" / quiz_id / f"{quiz_id}.ipynb").write_text(json.dumps(wrong_quiz))

    students = ["tamperer", "deleter", "looper", "hacker", "liar", "broken", "misfiled"]
    reports = {r.student: r for r in grading.autograde(course, quiz_id, students)}

    tamperer = reports["tamperer"]
    assert (tamperer.status, tamperer.score) == ("graded", 1)  # q02 only
    assert "locked cell q01-test was edited; nbgrader restored it" in tamperer.notes

    deleter = reports["deleter"]
    assert (deleter.status, deleter.score) == ("graded", 1)
    assert "cell q01-test was deleted; nbgrader put it back" in deleter.notes
    assert "cell q03-answer was deleted; nbgrader put it back" in deleter.notes

    looper = reports["looper"]
    assert looper.status == "graded" and looper.score == 3  # q01 set before the loop: 1+1+1
    assert "q01-answer ran too long and was stopped" in looper.notes
    assert "q02-answer printed too much; its output was cut" in looper.notes

    hacker = reports["hacker"]
    assert (hacker.status, hacker.score) == ("graded", 0)
    assert any(
        n.startswith("q01: the test passed but the answer 'A' is wrong") for n in hacker.notes
    )

    assert (reports["liar"].status, reports["liar"].score) == ("graded", 0)

    broken = reports["broken"]
    assert broken.status == "not graded" and "not valid notebook JSON" in broken.notes[0]
    assert (folder / "broken" / quiz_id / f"{quiz_id}.ipynb").exists()  # kept, not lost
    assert "'coordination' quiz, not 'frameworks'" in reports["misfiled"].notes[0]

    report = (course / "quizzes/reports/frameworks-autograde.csv").read_text(encoding="utf-8")
    rows = {r["student"]: r for r in csv.DictReader(report.splitlines())}
    assert rows["broken"]["status"] == "not graded" and rows["broken"]["notes"]


# -- the whole workflow from the command line ------------------------------------------


def peaceops(course: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).with_name("peaceops")),
        "quiz",
        *args[:1],
        "--root",
        str(course),
        *args[1:],
    ]
    return subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())


def test_the_instructor_workflow(course: Path, tmp_path: Path) -> None:
    quiz_id = "case_studies"
    quiz = grading.quiz(course, quiz_id)
    right = solution(quiz)
    notebooks = {}
    for student, answered in {"amira": 12, "ben": 6, "chen": 0}.items():
        path = submit(
            course, quiz_id, f"tmp-{student}", {k: right[k] for k in list(right)[:answered]}
        )
        notebooks[f"{student}_4401_{quiz_id}.ipynb"] = path.read_bytes()
        path.unlink()
    notebooks[f"dora_4402_{quiz_id}.ipynb"] = b"not json at all"
    download = tmp_path / "lms.zip"
    with zipfile.ZipFile(download, "w") as archive:
        for name, raw in notebooks.items():
            archive.writestr(name, raw)

    collected = peaceops(course, "collect", quiz_id, "--zip", str(download))
    assert collected.returncode == 1  # one file was rejected: the instructor must look
    assert "rejected: dora_4402_case_studies.ipynb" in collected.stdout
    graded = peaceops(course, "autograde", quiz_id, "--student", "amira,ben,chen")
    assert graded.returncode == 0, graded.stderr
    assert "(written answers to mark)" in graded.stdout
    marked = peaceops(
        course, "mark", quiz_id, "amira", "q13", "5", "--comment", "Good use of the frame."
    )
    assert marked.returncode == 0, marked.stderr
    too_many = peaceops(course, "mark", quiz_id, "ben", "q13", "9")
    assert too_many.returncode == 1 and "worth 0 to 7 points" in too_many.stderr

    assert peaceops(course, "feedback", quiz_id).returncode == 0
    html = (course / f"quizzes/feedback/amira/{quiz_id}/{quiz_id}.html").read_text(encoding="utf-8")
    assert "Good use of the frame." in html

    exported = peaceops(course, "export", quiz_id, "--out", str(tmp_path / "grades.csv"))
    assert exported.returncode == 0, exported.stderr
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert (rows["amira"]["score"], rows["amira"]["status"]) == ("22", "graded")
    assert (rows["ben"]["score"], rows["ben"]["status"]) == ("9", "needs manual grading")
    assert rows["chen"]["score"] == "0" and rows["amira"]["q13"] == "5"
    assert rows["dora"]["status"] == "rejected at collection"
    assert "not valid notebook JSON" in rows["dora"]["notes"]

    analysed = peaceops(course, "analyse", quiz_id)
    assert analysed.returncode == 0, analysed.stderr
    items = {
        r["item"]: r
        for r in csv.DictReader((course / f"quizzes/reports/{quiz_id}-items.csv").open())
    }
    assert items["q01"]["difficulty"] == "0.67"  # amira and ben right, chen blank
    assert items["q12"]["difficulty"] == "0.33"  # only amira answered it
    assert items["q01"]["unanswered"] == "1"
    assert (course / f"quizzes/reports/{quiz_id}-items.png").stat().st_size > 1000

    # a corrupt gradebook is refused and the last good copy restored
    db = course / "quizzes" / "gradebook.db"
    before = (tmp_path / "grades.csv").read_text(encoding="utf-8")
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 500)
    refused = peaceops(course, "export", quiz_id)
    assert refused.returncode == 1 and "is corrupt" in refused.stderr
    assert "restore-gradebook" in refused.stderr
    assert peaceops(course, "restore-gradebook").returncode == 0
    assert len(list(db.parent.glob("gradebook.db.corrupt-*"))) == 1
    again = peaceops(course, "export", quiz_id, "--out", str(tmp_path / "again.csv"))
    assert again.returncode == 0
    assert (tmp_path / "again.csv").read_text(encoding="utf-8") == before  # no grade lost
