"""Keep the SQLite gradebook safe: check it before every step, keep a last good copy.

Every ``peaceops quiz`` step that writes grades first checks ``quizzes/gradebook.db``
(SQLite's own integrity check). A corrupt gradebook is refused with a message that says
where the last good copy is and how to restore it; after a step succeeds, the good
gradebook is copied to ``gradebook.db.last-good`` with SQLite's backup API (a consistent
copy, never a half-written one). The corrupt file is never overwritten or deleted.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

BACKUP_SUFFIX = ".last-good"


class GradebookError(Exception):
    """The gradebook cannot be used; the message says what to do."""


def backup_path(db: Path) -> Path:
    """Where the last good copy of a gradebook is kept."""
    return db.with_name(db.name + BACKUP_SUFFIX)


def problem(db: Path) -> str | None:
    """What is wrong with a gradebook file, or None when it is sound (or absent)."""
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as err:
        return f"it is not a readable SQLite database ({err})"
    if result != "ok":
        return f"SQLite's integrity check failed: {result}"
    if tables and "assignment" not in tables:
        return "it is an SQLite database but not an nbgrader gradebook (no 'assignment' table)"
    return None


def check(db: Path) -> None:
    """Refuse a corrupt gradebook with where the last good copy is; do nothing if sound."""
    found = problem(db)
    if found is None:
        return
    backup = backup_path(db)
    if backup.exists() and problem(backup) is None:
        stamp = dt.datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        advice = (
            f"The last good copy, from {stamp}, is {backup}. Restore it with "
            "'peaceops quiz restore-gradebook' (the corrupt file is kept beside it), "
            "then run the steps since then again."
        )
    else:
        advice = (
            "There is no good copy to restore. Move the file aside and run "
            "'peaceops quiz release' and 'peaceops quiz autograde' again: the submissions "
            "in submitted/ are intact and are graded afresh."
        )
    raise GradebookError(f"The gradebook {db} is corrupt: {found}. Nothing was changed. {advice}")


def check_server(url: str) -> None:
    """Refuse a server gradebook (PostgreSQL) that cannot be reached, saying what to fix."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    shown = url.split("@")[-1]  # never print a password
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except (SQLAlchemyError, ImportError) as err:
        reason = str(err).strip().splitlines()[0]
        raise GradebookError(
            f"Cannot reach the gradebook at {shown}: {reason}. Start the database server, "
            "or correct PEACEOPS_DB_URL (e.g. postgresql://user@host:5432/peaceops)."
        ) from err


def keep_good_copy(db: Path) -> Path | None:
    """After a successful step, copy a sound gradebook to its last-good copy."""
    if not db.exists() or problem(db) is not None:
        return None
    backup = backup_path(db)
    partial = backup.with_name(backup.name + ".partial")
    with sqlite3.connect(db) as source, sqlite3.connect(partial) as target:
        source.backup(target)
    partial.replace(backup)
    return backup


def restore(db: Path) -> Path:
    """Put the last good copy back; keep the damaged file as ``gradebook.db.corrupt-<time>``."""
    backup = backup_path(db)
    if not backup.exists() or problem(backup) is not None:
        raise GradebookError(f"There is no good copy of the gradebook to restore ({backup}).")
    kept = None
    if db.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = db.with_name(f"{db.name}.corrupt-{stamp}")
        db.replace(kept)
    shutil.copyfile(backup, db)
    return kept or db
