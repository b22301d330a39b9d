"""Autograde a class: every submission in its own sandbox, in parallel, nothing lost.

Each submission is graded by nbgrader's autograde with our ``SandboxExecute`` in place of
its kernel (``engine/execute.py``), in a pool of worker processes (as many as cores by
default; any ``concurrent.futures`` executor will do, a Dask cluster's included). Every
result is appended to a journal (``reports/<quiz>-autograde.jsonl``) the moment it
arrives, so a crash of the grader loses nothing already graded and ``resume=True``
grades only what is left; the CSV report is written from the journal.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from peaceops.grading import answers
from peaceops.grading.collect import read_submission
from peaceops.grading.workflow import (
    GradingError,
    Guarded,
    Progress,
    course_dir,
    db_url,
    nbgrader_api,
    quiet,
    quiz,
)


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
            if "ran past its" in text and "limit" in text:
                notes.append("the notebook ran past its time limit; cells after that were not run")
            elif "CellTimeoutError" in text or "TimeoutError" in output.get("ename", ""):
                notes.append(f"{grade_id} ran too long and was stopped")
            elif "Output truncated" in text:
                notes.append(f"{grade_id} printed too much; its output was cut")
            elif output.get("ename") == "MemoryError":
                notes.append(f"{grade_id} ran out of the memory a grading run may use")
            elif "File too large" in text or "No space left" in text:
                notes.append(f"{grade_id} wrote more than a grading run may write")
            elif output.get("ename") == "NotebookStopped":
                notes.append("the notebook's process ended early; cells after that were not run")
    return sorted(set(notes))


# -- one submission (runs in a worker) --------------------------------------------------

_APIS: dict[str, object] = {}


@dataclass(frozen=True)
class QuizContext:
    """What every worker needs to know of the quiz, computed once by the caller."""

    quiz_id: str
    title: str
    max_score: float
    released: dict


def grade_one(root: Path, context: QuizContext, student: str) -> GradeReport:
    """Autograde one student's submission; every failure becomes a note, never an exception."""
    from nbgrader.api import Gradebook

    quiz_id = context.quiz_id
    course = course_dir(root)
    report = GradeReport(student, "not graded", max_score=context.max_score)
    path = course / "submitted" / student / quiz_id / f"{quiz_id}.ipynb"
    if not path.exists():
        report.notes.append(f"no submission at {path.relative_to(course)}")
        return report
    notebook, problem = read_submission(path.read_bytes(), quiz_id, context.title)
    if notebook is None:
        report.notes.append(problem + "; the file is kept in submitted/")
        return report
    report.notes += [problem] if problem else []
    report.notes += tampering(notebook, context.released)
    key = f"{root}|{db_url(root)}"
    api = _APIS.get(key)
    if api is None:
        api = _APIS[key] = nbgrader_api(root)
    try:
        result = api.autograde(quiz_id, student, force=True, create=True)
    except Exception as err:  # nbgrader itself failed: say so, keep the submission
        result = {"success": False, "error": f"{type(err).__name__}: {err}"}
    if not result.get("success"):
        lines = (result.get("error") or result.get("log") or "").strip().splitlines()
        report.notes.append("nbgrader failed: " + (lines[-1] if lines else "no log"))
        return report
    autograded = course / "autograded" / student / quiz_id / f"{quiz_id}.ipynb"
    report.notes += runtime_notes(autograded)
    with Gradebook(db_url(root)) as gb:
        sub = gb.find_submission(quiz_id, student)
        report.status = "graded"
        report.score, report.max_score = sub.score, sub.max_score
        report.needs_manual = bool(sub.needs_manual_grade)
    return report


# -- the class ---------------------------------------------------------------------------


def journal_path(course: Path, quiz_id: str) -> Path:
    """Where each result is appended as it arrives."""
    return course / "reports" / f"{quiz_id}-autograde.jsonl"


def read_journal(course: Path, quiz_id: str) -> dict[str, GradeReport]:
    """The latest result of each student in the journal (a torn last line is skipped)."""
    path = journal_path(course, quiz_id)
    found: dict[str, GradeReport] = {}
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            report = GradeReport(**json.loads(line))
        except (ValueError, TypeError):
            continue
        found[report.student] = report
    return found


