"""The instructor's workflow on nbgrader's API: release, collect, autograde.

Every step works on the nbgrader course in ``quizzes/`` (its ``nbgrader_config.py``, its
SQLite gradebook) and goes through ``nbgrader.apps.NbGraderAPI``; what peaceops adds is
care: the gradebook is checked before and copied after each step, a released copy is
checked for leaks before a student can see it, every submission's fate is written to
``quizzes/reports/``, and nbgrader's scores are cross-checked with the literal answers.
What follows autograding (marks, feedback, export, item analysis) is in ``results``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from peaceops import data
from peaceops.grading import answers, gradebook, kernel
from peaceops.grading.collect import quiz_of, read_submission
from peaceops.grading.items import solution_lines, test_source
from peaceops.grading.quizzes import (
    QUIZ_DIR,
    Quiz,
    data_count,
    data_counts,
    load_quizzes,
    write_sources,
)

LEAK_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME")
Progress = Callable[[str], None]


class GradingError(Exception):
    """A step cannot go on; the message says what to fix."""


def quiet(_: str) -> None:
    pass


# -- the course and nbgrader's API -----------------------------------------------------


def copy_course(root: Path, target: Path) -> Path:
    """A fresh course in ``target`` with this checkout's bank, data and quiz definitions.

    For trying the workflow (and for tests and benchmarks) without touching the real
    gradebook: nothing generated or graded is copied.
    """
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(root / name, target / name)
    for name in ("questions", "data"):
        shutil.copytree(root / name, target / name)
    (target / QUIZ_DIR).mkdir(exist_ok=True)
    for name in ("nbgrader_config.py", "quizzes.yml"):
        shutil.copy(root / QUIZ_DIR / name, target / QUIZ_DIR / name)
    return target


def course_dir(root: Path) -> Path:
    """The nbgrader course folder of a checkout."""
    return root / QUIZ_DIR


def db_path(root: Path) -> Path:
    """The SQLite gradebook."""
    return course_dir(root) / "gradebook.db"


def nbgrader_api(root: Path):  # -> NbGraderAPI (imported lazily: it is slow to import)
    """nbgrader's API configured by ``quizzes/nbgrader_config.py``."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    course = course_dir(root)
    if not (course / "nbgrader_config.py").is_file():
        raise GradingError(f"{course}/nbgrader_config.py is missing: is {root} the course root?")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{db_path(root)}"
    # nbgrader's own SQLAlchemy use warns about its session on every autograde: noise.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    # Students' notebooks run in a kernel with memory and file-size limits.
    kernels = course / ".kernels"
    kernel.install(kernels)
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if str(kernels) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(kernels), *filter(None, paths)])
    config.Execute.kernel_name = kernel.NAME
    # nbgrader runs the `alembic` command to create a gradebook: find it beside Python.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    return NbGraderAPI(config=config)


def quiz(root: Path, quiz_id: str) -> Quiz:
    """A quiz by id, with a clear error naming the quizzes there are."""
    quizzes = {q.id: q for q in load_quizzes(root)}
    if quiz_id not in quizzes:
        raise GradingError(
            f"no quiz '{quiz_id}' in {QUIZ_DIR}/quizzes.yml; the quizzes are: {', '.join(quizzes)}"
        )
    return quizzes[quiz_id]


def check_result(result: dict, step: str) -> str:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise GradingError(f"nbgrader could not {step}: " + " | ".join(detail[-4:]))
    return result.get("log", "")


class Guarded:
    """Check the gradebook before a step; keep a good copy after it succeeds."""

    def __init__(self, root: Path) -> None:
        self.db = db_path(root)

    def __enter__(self) -> None:
        gradebook.check(self.db)

    def __exit__(self, kind, *_: object) -> None:
        if kind is None:
            gradebook.keep_good_copy(self.db)


# -- release ---------------------------------------------------------------------------


