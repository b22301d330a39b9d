"""Collect a class's submissions from an LMS download (a zip of notebooks), losing none.

Each notebook in the zip becomes ``submitted/<student>/<quiz>/<quiz>.ipynb`` (with its
``timestamp.txt``), nbgrader's layout. A file that cannot be graded is not dropped: it is
copied to ``rejected/<quiz>/`` and the reason goes into ``reports/<quiz>-collect.csv``,
one row per file of the zip. An earlier submission that a newer one replaces is moved to
``archive/<quiz>/``, never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Default: the student id is what comes before the first "_" or "/" of the file's path
#: in the zip (``ben_4402_quiz.ipynb`` or ``ben/quiz.ipynb``); ``--pattern`` sets another.
DEFAULT_PATTERN = r"^(?P<student>[^_/]+)[_/]"
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
#: A notebook compresses perhaps tenfold; far more than this is a zip bomb.
MAX_RATIO = 200


@dataclass
class Outcome:
    """What happened to one file of the zip."""

    file: str
    student: str
    status: str  # collected | rejected | superseded | skipped
    reason: str = ""


class CollectError(Exception):
    """The download itself cannot be read; the message says what to fix."""


def safe_student_id(raw: str) -> tuple[str | None, str]:
    """A student id nbgrader and the file system accept, and a note when it was changed.

    Spaces and odd characters become "_"; an id with nothing usable is refused (None).
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", raw.strip()).strip("._-")[:64]
    if not cleaned or not SAFE_ID.fullmatch(cleaned):
        return None, f"no usable student id in {raw!r}"
    note = "" if cleaned == raw else f"student id {raw!r} stored as {cleaned!r}"
    return cleaned, note


def quiz_of(notebook: dict) -> str | None:
    """The quiz a notebook belongs to, from the metadata every released quiz carries."""
    return notebook.get("metadata", {}).get("peaceops", {}).get("quiz")


def intro_title(notebook: dict) -> str:
    """The quiz title of a notebook's opening cell ("# Quiz: <title>"), or ""."""
    cells = notebook.get("cells") or [{}]
    source = cells[0].get("source", "")
    first = ("".join(source) if isinstance(source, list) else source).split("\n")[0]
    return first.removeprefix("# Quiz: ") if first.startswith("# Quiz: ") else ""


def read_submission(raw: bytes, quiz_id: str, title: str = "") -> tuple[dict | None, str]:
    """The notebook of a submitted file and a note, or None and why it cannot be graded.

    A quiz is known by the metadata every released copy carries; if an editor dropped
    it, by the title of its opening cell (``title``), with a note saying so.
    """
    import nbformat

    if len(raw) > MAX_NOTEBOOK_BYTES:
        return None, f"file is {len(raw) // 1_000_000} MB, over the 20 MB a quiz can be"
    try:
        text = raw.decode("utf-8")
        notebook = nbformat.reads(text, as_version=4)
    except (UnicodeDecodeError, json.JSONDecodeError, nbformat.reader.NotJSONError) as err:
        return None, f"not a notebook (not valid notebook JSON: {str(err)[:120]})"
    except Exception as err:  # nbformat raises several kinds for broken files
        return None, f"not a readable notebook ({type(err).__name__}: {str(err)[:120]})"
    found = quiz_of(notebook)
    if found is None and title and intro_title(notebook) == title:
        return notebook, "quiz metadata missing (dropped by an editor?); recognised by its title"
    if found is None:
        return None, "not a peaceops quiz notebook (no quiz metadata): wrong file uploaded?"
    if found != quiz_id:
        return None, f"this is the '{found}' quiz, not '{quiz_id}': wrong assignment folder"
    return notebook, ""


