"""Build the course's Jupyter Book strictly, and explain a failed build in plain words.

The book is built with warnings as errors into a working folder (``_build/.work``); only
a build that succeeds replaces the published copy in ``_build/html``, so an earlier good
build survives a broken page.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from peaceops.book.problems import CRASH_HINT, last_exception, parse_problems
from peaceops.course.problems import BuildError, Problem
from peaceops.course.toc import check_toc, find_root, toc_files

#: Where the published HTML lives, relative to the project root.
HTML_DIR = Path("_build") / "html"
#: Jupyter Book's own output folder (doctrees, execution cache, fresh HTML).
WORK_DIR = Path("_build") / ".work"
#: Left in the work folder while the last build failed: the next build re-reads every page,
#: because Sphinx reports a page's warnings only when it reads that page.
FAILED_MARKER = "LAST_BUILD_FAILED"


@dataclass(frozen=True)
class BuildResult:
    """A successful build: where its HTML is and how long it took."""

    html_dir: Path
    seconds: float
    pages: int


def _jupyter_book() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("jupyter-book")
    if found:
        return [found]
    raise BuildError("jupyter-book is not installed. Run: python -m uv sync")


def build(
    root: Path | None = None,
    *,
    clean: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the book strictly (warnings are errors) and publish it to ``_build/html``.

    ``clean`` rebuilds from nothing (the notebook execution cache is kept). ``progress``
    receives each line of Sphinx's output as it comes. Raises :class:`BuildError` with the
    files and lines at fault when the build fails; the published HTML is then untouched.
    """
    root = find_root(root)
    _refresh_generated_pages(root, progress)
    pages = check_toc(root)
    data_changed = _forget_executions_when_inputs_changed(root, root / WORK_DIR, progress)
    work = root / WORK_DIR
    if clean and work.exists():
        for child in work.glob("_build/*"):
            if child.name != ".jupyter_cache":
                shutil.rmtree(child, ignore_errors=True)
    marker = work / FAILED_MARKER
    reread_all = marker.exists() or data_changed
    cmd = _jupyter_book() + [
        "build",
        str(root),
        "--path-output",
        str(work),
        "--builder",
        "html",
        "-W",
        "-n",
        "--keep-going",
    ]
    if reread_all:
        cmd.append("--all")
    started = time.monotonic()
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if progress:
            progress(line.rstrip("\n"))
    code = proc.wait()
    output = "".join(lines)
    problems = parse_problems(output, root)
    if code != 0 or problems:
        marker.touch()
        if not problems:
            problems = [Problem("(book)", None, last_exception(output), CRASH_HINT)]
        count = len(problems)
        raise BuildError(
            f"The book did not build: {count} problem{'s' if count != 1 else ''}. "
            f"The last good build in {HTML_DIR} is unchanged.",
            problems,
        )
    marker.unlink(missing_ok=True)
    fresh = work / "_build" / "html"
    _copy_own_static_files(root, fresh)
    published = _publish(fresh, root / HTML_DIR)
    return BuildResult(published, time.monotonic() - started, len(pages))


def _refresh_generated_pages(root: Path, progress: Callable[[str], None] | None) -> None:
    """Regenerate what is made from other files: the glossary and the exercise notebooks."""
    from peaceops.bank.questions import BankError
    from peaceops.book.glossary import GLOSSARY, write
    from peaceops.exercises import notebooks

    in_toc = str(GLOSSARY.with_suffix("")) in toc_files(root)
    if in_toc and write(root) and progress:
        progress(f"updated {GLOSSARY} from the chapters' key terms")
    if not (root / "questions").is_dir():
        return
    try:
        changed = notebooks.write(root)
    except BankError as err:
        raise BuildError(
            "The question bank is malformed; no notebook was written.",
            [Problem(p.file, None, f"question '{p.question}': {p.message}",
                     "Fix the entry as the message says (see questions/README.md).")
             for p in err.problems],
        ) from err  # fmt: skip
    for path in changed:
        if progress:
            progress(f"updated {path.relative_to(root)} from the question bank")


def _forget_executions_when_inputs_changed(
    root: Path, work: Path, progress: Callable[[str], None] | None
) -> bool:
    """Clear the notebook execution cache when what the cells read has changed.

    The cache is keyed on a cell's code, not on the files it reads: the tables in data/,
    the question bank and the modules the cells import. A figure or a widget would
    otherwise stay stale after one of them is edited. Returns True when they changed, so
    that every page is read (and every notebook run) again.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    code = [package / "bank", package / "data", package / "exercises" / "widgets"]
    inputs = [*(root / "data").glob("*.csv"), *(root / "questions").glob("*.yml"),
              *(path for folder in code for path in folder.glob("*.py"))]  # fmt: skip
    for path in sorted(inputs):
        name = path.relative_to(package if package in path.parents else root)
        digest.update(str(name).encode() + b"\0" + path.read_bytes())
    stamp = work / "DATA_DIGEST"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return False
    cache = work / "_build" / ".jupyter_cache"
    if cache.exists():
        shutil.rmtree(cache)
        if progress:
            progress("data, questions or code changed: notebooks will run again")
    work.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest.hexdigest())
    return True


def _copy_own_static_files(root: Path, html: Path) -> None:
    """Copy the book's own static folders into the build, overwriting older copies.

    Sphinx 7.4 neither overwrites a static file that exists already nor copies static
    files at all when no page is out of date, so an edited stylesheet would not arrive.
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    folders = (config.get("sphinx", {}).get("config", {}) or {}).get("html_static_path", [])
    for folder in folders:
        source = root / folder
        if source.is_dir():
            shutil.copytree(source, html / "_static", dirs_exist_ok=True)


def _publish(fresh: Path, target: Path) -> Path:
    """Replace ``target`` with a copy of ``fresh`` in one rename."""
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(fresh, staging)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
