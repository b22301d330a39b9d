"""``peaceops package ...``: the course packaged for elsewhere, one sub-command per format.

peaceops package pdf      the whole book as one PDF (dist/peaceops.pdf)
peaceops package epub     the whole book as one EPUB (dist/peaceops.epub)

The ``package`` group is made by :mod:`peaceops.cli.package_scorm` (``package scorm``);
:func:`add_book_formats` adds these two to it. Each format is one function and one line in
:data:`FORMATS`; :func:`add_format` adds one (with ``--root``) and returns its parser for
options of its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def _say(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


def _reported(make: Callable[[argparse.Namespace], Path]) -> Callable[[argparse.Namespace], int]:
    """Run a packaging step; print where the package is, or what went wrong."""

    def run(args: argparse.Namespace) -> int:
        from peaceops.course.problems import BuildError

        try:
            path = make(args)
        except BuildError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB).")
        return 0

    return run


def make_pdf(args: argparse.Namespace) -> Path:
    from peaceops.book import package

    return package.package_pdf(args.root, args.output, progress=_say)


def make_epub(args: argparse.Namespace) -> Path:
    from peaceops.book import package

    return package.package_epub(args.root, args.output, progress=_say)


#: name: (what it makes, the function that makes it and returns its path)
FORMATS: dict[str, tuple[str, Callable[[argparse.Namespace], Path]]] = {
    "pdf": ("the whole book as one PDF in dist/ (printed with Chromium)", make_pdf),
    "epub": ("the whole book as one EPUB in dist/ (Sphinx's epub builder)", make_epub),
}


def add_format(
    formats: argparse._SubParsersAction, name: str, help_text: str,
    make: Callable[[argparse.Namespace], Path],
) -> argparse.ArgumentParser:  # fmt: skip
    """Add ``peaceops package <name>``; return its parser for options of its own."""
    p = formats.add_parser(name, help=help_text, description=help_text)
    p.add_argument("--root", type=Path, default=None, help="the course checkout")
    p.add_argument("--output", type=Path, default=None,
                   help="the file to write (default: in dist/)")  # fmt: skip
    p.set_defaults(func=_reported(make))
    return p


def add_book_formats(formats: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add ``pdf`` and ``epub`` to the sub-commands of the ``package`` group (made by
    :func:`peaceops.cli.package_scorm.add_package_commands`); return the sub-commands."""
    for name, (help_text, make) in FORMATS.items():
        add_format(formats, name, help_text, make)
    return formats