def collect_zip(
    course: Path, quiz_id: str, download: Path, pattern: str = DEFAULT_PATTERN, title: str = ""
) -> list[Outcome]:
    """Unpack an LMS download into ``submitted/``; return one outcome per file in it.

    ``title`` (the quiz's title) recognises a notebook whose quiz metadata was dropped.
    """
    if not download.is_file():
        raise CollectError(f"{download}: no such file; give the zip your LMS downloaded")
    try:
        archive = zipfile.ZipFile(download)
    except zipfile.BadZipFile:
        raise CollectError(f"{download}: not a zip file; download the submissions again") from None
    regex = re.compile(pattern)
    outcomes: list[Outcome] = []
    latest: dict[str, tuple[dt.datetime, zipfile.ZipInfo, str]] = {}
    with archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or PurePosixPath(name).name.startswith("."):
                continue
            if not name.endswith(".ipynb"):
                outcomes.append(Outcome(name, "", "skipped", "not a notebook (.ipynb)"))
                continue
            match = regex.search(name)
            student, note = safe_student_id(match["student"]) if match else (None, "")
            if student is None:
                reason = note or f"no student id in the file name (pattern {pattern})"
                outcomes.append(_reject(course, quiz_id, archive, info, "", reason))
                continue
            when = dt.datetime(*info.date_time)
            earlier = latest.get(student)
            if earlier and earlier[0] > when:
                outcomes.append(_archive_member(course, quiz_id, archive, info, student))
                continue
            if earlier:
                outcomes.append(_archive_member(course, quiz_id, archive, earlier[1], student))
            latest[student] = (when, info, note)
        for student, (when, info, note) in sorted(latest.items()):
            raw, problem = read_member(archive, info)
            if raw is None:
                outcomes.append(
                    Outcome(
                        info.filename,
                        student,
                        "rejected",
                        f"{problem}; not unpacked, left in {download.name}",
                    )
                )
                continue
            notebook, problem = read_submission(raw, quiz_id, title)
            if notebook is None:
                outcomes.append(_reject(course, quiz_id, archive, info, student, problem))
                continue
            place_submission(course, quiz_id, student, raw, when)
            notes = "; ".join(n for n in (note, problem) if n)
            outcomes.append(Outcome(info.filename, student, "collected", notes))
    write_report(course, quiz_id, outcomes)
    return outcomes


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str]:
    """A member's bytes, checked before and while it is unpacked: (None, why) if refused.

    The declared size and the compression ratio are checked before anything is read, and
    the reading stops one byte past the limit, so a zip that lies about its sizes costs
    no more than the limit in memory.
    """
    limit_mb = MAX_NOTEBOOK_BYTES // (1024 * 1024)
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return (
            None,
            f"declares {info.file_size:,} bytes, over the {limit_mb} MB a notebook may have",
        )
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return None, (f"compressed {info.file_size // max(info.compress_size, 1):,} to 1, "
                      "which no notebook is (a zip bomb?)")  # fmt: skip
    try:
        with archive.open(info) as member:
            raw = member.read(MAX_NOTEBOOK_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as err:
        return None, f"cannot be unpacked ({err})"
    if len(raw) > MAX_NOTEBOOK_BYTES:
        return None, f"unpacks to more than the {limit_mb} MB a notebook may have"
    return raw, ""


def place_submission(
    course: Path, quiz_id: str, student: str, raw: bytes, when: dt.datetime
) -> Path:
    """Put one notebook where nbgrader looks; an older submission goes to the archive."""
    folder = course / "submitted" / student / quiz_id
    target = folder / f"{quiz_id}.ipynb"
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        kept = course / "archive" / quiz_id / f"{student}-{stamp}.ipynb"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(target, kept)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)
    (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S"), encoding="utf-8")
    return target


def _flat(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def _reject(
    course: Path,
    quiz_id: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    student: str,
    reason: str,
) -> Outcome:
    raw, problem = read_member(archive, info)
    if raw is None:
        return Outcome(info.filename, student, "rejected", f"{reason}; {problem}; not unpacked")
    target = course / "rejected" / quiz_id / _flat(info.filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)
    return Outcome(info.filename, student, "rejected", f"{reason}; kept as {target.name}")


def _archive_member(
    course: Path, quiz_id: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, student: str
) -> Outcome:
    raw, problem = read_member(archive, info)
    if raw is None:
        return Outcome(
            info.filename,
            student,
            "superseded",
            f"a later submission of the same student; {problem}; not unpacked",
        )
    target = course / "archive" / quiz_id / _flat(info.filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(raw)
    return Outcome(info.filename, student, "superseded", "a later submission of the same student")


def write_report(course: Path, quiz_id: str, outcomes: list[Outcome]) -> Path:
    """Write ``reports/<quiz>-collect.csv``: every file of the download and its fate."""
    path = course / "reports" / f"{quiz_id}-collect.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "student", "status", "reason"])
        for o in outcomes:
            writer.writerow([o.file, o.student, o.status, o.reason])
    return path
