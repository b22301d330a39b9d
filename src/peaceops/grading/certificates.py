"""Certificates for the students who passed a quiz with a pass mark, and their verification.

``issue(root, quiz_id)`` writes a one-page PDF (fpdf2) for every student whose
submission is fully graded and at or above the quiz's pass mark: the student's name, the
course, the quiz, the date, the score and a verification code. The code is an HMAC of
those facts under a key kept beside the gradebook (``quizzes/.certificate-key``, never
committed), so ``verify(root, code)`` recomputes it from the gradebook: a code matches
only a certificate this gradebook issued, for the score it records. A student whose
written answers are not marked yet gets no certificate until they are, and the report
says so; a student below the pass mark gets none.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import importlib.util
import math
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from peaceops.grading.quizzes import Quiz, load_quizzes
from peaceops.grading.workflow import GradingError, course_dir, db_url, quiz

KEY_FILE = ".certificate-key"


@dataclass
class Certificate:
    """One student's outcome: passed or not, and the certificate if one was written."""

    student: str
    name: str
    score: float
    max_score: float
    status: str  # passed | below the pass mark | written answers not marked yet
    date: str = ""
    code: str = ""
    path: Path | None = None

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0


def _key(root: Path) -> bytes:
    """The course's certificate key, made on first use (readable by its owner only)."""
    path = course_dir(root) / KEY_FILE
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        os.chmod(path, 0o600)
    return path.read_text(encoding="utf-8").strip().encode()


def code_for(key: bytes, quiz_id: str, student: str, score: float, date: str) -> str:
    """The verification code of a certificate: XXXX-XXXX-XXXX (base32, no lookalikes)."""
    message = f"{quiz_id}|{student}|{score:g}|{date}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:12]
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def _outcomes(root: Path, quiz_obj: Quiz) -> list[Certificate]:
    """Every graded submission of the quiz against its pass mark, from the gradebook."""
    from nbgrader.api import Gradebook

    key = _key(root)
    needed = math.ceil(quiz_obj.points * quiz_obj.pass_mark / 100)
    found = []
    with Gradebook(db_url(root)) as gb:
        for sub in gb.assignment_submissions(quiz_obj.id):
            student = sub.student
            name = " ".join(filter(None, (student.first_name, student.last_name))) or student.id
            when = (sub.timestamp or dt.datetime.now()).date().isoformat()
            cert = Certificate(student.id, name, float(sub.score), float(sub.max_score), "")
            if sub.needs_manual_grade:
                cert.status = "written answers not marked yet"
            elif cert.score < needed:
                cert.status = "below the pass mark"
            else:
                cert.status, cert.date = "passed", when
                cert.code = code_for(key, quiz_obj.id, student.id, cert.score, when)
            found.append(cert)
    return sorted(found, key=lambda c: c.student)


def course_title(root: Path) -> str:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("title") or "peaceops")


def issue(root: Path, quiz_id: str, out: Path | None = None) -> list[Certificate]:
    """Write a PDF for every student who passed; ``reports/<quiz>-certificates.csv`` for all."""
    quiz_obj = quiz(root, quiz_id)
    if quiz_obj.pass_mark is None:
        raise GradingError(
            f"'{quiz_id}' has no pass mark: add 'certificate: true' (75 %) or 'pass_mark: N' "
            "to its entry in quizzes/quizzes.yml"
        )
    folder = out or course_dir(root) / "certificates" / quiz_id
    folder.mkdir(parents=True, exist_ok=True)
    results = _outcomes(root, quiz_obj)
    title = course_title(root)
    for cert in results:
        if cert.status == "passed":
            cert.path = write_pdf(cert, quiz_obj, title, folder / f"{cert.student}.pdf")
    report = course_dir(root) / "reports" / f"{quiz_id}-certificates.csv"
    report.parent.mkdir(parents=True, exist_ok=True)
    with report.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "name", "score", "max_score", "percent", "status", "date",
                         "code", "certificate"])  # fmt: skip
        for c in results:
            writer.writerow([c.student, c.name, f"{c.score:g}", f"{c.max_score:g}",
                             f"{c.percent:.0f}", c.status, c.date, c.code,
                             c.path.name if c.path else ""])  # fmt: skip
    return results


def verify(root: Path, code: str) -> tuple[Certificate, Quiz] | None:
    """The certificate (and quiz) this gradebook issued with ``code``, or None."""
    wanted = code.strip().upper().replace(" ", "")
    for quiz_obj in load_quizzes(root):
        if quiz_obj.pass_mark is None:
            continue
        outcomes = _outcomes(root, quiz_obj)  # a quiz never graded has none
        for cert in outcomes:
            if cert.code and hmac.compare_digest(cert.code, wanted):
                return cert, quiz_obj
    return None


def _font() -> Path | None:
    """DejaVu Sans from matplotlib's own data (every name prints, accents and all)."""
    spec = importlib.util.find_spec("matplotlib")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = Path(base) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.exists():
            return path
    return None


def write_pdf(cert: Certificate, quiz_obj: Quiz, course: str, path: Path) -> Path:
    """One certificate, A4 landscape."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Certificate: {course}")
    pdf.set_author("peaceops")
    pdf.add_page()
    font = _font()
    family = "DejaVu" if font else "Helvetica"
    if font:
        pdf.add_font("DejaVu", "", str(font))
    pdf.set_draw_color(31, 78, 153)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)

    def line(text: str, size: int, height: float, gap: float = 0) -> None:
        pdf.set_font(family, size=size)
        pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    pdf.set_y(32)
    line("Certificate of achievement", 30, 14, 8)
    line("This certifies that", 14, 8, 2)
    line(cert.name, 26, 13, 4)
    line(f"passed {quiz_obj.title}", 16, 8)
    line(f"of the course {course}", 16, 8, 4)
    line(f"with {cert.score:g} of {cert.max_score:g} points ({cert.percent:.0f} %; pass mark "
         f"{quiz_obj.pass_mark:g} %) on {cert.date}.", 13, 7, 14)  # fmt: skip
    line(f"Verification code: {cert.code}", 12, 7)
    line("The issuing instructor checks it against the gradebook: "
         f"peaceops quiz verify {cert.code}", 9, 5)  # fmt: skip
    pdf.output(str(path))
    return path
