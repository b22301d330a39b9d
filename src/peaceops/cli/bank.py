"""``peaceops bank ...``: the question bank for other learning platforms.

peaceops bank export --format moodle|gift|qti|all [--pool DIR]... [--pool-only]
                     [--ordering native|matching] [--out dist/]

writes ``dist/peaceops-practice.moodle.xml``, ``.gift.txt`` or ``.canvas-qti.zip`` (and,
with ``--pool``, ``dist/peaceops-pool.*`` beside them), then prints how each bank type
was mapped (``questions/lms-export.md`` explains the mapping and the imports).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from peaceops.course import toc


def cmd_export(args: argparse.Namespace) -> int:
    """Export the practice bank (and a pool) in the chosen formats; print the mapping."""
    from peaceops import bank, lms

    root = toc.find_root(args.root)
    out = args.out if args.out.is_absolute() else root / args.out
    formats = list(lms.FORMATS) if args.format == "all" else [args.format]

    def done(written: lms.Written) -> None:
        print(f"{written.path}  ({written.questions} {written.label} questions, {written.format})")

    try:
        _, sets = lms.export_bank(root, formats, out, pool=args.pool or [],
                                  pool_only=args.pool_only, ordering=args.ordering,
                                  progress=done)  # fmt: skip
    except bank.BankError as err:
        print(err, file=sys.stderr)
        return 1
    for label, items in sets.items():
        print(f"\nHow the {label} questions were mapped:")
        print("\n".join(f"  {line}" for line in lms.summary(items)))
    if args.ordering == "native" and "moodle" in formats:
        print("\nOrdering questions use Moodle's ordering type (core since Moodle 4.4); "
              "for an older Moodle, export with --ordering matching.")  # fmt: skip
    return 0


def add_bank_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``peaceops bank`` and its sub-commands to the ``peaceops`` parser."""
    group = sub.add_parser("bank", help="the question bank for Moodle and Canvas")
    steps = group.add_subparsers(dest="bank_command", required=True)
    export = steps.add_parser(
        "export", help="write the bank as Moodle XML, GIFT or a QTI package for Canvas"
    )
    export.add_argument(
        "--format",
        required=True,
        choices=("moodle", "gift", "qti", "all"),
        help="moodle: Moodle XML; gift: GIFT; qti: QTI 1.2 zip for Canvas",
    )
    export.add_argument(
        "--out",
        type=Path,
        default=Path("dist"),
        help="the folder to write to (default: dist/ of the course)",
    )
    export.add_argument(
        "--pool",
        type=Path,
        action="append",
        metavar="DIR",
        help="also export an assessment pool (a folder of question files; "
        "repeatable), to its own files: dist/peaceops-pool.*",
    )
    export.add_argument(
        "--pool-only", action="store_true", help="export only the pool, not the practice bank"
    )
    export.add_argument(
        "--ordering",
        choices=("native", "matching"),
        default="native",
        help="Moodle: ask ordering questions with the ordering type (Moodle "
        "4.4+, default) or as matching (item -> position)",
    )
    export.add_argument("--root", type=Path, default=None, help="the course checkout")
    export.set_defaults(func=cmd_export)
