"""After autograding: manual marks, feedback, the grades CSV and the item analysis.

Each function works on the course's gradebook through nbgrader's ``Gradebook`` API and
keeps the gradebook safe the way every step does (checked before, copied after a write).
"""

from __future__ import annotations

import csv
from pathlib import Path

from peaceops.grading.quizzes import Quiz, data_counts
from peaceops.grading.workflow import (
    GradingError,
    Guarded,
    Progress,
    check_gradebook,
    check_result,
    course_dir,
    db_url,
    nbgrader_api,
    quiet,
    quiz,
)


def mark(
    root: Path, quiz_id: str, student: str, item_ref: str, points: float, comment: str = ""
) -> None:
    """Record a manual mark (a written answer, or an override) for one item of one student."""
    from nbgrader.api import Gradebook, MissingEntry

    quiz_obj = quiz(root, quiz_id)
    item = quiz_obj.item(item_ref)
    if not 0 <= points <= item.points:
        raise GradingError(f"{item.var} is worth 0 to {item.points} points, not {points:g}")
    with Guarded(root), Gradebook(db_url(root)) as gb:
        try:
            grade = gb.find_grade(item.grade_id, quiz_id, quiz_id, student)
        except MissingEntry:
            raise GradingError(
                f"no autograded {quiz_id} of '{student}': autograde it first"
            ) from None
        grade.manual_score = float(points)
        grade.needs_manual_grade = False
        if comment:
            target = gb.find_comment(item.grade_id, quiz_id, quiz_id, student)
            target.manual_comment = comment
        gb.db.commit()


def feedback(
    root: Path, quiz_id: str, exchange: bool = False, progress: Progress = quiet
) -> list[Path]:
    """Write each graded student's feedback (HTML) into ``feedback/``; optionally return it."""
    course = course_dir(root)
    quiz(root, quiz_id)
    students = sorted(
        p.parent.parent.name for p in course.glob(f"autograded/*/{quiz_id}/{quiz_id}.ipynb")
    )
    if not students:
        raise GradingError(
            f"nothing autograded for {quiz_id}: run 'peaceops quiz autograde {quiz_id}'"
        )
    with Guarded(root):
        api = nbgrader_api(root)
        for number, student in enumerate(students, start=1):
            progress(f"[{number}/{len(students)}] feedback for {student}")
            check_result(
                api.generate_feedback(quiz_id, student, force=True), f"write {student}'s feedback"
            )
            secret = course / "feedback" / student / quiz_id / "submission_secret.txt"
            if exchange and not secret.exists():
                progress(f"    {student} did not submit through the exchange: hand the HTML out")
            elif exchange:
                check_result(api.release_feedback(quiz_id, student), f"return {student}'s feedback")
    return sorted(course.glob(f"feedback/*/{quiz_id}/{quiz_id}.html"))


def _report_rows(course: Path, quiz_id: str, kind: str) -> list[dict[str, str]]:
    path = course / "reports" / f"{quiz_id}-{kind}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def grade_rows(root: Path, quiz_obj: Quiz) -> list[dict[str, str]]:
    """One row per student: total, each item's score, and a status that says why."""
    from nbgrader.api import Gradebook, MissingEntry

    quiz_id = quiz_obj.id
    course = course_dir(root)
    check_gradebook(root)
    notes = {r["student"]: r["notes"] for r in _report_rows(course, quiz_id, "autograde")}
    rows = []
    with Gradebook(db_url(root)) as gb:
        for student in sorted(s.id for s in gb.students):
            row = {"student": student, "quiz": quiz_id, "max_score": f"{quiz_obj.points:g}"}
            try:
                sub = gb.find_submission(quiz_id, student)
            except MissingEntry:
                row.update(score="0", status="no submission graded", notes=notes.get(student, ""))
                rows.append(row)
                continue
            row.update(
                score=f"{sub.score:g}",
                status="needs manual grading" if sub.needs_manual_grade else "graded",
                notes=notes.get(student, ""),
            )
            for item in quiz_obj.items:
                grade = gb.find_grade(item.grade_id, quiz_id, quiz_id, student)
                row[item.var] = "" if grade.score is None else f"{grade.score:g}"
            rows.append(row)
    graded = {row["student"] for row in rows}
    for row in _report_rows(course, quiz_id, "autograde"):
        if row["student"] not in graded:  # nbgrader never saw it: say why, never drop it
            graded.add(row["student"])
            rows.append({"student": row["student"], "quiz": quiz_id, "score": "",
                         "max_score": f"{quiz_obj.points:g}", "status": row["status"],
                         "notes": row["notes"]})  # fmt: skip
    for path in sorted(course.glob(f"submitted/*/{quiz_id}/{quiz_id}.ipynb")):
        student = path.parent.parent.name
        if student not in graded:
            rows.append({"student": student, "quiz": quiz_id, "score": "",
                         "max_score": f"{quiz_obj.points:g}", "status": "not yet autograded",
                         "notes": f"run 'peaceops quiz autograde {quiz_id}'"})  # fmt: skip
    for rejected in _report_rows(course, quiz_id, "collect"):
        if rejected["status"] == "rejected":
            rows.append(
                {
                    "student": rejected["student"] or "(unknown)",
                    "quiz": quiz_id,
                    "score": "",
                    "max_score": f"{quiz_obj.points:g}",
                    "status": "rejected at collection",
                    "notes": f"{rejected['file']}: {rejected['reason']}",
                }
            )
    return rows


def export(root: Path, quiz_id: str, out: Path | None = None) -> Path:
    """Write the grades of a quiz to CSV (``reports/<quiz>-grades.csv`` by default)."""
    quiz_obj = quiz(root, quiz_id)
    rows = grade_rows(root, quiz_obj)
    out = out or course_dir(root) / "reports" / f"{quiz_id}-grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    columns = [
        "student",
        "quiz",
        "score",
        "max_score",
        "status",
        *[i.var for i in quiz_obj.items],
        "notes",
    ]
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return out


def analyse_items(root: Path, quiz_id: str) -> tuple[Path, Path, list[str]]:
    """Write the item analysis of a graded quiz: ``reports/<quiz>-items.csv`` and ``.png``;
    return them and what to look at (flagged items, a class too small)."""
    from peaceops.grading import item_analysis

    quiz_obj = quiz(root, quiz_id)
    check_gradebook(root)
    course = course_dir(root)
    scores, responses = item_analysis.class_results(course, quiz_obj, db_url(root))
    if not scores:
        raise GradingError(f"no graded {quiz_id} submissions: run 'peaceops quiz autograde' first")
    stats = item_analysis.analyse(quiz_obj, scores, responses, data_counts(quiz_obj))
    reports = course / "reports"
    table = item_analysis.write_csv(stats, reports / f"{quiz_id}-items.csv")
    chart = item_analysis.plot(stats, quiz_id, reports / f"{quiz_id}-items.png")
    notes = [f"{s.item.var} ({s.item.question.id}): {', '.join(s.flags)}" for s in stats if s.flags]
    warning = item_analysis.class_warning(stats)
    return table, chart, ([f"Note: {warning}"] if warning else []) + notes
