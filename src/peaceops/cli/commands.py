"""The ``peaceops`` command: build and serve the book, regenerate, open the exercises."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
from pathlib import Path

from peaceops import book
from peaceops.book import glossary
from peaceops.cli.bank import add_bank_commands
from peaceops.cli.package import add_book_formats
from peaceops.cli.package_scorm import add_package_commands
from peaceops.cli.progress import BuildDisplay
from peaceops.cli.quiz import add_quiz_commands
from peaceops.course import toc


def cmd_build(args: argparse.Namespace) -> int:
    """Build the book, showing its progress; print where it is, or what to fix."""
    print("Building the course (warnings are errors)...", file=sys.stderr, flush=True)
    display = BuildDisplay(sys.stderr, verbose=args.verbose)
    try:
        result = book.build(args.root, clean=args.clean, progress=display, output=display.output)
    except book.BuildError as err:
        display.close()
        print(f"\n{err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        display.close()
        print("Stopped; the last good build in _build/html is unchanged.", file=sys.stderr)
        return 130
    display.close()
    print(
        f"Built {result.pages} pages in {result.seconds:.1f} s: {result.html_dir}/index.html",
        file=sys.stderr,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the book, then serve it on localhost until Ctrl-C."""
    code = cmd_build(args)
    if code:
        return code
    html = toc.find_root(args.root) / book.HTML_DIR
    handler = functools.partial(_QuietHandler, directory=str(html))
    try:
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as err:
        print(
            f"Cannot listen on {args.host}:{args.port} ({err.strerror}). "
            "Choose another port with --port.",
            file=sys.stderr,
        )
        return 1
    print(f"Serving the course at http://{args.host}:{args.port}/  (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
    finally:
        server.server_close()
    return 0


def cmd_glossary(args: argparse.Namespace) -> int:
    """Regenerate the glossary page, or check that it is current."""
    root = toc.find_root(args.root)
    if args.check:
        if glossary.is_current(root):
            print(f"{glossary.GLOSSARY} is current.")
            return 0
        print(f"{glossary.GLOSSARY} is stale: run 'peaceops glossary'.", file=sys.stderr)
        return 1
    changed = glossary.write(root)
    print(f"{glossary.GLOSSARY} {'updated' if changed else 'already current'}.")
    return 0


def cmd_notebooks(args: argparse.Namespace) -> int:
    """Regenerate the exercise notebooks from the question bank."""
    from peaceops import bank
    from peaceops.exercises import notebooks

    root = toc.find_root(args.root)
    try:
        changed = notebooks.write(root)
    except bank.BankError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{len(changed)} notebook(s) updated in {notebooks.NOTEBOOK_DIR}/.")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Open the exercise notebooks in JupyterLab, with a live kernel."""
    root = toc.find_root(args.root)
    code = cmd_notebooks(args)
    if code:
        return code
    command = [sys.executable, "-m", "jupyterlab", "--notebook-dir", str(root / "notebooks")]
    if args.no_browser:
        command.append("--no-browser")
    if args.port:
        command += ["--port", str(args.port), "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    print("Starting JupyterLab on the exercise notebooks (Ctrl-C stops it)...", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request to the terminal."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``peaceops`` command."""
    top = argparse.ArgumentParser(
        prog="peaceops",
        description="The peaceops course: build and serve the book; run the graded quizzes.",
    )
    sub = top.add_subparsers(dest="command", required=True)

    def add_build_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--root", type=Path, default=None, help="the course checkout")
        p.add_argument("--clean", action="store_true", help="rebuild every page")
        p.add_argument(
            "-v", "--verbose", action="store_true", help="show Sphinx's full output as well"
        )

    b = sub.add_parser("build", help="build the book into _build/html (warnings are errors)")
    add_build_options(b)
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="build the book and serve it on localhost")
    add_build_options(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on")
    s.add_argument("--port", type=int, default=8000, help="port to listen on")
    s.set_defaults(func=cmd_serve)
    g = sub.add_parser("glossary", help="regenerate the glossary from the chapters' key terms")
    g.add_argument("--root", type=Path, default=None, help="the course checkout")
    g.add_argument("--check", action="store_true", help="only check that it is current")
    g.set_defaults(func=cmd_glossary)
    n = sub.add_parser("notebooks", help="regenerate the exercise notebooks from the bank")
    n.add_argument("--root", type=Path, default=None, help="the course checkout")
    n.set_defaults(func=cmd_notebooks)

    lab = sub.add_parser("lab", help="open the exercise notebooks in JupyterLab (live feedback)")
    lab.add_argument("--root", type=Path, default=None, help="the course checkout")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.add_argument("--port", type=int, default=None, help="port to listen on")
    lab.set_defaults(func=cmd_lab)
    add_quiz_commands(sub)
    add_bank_commands(sub)  # bank export: Moodle XML, GIFT, QTI
    add_book_formats(add_package_commands(sub))  # package scorm, pdf, epub
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the ``peaceops`` command."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except book.BuildError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
