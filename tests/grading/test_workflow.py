"""The quizzes through nbgrader: release leaks nothing, known submissions score known
points, and careless or hostile submissions get a recorded reason and nothing more.

Slow: each autograded submission starts a kernel (about 3 s).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, make_quiz_course
from submissions import released, solution, submit

from peaceops import cli, data
from peaceops.grading import autograde, quizzes, workflow
from peaceops.grading.example_class import (
    GUIDE_COMMENT,
    GUIDE_MARKS,
    answers_of,
    right_answer,
    wrong_answer,
)

pytestmark = pytest.mark.slow
QUIZZES = ("frameworks", "coordination", "case_studies", "history", "future", "final_exam")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course copy with every quiz released (cells time out after 4 s here)."""
    root = make_quiz_course(tmp_path_factory.mktemp("course"))
    names = ("PEACEOPS_CELL_TIMEOUT", "PEACEOPS_EXCHANGE", "PEACEOPS_FILE_LIMIT_MB")
    saved = {k: os.environ.get(k) for k in names}
    os.environ["PEACEOPS_CELL_TIMEOUT"] = "4"
    os.environ["PEACEOPS_FILE_LIMIT_MB"] = "10"
    os.environ["PEACEOPS_EXCHANGE"] = str(root / "exchange")
    (root / "exchange").mkdir()
    for quiz_id in QUIZZES:
        workflow.release(root, quiz_id)
    yield root
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def scores(reports: list[autograde.GradeReport]) -> dict[str, tuple[str, float]]:
    return {r.student: (r.status, r.score) for r in reports}


