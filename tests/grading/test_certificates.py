"""The final exam's pass mark, time and certificates: a fixture class gets the expected
certificates, none for a failing student or one whose written answers wait for marking,
and every code is checked against the gradebook."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from conftest import make_quiz_course
from submissions import released, solution, submit

from peaceops.grading import autograde, certificates, quizzes, results, workflow
from peaceops.grading.example_class import answers_of

pytestmark = pytest.mark.slow
QUIZ = "final_exam"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = make_quiz_course(tmp_path_factory.mktemp("certificates"))
    workflow.release(course, QUIZ)
    quiz = workflow.quiz(course, QUIZ)
    counts = quizzes.data_counts(quiz)
    submit(course, QUIZ, "ada", solution(quiz))  # everything right, written marked in full
    submit(course, QUIZ, "bo", solution(quiz))  # everything right, written not marked yet
    submit(course, QUIZ, "cy", answers_of(quiz, "alternate", counts))  # about half
    autograde.autograde(course, QUIZ, workers=1)
    for item in quiz.items:
        if item.question.type == "written":
            results.mark(course, QUIZ, "ada", item.var, item.points)
            results.mark(course, QUIZ, "cy", item.var, 0)
    return course


def test_the_final_exam_states_its_pass_mark_and_time(graded: Path) -> None:
    quiz = workflow.quiz(graded, QUIZ)
    assert (quiz.pass_mark, quiz.minutes) == (75.0, 90)
    intro = "".join(released(graded, QUIZ)["cells"][0]["source"])
    needed = math.ceil(quiz.points * 0.75)
    assert "Allow about 90 minutes" in intro and f"75 % ({needed} of {quiz.points} points)" in intro


def test_certificates_for_those_who_passed_and_only_them(graded: Path, tmp_path: Path) -> None:
    issued = {c.student: c for c in certificates.issue(graded, QUIZ, tmp_path)}
    assert issued["ada"].status == "passed" and issued["ada"].percent == 100
    assert issued["bo"].status == "written answers not marked yet" and issued["bo"].path is None
    assert issued["cy"].status == "below the pass mark" and issued["cy"].path is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.pdf"]
    pdf = (tmp_path / "ada.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]
    report = graded / "quizzes" / "reports" / f"{QUIZ}-certificates.csv"
    rows = {r["student"]: r for r in csv.DictReader(report.read_text().splitlines())}
    assert rows["ada"]["code"] == issued["ada"].code and rows["cy"]["code"] == ""


def test_a_code_is_checked_against_the_gradebook(graded: Path, tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    issued = {c.student: c for c in certificates.issue(graded, QUIZ, tmp_path)}
    code = issued["ada"].code
    found = certificates.verify(graded, code.lower())
    assert found is not None and found[0].student == "ada"
    assert certificates.verify(graded, "AAAA-BBBB-CCCC") is None
    # a certificate whose score the gradebook no longer records is no longer valid
    item = next(i for i in workflow.quiz(graded, QUIZ).items if i.question.type == "written")
    results.mark(graded, QUIZ, "ada", item.var, 0)
    with Gradebook(workflow.db_url(graded)) as gb:
        assert gb.find_submission(QUIZ, "ada").score < issued["ada"].score
    assert certificates.verify(graded, code) is None


def test_a_quiz_without_a_pass_mark_gives_no_certificates(graded: Path) -> None:
    with pytest.raises(workflow.GradingError, match="no pass mark"):
        certificates.issue(graded, "frameworks")
