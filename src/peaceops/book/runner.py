"""Run one strict Sphinx build of the book and report its progress as it goes.

``python -m peaceops.book.runner ROOT WORK [--fresh]`` does what
``jupyter-book build ROOT --path-output WORK --builder html -W -n --keep-going [--all]``
does (the same configuration, from jupyter-book's own ``get_final_config``), in a child
process of ``peaceops build`` so that a notebook kernel's output or a crash stays out of
the caller. What it adds:

- the ``peaceops.book.sphinx.bibcache`` extension: sphinxcontrib-bibtex without its two
  slow paths (a plugin look-up per citation, every bibliography formatted on every build);
- a progress line on stdout for each step, read by :mod:`peaceops.book.builder`:
  ``@peaceops {"phase": ..., "done": n, "total": N, "name": ..., "detail": ...}``, with
  ``phase`` one of ``read`` (a page read; notebooks run while their page is read),
  ``execute`` (a notebook started or finished), ``resolve`` (cross-references and
  bibliographies), ``write`` (a page written) and ``finish``;
- no ``rfc3987_syntax`` (see :func:`main`), which saves 2-3 s of start-up.

Sphinx's own output (status on stdout, warnings on stderr) is printed as usual, without
colour codes. The exit code is 0 for a build without warnings, 1 otherwise.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

#: Marks a progress line in the child's output.
MARKER = "@peaceops "
#: Added to the book's own extensions for builds run through peaceops.
EXTRA_EXTENSIONS = ["peaceops.book.sphinx.bibcache"]


def report(phase: str, done: int = 0, total: int = 0, name: str = "", detail: str = "") -> None:
    """Print one progress line for the parent process."""
    step = {"phase": phase, "done": done, "total": total, "name": name, "detail": detail}
    sys.stdout.write(MARKER + json.dumps(step) + "\n")
    sys.stdout.flush()


def _is_notebook(path: Path) -> bool:
    """Whether myst-nb reads this page as a notebook (its code cells run while it is read)."""
    if path.suffix == ".ipynb":
        return True
    if path.suffix != ".md":
        return False
    from myst_nb.core.read import is_myst_markdown_notebook

    try:
        head = path.read_text(encoding="utf-8")[:4000]
    except OSError:
        return False
    return is_myst_markdown_notebook(head)


class Progress(logging.Handler):
    """Follows a build through Sphinx's events and myst-nb's log, and emits its steps."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.to_read: list[str] = []
        self.notebooks: set[str] = set()
        self.read = 0
        self.ran = 0
        self.running = ""
        self.detail = ""
        self.to_write: set[str] = set()
        self.written = 0
        self.app: Any = None

    def connect(self, app: Any) -> None:
        """Follow the build of ``app``."""
        self.app = app
        app.connect("env-before-read-docs", self.before_read)
        app.connect("doctree-read", self.doctree_read)
        app.connect("env-updated", self.resolving, priority=100)
        app.connect("doctree-resolved", self.doctree_resolved)
        app.connect("build-finished", self.finished)
        prepare = app.builder.prepare_writing

        def prepare_writing(docnames: set[str]) -> None:
            self.to_write = set(docnames)
            report("write", 0, len(self.to_write))
            prepare(docnames)

        app.builder.prepare_writing = prepare_writing
        logging.getLogger("sphinx").addHandler(self)

    def before_read(self, app: Any, env: Any, docnames: list[str]) -> None:
        self.to_read = list(docnames)
        self.notebooks = {d for d in docnames if _is_notebook(Path(env.doc2path(d)))}
        report("read", 0, len(self.to_read), detail=f"{len(self.notebooks)} notebooks")

    def doctree_read(self, app: Any, doctree: Any) -> None:
        docname = app.env.docname
        if docname in self.notebooks:
            self.ran += 1
            detail = self.detail or "nothing to run"
            report("execute", self.ran, len(self.notebooks), docname, detail)
        self.running = self.detail = ""
        self.read += 1
        report("read", self.read, len(self.to_read), docname)

    def emit(self, record: logging.LogRecord) -> None:  # logging.Handler's hook
        message = record.getMessage()
        if "notebook" not in message:
            return
        env = getattr(self.app, "env", None)
        docname = env.temp_data.get("docname", "") if env is not None else ""
        if "Executing notebook" in message:
            self.running = docname
            report("execute", self.ran, len(self.notebooks), docname, "running")
        elif "Executed notebook in" in message:
            seconds = message.split(" in ", 1)[1].split(" seconds", 1)[0]
            self.detail = f"ran in {seconds} s"
        elif "Using cached notebook" in message:
            self.detail = "from cache"

    def resolving(self, app: Any, env: Any) -> list[str]:
        report("resolve")
        return []

    def doctree_resolved(self, app: Any, doctree: Any, docname: str) -> None:
        if docname in self.to_write:
            self.written += 1
            report("write", self.written, len(self.to_write), docname)

    def finished(self, app: Any, exception: Exception | None) -> None:
        report("finish", detail="failed" if exception else "")


def sphinx_config(root: Path) -> dict[str, Any]:
    """The Sphinx configuration jupyter-book derives from ``_config.yml`` and ``_toc.yml``."""
    from jupyter_book.config import get_final_config

    overrides = {
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
    }
    config, _ = get_final_config(
        user_yaml=root / "_config.yml", cli_config=overrides, sourcedir=root
    )
    config["extensions"] = [*config.get("extensions", []), *EXTRA_EXTENSIONS]
    return config


def run(root: Path, work: Path, fresh: bool = False) -> int:
    """Build ``root`` into ``work/_build/html`` strictly; return Sphinx's status code."""
    from sphinx.application import Sphinx
    from sphinx.cmd.build import handle_exception
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()
    output = work / "_build" / "html"
    app = None
    try:
        config = sphinx_config(root)
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=root,
                confdir=None,
                outdir=output,
                doctreedir=output.parent / ".doctrees",
                buildername="html",
                confoverrides=config,
                status=sys.stdout,
                warning=sys.stderr,
                freshenv=fresh,
                warningiserror=True,
                keep_going=True,
                parallel=1,
            )
            _multitoc_numbering(app)
            Progress().connect(app)
            app.build(False, [])
            return app.statuscode
    except (Exception, KeyboardInterrupt) as exc:
        options = type("Options", (), {"pdb": False, "verbosity": 0, "traceback": False})
        handle_exception(app, options, exc, sys.stderr)
        return 1


def _multitoc_numbering(app: Any) -> None:
    """Number chapters across parts when the toc asks for numbering (as jupyter-book does)."""
    if not app.config["use_multitoc_numbering"]:
        return
    import yaml

    site_map = app.config.external_site_map
    if "numbered: true" in yaml.dump(site_map.as_json()):
        app.setup_extension("sphinx_multitoc_numbering")


def main(argv: list[str] | None = None) -> int:
    """The child process's entry point: ``ROOT WORK [--fresh]``."""
    # jsonschema, imported by jupyter-book and nbformat, compiles some forty grammars at
    # import when rfc3987-syntax is installed (2-3 s of every build) to check "iri"
    # formats; no validator in a book build checks formats (none is given a format
    # checker), so this process does without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    args = list(sys.argv[1:] if argv is None else argv)
    fresh = "--fresh" in args
    root, work = (Path(a).resolve() for a in args if a != "--fresh")
    return run(root, work, fresh)


if __name__ == "__main__":
    sys.exit(main())