# -- release -------------------------------------------------------------------------


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_the_released_quiz_leaks_no_solution(course: Path, quiz_id: str) -> None:
    quiz = workflow.quiz(course, quiz_id)
    path = course / "quizzes" / "release" / quiz_id / f"{quiz_id}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells)
    for marker in ("SOLUTION", "HIDDEN TESTS", "MARK SCHEME", "Model answer"):
        assert marker not in text
    assert workflow.leaks(path, quiz, data.load_all()) == []
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
ODD_ITEMS_POINTS = {"frameworks": 20, "coordination": 17, "case_studies": 15, "history": 17,
                    "future": 15, "final_exam": 16}  # fmt: skip


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_solution_full_blank_zero_fixture_known(course: Path, quiz_id: str) -> None:
    quiz = workflow.quiz(course, quiz_id)
    submit(course, quiz_id, "solution", solution(quiz))
    submit(course, quiz_id, "blank", {})
    # odd items right, even items wrong
    fixture = answers_of(quiz, "alternate", quizzes.data_counts(quiz))
    expected = ODD_ITEMS_POINTS[quiz_id]
    submit(course, quiz_id, "fixture", fixture)
    got = scores(autograde.autograde(course, quiz_id, ["solution", "blank", "fixture"]))
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
    quiz = workflow.quiz(course, quiz_id)
    right = {i.var: right_answer(i) for i in quiz.items if i.question.type != "written"}
    wrong = {i.var: wrong_answer(i, quizzes.data_counts(quiz).get(i.var))
             for i in quiz.items if i.question.type != "written"}  # fmt: skip
    points = {i.var: i.points for i in quiz.items}
    # edits a test cell so that it passes whatever the answer: restored, nothing gained
    submit(
        course,
        quiz_id,
        "tamperer",
        {"q01": wrong["q01"], "q02": right["q02"]},
        edit=_rewrite_test("q01-test", "pass"),
    )
    # deletes graded cells: they come back, and the rest is marked
    submit(course, quiz_id, "deleter", {"q02": right["q02"]}, edit=_drop("q01-test", "q03-answer"))

    # moves an item's cells to the end: marked by id, not by place
    def move_q05(nb: dict) -> None:
        ids = ("q05-answer", "q05-test")
        moved = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") in ids]
        nb["cells"] = [c for c in nb["cells"] if c not in moved] + moved

    submit(course, quiz_id, "mover", {"q05": right["q05"]}, edit=move_q05)
    # an infinite loop and a flood of output: stopped and cut, the rest is marked
    submit(
        course,
        quiz_id,
        "looper",
        {
            "q01": right["q01"] + "\nwhile True:\n    pass",
            "q02": right["q02"] + "\nfor i in range(20000):\n    print(i)",
            "q05": right["q05"],
        },
    )
    # tries to take the grader's memory and disk: refused, the rest is marked
    submit(course, quiz_id, "hog", {
        "q01": right["q01"] + "\nhog = bytearray(64 * 1024**3)",
        "q02": right["q02"] + '\nwith open("hog.bin", "wb") as f:\n    f.write(bytes(20 * 2**20))',
    })  # fmt: skip
    # tries to switch the kernel's assertions off, then answers wrong
    hack = (
        "ip = get_ipython()\n"
        "ip.input_transformers_post.append(\n"
        "    lambda lines: [l for l in lines if not l.lstrip().startswith('assert')])\n"
        + wrong["q01"]
    )
    submit(course, quiz_id, "hacker", {"q01": hack, "q02": wrong["q02"], "q12": wrong["q12"]})
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

    students = [
        "tamperer",
        "deleter",
        "mover",
        "hog",
        "looper",
        "hacker",
        "liar",
        "broken",
        "misfiled",
    ]
    reports = {r.student: r for r in autograde.autograde(course, quiz_id, students)}

    tamperer = reports["tamperer"]
    assert (tamperer.status, tamperer.score) == ("graded", points["q02"])  # q02 only
    assert "locked cell q01-test was edited; nbgrader restored it" in tamperer.notes

    deleter = reports["deleter"]
    assert (deleter.status, deleter.score) == ("graded", points["q02"])
    assert "cell q01-test was deleted; nbgrader put it back" in deleter.notes
    assert "cell q03-answer was deleted; nbgrader put it back" in deleter.notes

    mover = reports["mover"]
    assert (mover.status, mover.score) == ("graded", points["q05"])
    assert "graded cells were moved; each is marked by its id, not its place" in mover.notes

    looper = reports["looper"]
    # q01 was set before the loop
    earned = points["q01"] + points["q02"] + points["q05"]
    assert (looper.status, looper.score) == ("graded", earned)
    assert "q01-answer ran too long and was stopped" in looper.notes
    assert "q02-answer printed too much; its output was cut" in looper.notes

    hog = reports["hog"]
    # both answers were set before the failure
    assert (hog.status, hog.score) == ("graded", points["q01"] + points["q02"])
    assert "q01-answer ran out of the memory a grading run may use" in hog.notes
    assert "q02-answer wrote more than a grading run may write" in hog.notes

    hacker = reports["hacker"]  # the tests run outside its interpreter: nothing to switch off
    assert (hacker.status, hacker.score) == ("graded", 0)

    assert (reports["liar"].status, reports["liar"].score) == ("graded", 0)

    broken = reports["broken"]
    assert broken.status == "not graded" and "not valid notebook JSON" in broken.notes[0]
    assert (folder / "broken" / quiz_id / f"{quiz_id}.ipynb").exists()  # kept, not lost
    assert "'coordination' quiz, not 'frameworks'" in reports["misfiled"].notes[0]

    report = (course / "quizzes/reports/frameworks-autograde.csv").read_text(encoding="utf-8")
    rows = {r["student"]: r for r in csv.DictReader(report.splitlines())}
    assert rows["broken"]["status"] == "not graded" and rows["broken"]["notes"]


