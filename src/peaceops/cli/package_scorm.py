"""``peaceops package scorm``: the course as a SCORM package for any LMS.

:func:`add_scorm_command` adds ``scorm`` to the sub-commands of a ``package`` group;
:func:`add_package_commands` creates that group when no other module has (the group's
other formats, PDF and EPUB, can add themselves to the same sub-parsers).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from peaceops import book
from peaceops.book import scorm
from peaceops.course import toc


def cmd_scorm(args: argparse.Namespace) -> int:
    """Build the book if it is missing or stale, then write the SCORM package."""
    root = toc.find_root(args.root)
    html = root / book.HTML_DIR
    if scorm.site_is_stale(root, html):
        print("The built site is missing or stale: building the book...", file=sys.stderr)
        book.build(root)
    package = scorm.write_package(root, html, args.version, out=args.output)
    with_questions = sum(1 for sco in package.scos if sco.questions)
    print(
        f"Wrote {package.path} (SCORM {scorm.SCHEMA_VERSIONS[args.version]}): "
        f"{len(package.scos)} SCOs, {with_questions} with self-checks, {package.files} files."
    )
    return 0


def add_scorm_command(package_sub: argparse._SubParsersAction) -> None:
    """Add ``scorm`` to the sub-commands of the ``package`` group."""
    p = package_sub.add_parser(
        "scorm",
        help="write dist/<name>-scorm12.zip (or -scorm2004.zip): the course for any LMS",
        description=(
            "Write the built site as a SCORM package: one SCO per chapter (the chapter and "
            "its exercise page) reporting completion, the self-check score and the "
            "learner's answers to the LMS. Builds the book first if it is missing or stale."
        ),
    )
    p.add_argument("--root", type=Path, default=None, help="the course checkout")
    p.add_argument(
        "--version",
        choices=scorm.VERSIONS,
        default="1.2",
        help="SCORM 1.2 (default; every LMS takes it) or 2004 (4th edition)",
    )
    p.add_argument("--output", type=Path, default=None, help="the zip to write (default: in dist/)")
    p.set_defaults(func=cmd_scorm)


def add_package_commands(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add the ``package`` group with its ``scorm`` command; return the group's sub-parsers."""
    group = sub.add_parser("package", help="package the course: SCORM for an LMS")
    package_sub = group.add_subparsers(dest="package_command", required=True)
    add_scorm_command(package_sub)
    return package_sub