def default_executor(workers: int | None) -> Executor:
    """A pool of worker processes, forked so that nbgrader is imported only once."""
    count = workers or os.cpu_count() or 1
    return ProcessPoolExecutor(max_workers=count, mp_context=get_context("fork"))


def autograde(
    root: Path,
    quiz_id: str,
    students: list[str] | None = None,
    progress: Progress = quiet,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    resume: bool = False,
) -> list[GradeReport]:
    """Autograde every collected submission (or the named students); write a report.

    ``workers=1`` grades in this process; otherwise a pool of ``workers`` processes (as
    many as cores by default), or ``executor`` (a Dask ``Client.get_executor()``, say).
    ``resume`` skips the students the journal already has as graded.
    """
    quiz_obj = quiz(root, quiz_id)
    course = course_dir(root)
    released = course / "release" / quiz_id / f"{quiz_id}.ipynb"
    if not released.exists():
        raise GradingError(
            f"{quiz_id} has not been released: run 'peaceops quiz release {quiz_id}'"
        )
    found = sorted(p.parent.parent.name for p in course.glob(f"submitted/*/{quiz_id}/*.ipynb"))
    students = students or found
    if not students:
        raise GradingError(f"no submissions in {course}/submitted/*/{quiz_id}/: collect them first")
    done = read_journal(course, quiz_id) if resume else {}
    todo = [s for s in students if not (s in done and done[s].status == "graded")]
    if not resume:
        journal_path(course, quiz_id).unlink(missing_ok=True)
    if len(todo) < len(students):
        progress(f"resuming: {len(students) - len(todo)} already graded, {len(todo)} to go")
    context = QuizContext(quiz_id, quiz_obj.title, float(quiz_obj.points),
                          json.loads(released.read_text(encoding="utf-8")))  # fmt: skip
    with Guarded(root):
        results = _run_all(root, context, todo, progress, workers, executor)
    done.update(results)
    reports = [done[s] for s in students if s in done]
    write_autograde_report(course, quiz_id, reports)
    return reports


def _run_all(root: Path, context: QuizContext, students: list[str], progress: Progress,
             workers: int | None, executor: Executor | None) -> dict[str, GradeReport]:  # fmt: skip
    journal = journal_path(course_dir(root), context.quiz_id)
    journal.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, GradeReport] = {}
    tracker = _Tracker(len(students), progress)
    with journal.open("a", encoding="utf-8") as log:

        def record(report: GradeReport) -> None:
            results[report.student] = report
            log.write(json.dumps(asdict(report)) + "\n")
            log.flush()
            tracker.done(report)

        if (workers == 1 and executor is None) or not students:
            for student in students:
                record(grade_one(root, context, student))
            return results
        pool = executor or default_executor(workers)
        try:
            futures: dict[Future, str] = {
                pool.submit(grade_one, root, context, s): s for s in students
            }
            for future in as_completed(futures):
                student = futures[future]
                try:
                    record(future.result())
                except Exception as err:  # a worker died: the submission is reported
                    failed = GradeReport(student, "not graded", max_score=context.max_score)
                    failed.notes.append(
                        f"the grading worker failed ({type(err).__name__}); "
                        "run 'peaceops quiz autograde --resume' to grade it again"
                    )
                    record(failed)
        finally:
            if executor is None:
                pool.shutdown(wait=True, cancel_futures=True)
    return results


class _Tracker:
    """A progress line per submission: done of total, not graded, time left."""

    def __init__(self, total: int, progress: Callable[[str], None]) -> None:
        self.total, self.progress = total, progress
        self.count = self.failed = 0
        self.started = time.monotonic()

    def done(self, report: GradeReport) -> None:
        self.count += 1
        self.failed += report.status != "graded"
        spent = time.monotonic() - self.started
        left = spent / self.count * (self.total - self.count)
        bar = "#" * (20 * self.count // self.total)
        self.progress(
            f"[{bar:<20}] {self.count}/{self.total} {report.student}: {report.status}"
            f"{'' if report.status != 'graded' else f' {report.score:g}/{report.max_score:g}'}"
            f" | {self.failed} not graded | ~{left:.0f} s left"
        )


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
