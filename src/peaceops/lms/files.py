"""Which files ``peaceops bank export`` writes, and writing them.

The practice bank goes to ``<out>/peaceops-practice.<ext>`` under the Moodle category
``$course$/peaceops/<chapter>``. An instructor's assessment pool (``pool``: folders of
``use: assessment`` question files) goes to its own files, ``peaceops-pool.<ext>``,
under ``$course$/peaceops-pool/<chapter>``: never mixed into the practice files, which
are public like the bank, so a pool can be imported into a hidden category and the
practice bank shared without it. ``pool_only`` leaves the practice bank out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from peaceops import bank
from peaceops.lms.export import Item, items_of, write_text
from peaceops.lms.gift import document as gift_document
from peaceops.lms.moodle import document as moodle_document
from peaceops.lms.qti import package as qti_package

FORMATS = ("moodle", "gift", "qti")
EXTENSIONS = {"moodle": "moodle.xml", "gift": "gift.txt", "qti": "canvas-qti.zip"}


@dataclass(frozen=True)
class Written:
    """One file written: its path, its format, which set of questions and how many."""

    path: Path
    format: str
    label: str  # practice | pool
    questions: int


def write(items: list[Item], fmt: str, path: Path, top: str, label: str,
          ordering: str = "native") -> Written:  # fmt: skip
    """Write ``items`` in one format to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "moodle":
        write_text(path, moodle_document(items, top, ordering))
    elif fmt == "gift":
        write_text(path, gift_document(items, top))
    elif fmt == "qti":
        path.write_bytes(qti_package(items, top, label))
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return Written(path, fmt, label, len(items))


def export_bank(
    root: Path,
    formats: list[str],
    out: Path,
    pool: Sequence[Path] = (),
    pool_only: bool = False,
    ordering: str = "native",
    progress: Callable[[Written], None] = lambda written: None,
) -> tuple[list[Written], dict[str, list[Item]]]:
    """Export the practice bank (and a pool) of the course at ``root``; raise BankError with
    every problem of the bank or the pool. Returns the files written and the items by set."""
    practice = bank.load_bank(root / "questions", root)
    sets: dict[str, list[Item]] = {}
    if not pool_only:
        sets["practice"] = items_of(practice)
    if pool:
        questions = bank.load_pool([Path(p) for p in pool], root, {q.id for q in practice})
        sets["pool"] = items_of(questions)
    elif pool_only:
        raise bank.BankError(
            [bank.BankProblem("--pool-only", "-", "name the pool to export with --pool DIR")]
        )
    written = []
    for label, items in sets.items():
        top = "peaceops" if label == "practice" else "peaceops-pool"
        for fmt in formats:
            done = write(items, fmt, out / f"peaceops-{label}.{EXTENSIONS[fmt]}", top, label,
                         ordering)  # fmt: skip
            progress(done)
            written.append(done)
    return written, sets