def leaks(notebook_path: Path, quiz_obj: Quiz, tables: dict) -> list[str]:
    """What a released notebook gives away: solution markers, hidden tests, mark schemes."""
    text = notebook_path.read_text(encoding="utf-8")
    found = [f"contains '{m}'" for m in LEAK_MARKERS if m in text]
    for item in quiz_obj.items:
        q = item.question
        if q.type == "written":
            secrets = [q.explanation, *(c.criterion for c in q.mark_scheme)]
        else:
            count = data_count(item, tables) if q.type == "data" else None
            source = test_source(item, count)
            secrets = [source.split("### BEGIN HIDDEN TESTS\n")[1].split("\n###")[0]]
            secrets += solution_lines(item)
        for secret in secrets:
            if json.dumps(secret)[1:-1] in text:
                found.append(f"{item.var} shows {secret[:60]!r}")
    return found


def release(root: Path, quiz_id: str, exchange: bool = False, progress: Progress = quiet) -> Path:
    """Generate the quiz from the bank and make the student version in ``release/``."""
    quiz_obj = quiz(root, quiz_id)
    progress(f"Writing source/{quiz_id}/ from the question bank...")
    write_sources(root, [quiz_obj])
    with Guarded(root):
        api = nbgrader_api(root)
        progress("Generating the student version (nbgrader generate_assignment)...")
        check_result(api.generate_assignment(quiz_id, force=True, create=True), "generate the quiz")
        released = course_dir(root) / "release" / quiz_id / f"{quiz_id}.ipynb"
        found = leaks(released, quiz_obj, data.load_all())
        if found:
            released.unlink()
            raise GradingError(
                f"the released {quiz_id} would leak answers ({'; '.join(found)}); "
                "it was deleted. Report this as a bug."
            )
        if exchange:
            progress("Copying it to the nbgrader exchange...")
            check_result(api.release_assignment(quiz_id), "release to the exchange")
    return released.parent


# -- autograde -------------------------------------------------------------------------


@dataclass
class GradeReport:
    """The autograding of one student's submission."""

    student: str
    status: str  # graded | not graded
    score: float = 0.0
    max_score: float = 0.0
    needs_manual: bool = False
    notes: list[str] = field(default_factory=list)


def tampering(submission: dict, release_nb: dict) -> list[str]:
    """Graded cells deleted, moved or edited in a submission, against the released copy."""
    mine, theirs = answers.cell_sources(submission), answers.cell_sources(release_nb)
    notes = [f"cell {g} was deleted; nbgrader put it back" for g in theirs if g not in mine]
    order = [g for g in mine if g in theirs]
    if order != [g for g in theirs if g in mine]:
        notes.append("graded cells were moved; each is marked by its id, not its place")
    for grade_id, source in theirs.items():
        locked = not grade_id.endswith("-answer")
        if locked and grade_id in mine and mine[grade_id].strip() != source.strip():
            notes.append(f"locked cell {grade_id} was edited; nbgrader restored it")
    return notes