def test_the_nbgrader_exchange_round_trip(course: Path) -> None:
    """Release to the exchange, collect a student's submission from it, return feedback."""
    quiz_id = "coordination"
    quiz = workflow.quiz(course, quiz_id)
    workflow.release(course, quiz_id, exchange=True)
    exchange = course / "exchange" / "peaceops"
    outbound = exchange / "outbound" / quiz_id / f"{quiz_id}.ipynb"
    assert outbound.exists() and "BEGIN HIDDEN TESTS" not in outbound.read_text(encoding="utf-8")
    inbound = exchange / "inbound" / f"kim+{quiz_id}+2026-11-30 10:00:00.000000 UTC+1a2b"
    inbound.mkdir(parents=True)
    answered = submit(course, quiz_id, "tmp-kim", solution(quiz))
    (inbound / f"{quiz_id}.ipynb").write_bytes(answered.read_bytes())
    (inbound / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC")
    (inbound / "submission_secret.txt").write_text("kim-secret")  # written by nbgrader submit
    collected = peaceops(course, "collect", quiz_id, "--exchange")
    assert collected.returncode == 0, collected.stderr
    assert "kim" in collected.stdout
    submit(course, quiz_id, "lee", {})  # lee handed in through the LMS instead
    kim, _ = autograde.autograde(course, quiz_id, ["kim", "lee"])
    assert (kim.status, kim.score) == ("graded", quiz.auto_points)
    returned = peaceops(course, "feedback", quiz_id, "--exchange")
    assert returned.returncode == 0, returned.stderr
    assert len(list((exchange / "feedback").glob("*.html"))) == 1  # kim's only
    assert "lee did not submit through the exchange" in returned.stderr


# -- the whole workflow from the command line ------------------------------------------


@dataclass
class Ran:
    """What one ``peaceops quiz`` command printed and returned."""

    returncode: int
    stdout: str
    stderr: str


def peaceops(course: Path, *args: str) -> Ran:
    """Run ``peaceops quiz <step> --root <course> ...`` in this process (imports once)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["quiz", *args[:1], "--root", str(course), *args[1:]])
    return Ran(code, out.getvalue(), err.getvalue())


def test_the_instructor_workflow(tmp_path: Path) -> None:
    """The example class of the Instructor guide, from the LMS zip to the item analysis."""
    quiz_id = "case_studies"
    course = make_quiz_course(tmp_path / "course")
    released = peaceops(course, "release", quiz_id)
    assert released.returncode == 0, released.stderr
    assert "checked: no solution, hidden test or mark scheme" in released.stdout
    download = tmp_path / "lms.zip"
    made = peaceops(course, "example-class", quiz_id, "--out", str(download))
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(download) as archive:
        assert len(archive.namelist()) == 6

    collected = peaceops(course, "collect", quiz_id, "--zip", str(download))
    assert collected.returncode == 1  # one file was rejected: the instructor must look
    assert "rejected: dora_4499_case_studies.ipynb" in collected.stdout
    assert "5 collected, 1 rejected" in collected.stdout
    graded = peaceops(course, "autograde", quiz_id)
    assert graded.returncode == 0, graded.stderr
    assert "(written answers to mark)" in graded.stdout
    for student, points in GUIDE_MARKS.items():  # the marks the guide gives
        comment = ["--comment", GUIDE_COMMENT] if student == "amira" else []
        marked = peaceops(course, "mark", quiz_id, student, "q13", str(points), *comment)
        assert marked.returncode == 0, marked.stderr
    too_many = peaceops(course, "mark", quiz_id, "ben", "q13", "9")
    assert too_many.returncode == 1 and "worth 0 to 7 points" in too_many.stderr

    assert peaceops(course, "feedback", quiz_id).returncode == 0
    html = (course / f"quizzes/feedback/amira/{quiz_id}/{quiz_id}.html").read_text(encoding="utf-8")
    assert GUIDE_COMMENT.split(";")[0] in html

    exported = peaceops(course, "export", quiz_id, "--out", str(tmp_path / "grades.csv"))
    assert exported.returncode == 0, exported.stderr
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    # amira: all 24 auto points + 5; ben: items 1-6 (3+1+2+2+2+1) + 3; fay: odd items (15) + 4
    expected = {"amira": "29", "ben": "14", "chen": "0", "eli": "1", "fay": "19"}
    assert {s: r["score"] for s, r in rows.items() if s in expected} == expected
    assert all(rows[s]["status"] == "graded" for s in expected)
    assert rows["amira"]["q13"] == "5"
    assert rows["dora"]["status"] == "rejected at collection"
    assert "not valid notebook JSON" in rows["dora"]["notes"]
    regenerate = "the guide is stale: run 'python -m peaceops.grading.example_class --write'"
    assert guide_grades() == {s: (r["score"], r["status"]) for s, r in rows.items()}, regenerate

    analysed = peaceops(course, "analyse", quiz_id)
    assert analysed.returncode == 0, analysed.stderr
    items_csv = (course / f"quizzes/reports/{quiz_id}-items.csv").read_text(encoding="utf-8")
    items = {r["item"]: r for r in csv.DictReader(items_csv.splitlines())}
    assert items["q01"]["difficulty"] == "0.60"  # amira, ben, fay right of five
    assert items["q02"]["difficulty"] == "0.40"  # amira, ben (fay's even items are wrong)
    assert items["q12"]["difficulty"] == "0.20"  # only amira
    assert items["q01"]["unanswered"] == "1" and items["q12"]["unanswered"] == "2"
    assert items["q01"]["wrong_answers"].endswith("(x1)")  # eli's wrong option
    assert items_csv.strip() == guide_item_table().strip(), regenerate
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


GUIDE = ROOT / "book" / "reference" / "instructor-guide.md"


def guide_grades() -> dict[str, tuple[str, str]]:
    """The example class's grades as the Instructor guide shows them."""
    rows = {}
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in ("amira", "ben", "chen", "dora", "eli", "fay"):
            rows[cells[0]] = (cells[1], cells[3])
    return rows


def guide_item_table() -> str:
    """The item analysis CSV the Instructor guide shows."""
    text = GUIDE.read_text(encoding="utf-8")
    return text.split("```text\nitem,question_id")[1].split("```")[0].join(["item,question_id", ""])


def test_formgrade_serves_nbgraders_formgrader_on_the_course(course: Path, tmp_path: Path) -> None:
    """Manual grading: the formgrader starts on this course and sees its gradebook."""
    import re
    import signal
    import socket
    import time
    import urllib.request

    submit(course, "frameworks", "grace", {"q01": 'q01 = "D"'})
    [graded] = autograde.autograde(course, "frameworks", ["grace"])
    assert graded.needs_manual  # her written answer waits for the formgrader
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("peaceops")
    # no exchange in use (the LMS route): the released quizzes still show as released
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path),
           "PEACEOPS_EXCHANGE": str(tmp_path / "no-exchange")}  # fmt: skip
    command = [str(exe), "quiz", "formgrade", "--root", str(course), "--no-browser",
               "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)  # fmt: skip
    try:
        token, deadline, said = None, time.monotonic() + 90, []
        while token is None and time.monotonic() < deadline:
            said.append(proc.stdout.readline())
            found = re.search(r"at http://127.0.0.1:(\d+)/formgrader\?token=([0-9a-f]+)", said[-1])
            token = found.group(2) if found else None
        assert token, f"the formgrader did not print its address: {said}"
        assert int(found.group(1)) == port
        assert not any(line.startswith("[") for line in said), "the server's log reached us"
        url = f"http://127.0.0.1:{port}/formgrader/api/assignments?token={token}"
        while True:  # the URL is printed a moment before the server answers
            try:
                with urllib.request.urlopen(url, timeout=20) as response:
                    assignments = {a["name"]: a for a in json.load(response)}
                break
            except OSError:
                assert time.monotonic() < deadline, "the formgrader did not answer"
                time.sleep(0.5)
        assert set(QUIZZES) <= set(assignments)
        assert assignments["frameworks"]["num_submissions"] > 0
        assert assignments["frameworks"]["status"] == "released"  # released for the LMS
    finally:
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        finally:
            proc.kill()