def runtime_notes(autograded: Path) -> list[str]:
    """Cells of a graded notebook that hit a limit: time, output, memory or file size."""
    if not autograded.exists():
        return []
    notes = []
    for cell in json.loads(autograded.read_text(encoding="utf-8"))["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "a cell")
        for output in cell.get("outputs", []):
            text = json.dumps(output)
            if "CellTimeoutError" in text or "TimeoutError" in output.get("ename", ""):
                notes.append(f"{grade_id} ran too long and was stopped")
            elif "Output truncated" in text:
                notes.append(f"{grade_id} printed too much; its output was cut")
            elif output.get("ename") == "MemoryError":
                notes.append(f"{grade_id} ran out of the memory a grading kernel may use")
            elif "File too large" in text:
                notes.append(f"{grade_id} wrote a file over the size a grading kernel may write")
    return sorted(set(notes))


def _cross_check(
    root: Path, quiz_obj: Quiz, student: str, submission: dict, counts: dict[str, int]
) -> list[str]:
    """Lower any executed-test score that the literal answer does not deserve."""
    from nbgrader.api import Gradebook

    notes = []
    literal = answers.responses(submission, quiz_obj.items)
    with Gradebook(f"sqlite:///{db_path(root)}") as gb:
        for item in quiz_obj.items:
            value = literal.get(item.var)
            if item.question.type == "written" or isinstance(value, answers.NotLiteral):
                continue  # nothing to read without running the notebook
            grade = gb.find_grade(item.grade_id, quiz_obj.id, quiz_obj.id, student)
            if grade.auto_score and not answers.is_right(item, value, counts.get(item.var)):
                grade.manual_score = 0.0
                gb.db.commit()
                notes.append(
                    f"{item.var}: the test passed but the answer {value!r} is wrong; "
                    "score set to 0 (check the submission for tampering)"
                )
    return notes


def autograde(
    root: Path, quiz_id: str, students: list[str] | None = None, progress: Progress = quiet
) -> list[GradeReport]:
    """Autograde every collected submission (or the named students); write a report."""
    from nbgrader.api import Gradebook

    quiz_obj = quiz(root, quiz_id)
    course = course_dir(root)
    released = course / "release" / quiz_id / f"{quiz_id}.ipynb"
    if not released.exists():
        raise GradingError(
            f"{quiz_id} has not been released: run 'peaceops quiz release {quiz_id}'"
        )
    release_nb = json.loads(released.read_text(encoding="utf-8"))
    found = sorted(
        p.parent.parent.name for p in course.glob(f"submitted/*/{quiz_id}/{quiz_id}.ipynb")
    )
    students = students or found
    if not students:
        raise GradingError(f"no submissions in {course}/submitted/*/{quiz_id}/: collect them first")
    counts = data_counts(quiz_obj)
    reports = []
    with Guarded(root):
        api = nbgrader_api(root)
        for number, student in enumerate(students, start=1):
            progress(f"[{number}/{len(students)}] {student}")
            path = course / "submitted" / student / quiz_id / f"{quiz_id}.ipynb"
            report = GradeReport(student, "not graded")
            reports.append(report)
            if not path.exists():
                report.notes.append(f"no submission at {path.relative_to(course)}")
                continue
            notebook, problem = read_submission(path.read_bytes(), quiz_id, quiz_obj.title)
            if notebook is None:
                report.notes.append(problem + "; the file is kept in submitted/")
                continue
            report.notes += [problem] if problem else []
            report.notes += tampering(notebook, release_nb)
            result = api.autograde(quiz_id, student, force=True, create=True)
            if not result.get("success"):
                lines = (result.get("error") or result.get("log") or "").strip().splitlines()
                report.notes.append("nbgrader failed: " + (lines[-1] if lines else "no log"))
                continue
            autograded = course / "autograded" / student / quiz_id / f"{quiz_id}.ipynb"
            report.notes += runtime_notes(autograded)
            report.notes += _cross_check(root, quiz_obj, student, notebook, counts)
            with Gradebook(f"sqlite:///{db_path(root)}") as gb:
                sub = gb.find_submission(quiz_id, student)
                report.status = "graded"
                report.score, report.max_score = sub.score, sub.max_score
                report.needs_manual = bool(sub.needs_manual_grade)
    write_autograde_report(course, quiz_id, reports)
    return reports


def write_autograde_report(course: Path, quiz_id: str, reports: list[GradeReport]) -> Path:
    """``reports/<quiz>-autograde.csv``: each student's status, score and notes."""
    path = course / "reports" / f"{quiz_id}-autograde.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["student", "status", "score", "max_score", "needs_manual_grading", "notes"]
        )
        for r in reports:
            writer.writerow(
                [
                    r.student,
                    r.status,
                    f"{r.score:g}",
                    f"{r.max_score:g}",
                    "yes" if r.needs_manual else "no",
                    "; ".join(r.notes),
                ]
            )
    return path


def collect_exchange(root: Path, quiz_id: str) -> list[str]:
    """Collect submissions from the nbgrader exchange; return the students collected."""
    import nbformat

    quiz(root, quiz_id)
    with Guarded(root):
        check_result(nbgrader_api(root).collect(quiz_id), "collect from the exchange")
    course = course_dir(root)
    students = []
    for path in sorted(course.glob(f"submitted/*/{quiz_id}/*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
            ok = quiz_of(nb) == quiz_id
        except Exception:  # a broken file is reported by autograde, never dropped
            ok = False
        students.append(path.parent.parent.name + ("" if ok else " (check this file)"))
    return students


def student_ids(text: str) -> list[str]:
    """Student ids from a comma- or space-separated list."""
    return [s for s in re.split(r"[,\s]+", text) if s]
