"""Build the course's Jupyter Book strictly, and explain a failed build in plain words.

The book is built with warnings as errors into a working folder (``_build/.work``); only
a build that succeeds replaces the published copy in ``_build/html``, so an earlier good
build survives a broken page. Sphinx runs in a child process (:mod:`peaceops.book.runner`)
that reports each step as it happens (pages read, notebooks run, pages written), so a
caller can show the build's progress; a rebuild with nothing to do reads, formats and
copies nothing (see ``peaceops.book.sphinx.bibcache`` and :func:`_publish`).
"""

from __future__ import annotations

import filecmp
import hashlib
import importlib.util
import json
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
from peaceops.book.static_files import prune as prune_static_files
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


@dataclass(frozen=True)
class Step:
    """One step of a build, for a progress display.

    ``phase`` is ``prepare`` (the glossary and the notebooks are regenerated), ``note`` (a
    generated page updated, or why notebooks run again: the text is in ``detail``),
    ``start`` (Sphinx starts; ``detail`` is ``fresh`` when every page will be read again),
    ``read`` (``done`` of ``total`` pages read, ``name`` the last one),
    ``execute`` (``done`` of ``total`` notebooks run; ``detail`` is ``running`` while
    ``name`` runs, then how long it took or ``from cache``), ``resolve`` (cross-references
    and bibliographies), ``write`` (``done`` of ``total`` pages written), ``finish`` (Sphinx
    is done) or ``publish`` (``detail`` says whether ``_build/html`` changed). ``seconds``
    is the time since the build started.
    """

    phase: str
    done: int = 0
    total: int = 0
    name: str = ""
    detail: str = ""
    seconds: float = 0.0


def build(
    root: Path | None = None,
    *,
    clean: bool = False,
    progress: Callable[[Step], None] | None = None,
    output: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the book strictly (warnings are errors) and publish it to ``_build/html``.

    ``clean`` rebuilds from nothing (the notebook execution cache is kept). ``progress``
    receives each :class:`Step` as it happens, ``output`` each line of Sphinx's own output.
    Raises :class:`BuildError` with the files and lines at fault when the build fails; the
    published HTML is then untouched.
    """
    started = time.monotonic()

    def step(phase: str, **fields: object) -> None:
        if progress:
            progress(Step(phase, **fields, seconds=time.monotonic() - started))  # type: ignore[arg-type]

    def note(text: str) -> None:
        step("note", detail=text)

    root = find_root(root)
    if importlib.util.find_spec("jupyter_book") is None:
        raise BuildError("jupyter-book is not installed. Run: python -m uv sync")
    step("prepare")
    _refresh_generated_pages(root, note)
    pages = check_toc(root)
    work = root / WORK_DIR
    data_changed = _forget_executions_when_inputs_changed(root, work, note)
    if clean and work.exists():
        for child in work.glob("_build/*"):
            if child.name != ".jupyter_cache":
                shutil.rmtree(child, ignore_errors=True)
    marker = work / FAILED_MARKER
    reread_all = clean or marker.exists() or data_changed
    work.mkdir(parents=True, exist_ok=True)
    step("start", detail="fresh" if reread_all else "")
    code, output_text = _run_sphinx(root, work, reread_all, step, output)
    problems = parse_problems(output_text, root)
    if code != 0 or problems:
        marker.touch()
        if not problems:
            problems = [Problem("(book)", None, last_exception(output_text), CRASH_HINT)]
        count = len(problems)
        raise BuildError(
            f"The book did not build: {count} problem{'s' if count != 1 else ''}. "
            f"The last good build in {HTML_DIR} is unchanged.",
            problems,
        )
    marker.unlink(missing_ok=True)
    fresh = work / "_build" / "html"
    stale = _drop_stale_pages(fresh, toc_files(root))
    if stale:
        note(f"removed {stale} page(s) of documents no longer in the book")
    own = _copy_own_static_files(root, fresh)
    pruned = prune_static_files(fresh, own)
    if pruned.files:
        note(f"left out {pruned.files} static files no page loads "
             f"({pruned.bytes / 1e6:.1f} MB)")  # fmt: skip
    changed = _publish(fresh, root / HTML_DIR)
    step("publish", detail="published" if changed else "unchanged")
    return BuildResult(root / HTML_DIR, time.monotonic() - started, len(pages))


def _run_sphinx(
    root: Path,
    work: Path,
    fresh: bool,
    step: Callable[..., None],
    output: Callable[[str], None] | None,
) -> tuple[int, str]:
    """Run :mod:`peaceops.book.runner` in a child process, passing on its steps and output.

    Returns its exit code and its output (progress lines left out).
    """
    from peaceops.book.runner import MARKER  # not at the top: the child runs it with -m

    cmd = [sys.executable, "-m", "peaceops.book.runner", str(root), str(work)]
    if fresh:
        cmd.append("--fresh")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(MARKER):
            fields = json.loads(line[len(MARKER) :])
            step(fields.pop("phase"), **fields)
            continue
        lines.append(line)
        if output:
            output(line.rstrip("\n"))
    return proc.wait(), "".join(lines)


def _refresh_generated_pages(root: Path, note: Callable[[str], None]) -> None:
    """Regenerate what is made from other files: the glossary and the exercise notebooks."""
    from peaceops.bank.questions import BankError
    from peaceops.book.glossary import GLOSSARY, write
    from peaceops.exercises import notebooks

    in_toc = str(GLOSSARY.with_suffix("")) in toc_files(root)
    if in_toc and write(root):
        note(f"updated {GLOSSARY} from the chapters' key terms")
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
        note(f"updated {path.relative_to(root)} from the question bank")


def _forget_executions_when_inputs_changed(
    root: Path, work: Path, note: Callable[[str], None]
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
        note("data, questions or code changed: notebooks will run again")
    work.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest.hexdigest())
    return True


#: Pages Sphinx writes that no document of the toc is: its search page, its index, and
#: Jupyter Book's redirect to the first page.
SPHINX_PAGES = {"search", "genindex", "py-modindex", "index"}


def _drop_stale_pages(html: Path, documents: list[str]) -> int:
    """Delete the pages of documents that have left the book (Sphinx never deletes an
    output whose source has gone or been excluded); return how many went.

    A strict build warns about a document outside the toc, so every page a build wants is
    a toc document or one of :data:`SPHINX_PAGES`.
    """
    wanted = set(documents) | SPHINX_PAGES
    gone = 0
    for page in html.rglob("*.html"):
        name = page.relative_to(html).with_suffix("").as_posix()
        if not name.startswith("_") and name not in wanted:
            page.unlink()
            gone += 1
    return gone


def _copy_own_static_files(root: Path, html: Path) -> frozenset[str]:
    """Copy the book's own static folders into the build, overwriting older copies;
    return their files' paths under ``_static``.

    Sphinx 7.4 neither overwrites a static file that exists already nor copies static
    files at all when no page is out of date, so an edited stylesheet would not arrive.
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    folders = (config.get("sphinx", {}).get("config", {}) or {}).get("html_static_path", [])
    copied = set()
    for folder in folders:
        source = root / folder
        if source.is_dir():
            shutil.copytree(source, html / "_static", dirs_exist_ok=True)
            copied |= {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    return frozenset(copied)


def _manifest(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under ``folder``: its size and modification time (in ns)."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def _same_files(fresh: Path, target: Path) -> bool:
    """Whether two folders hold the same files with the same content.

    Copies keep their modification time, so a file with the same size and time is taken
    as unchanged; one that differs in time only (Sphinx rewrites ``pygments.css`` on every
    build) is compared byte for byte.
    """
    new, old = _manifest(fresh), _manifest(target)
    if new.keys() != old.keys():
        return False
    for name, (size, mtime) in new.items():
        if old[name][0] != size:
            return False
        if old[name][1] != mtime and not filecmp.cmp(fresh / name, target / name, shallow=False):
            return False
    return True


def _publish(fresh: Path, target: Path) -> bool:
    """Replace ``target`` with a copy of ``fresh`` in one rename; return whether it changed.

    When Sphinx wrote nothing and no static file changed, ``target`` is left as it is:
    this saves copying the whole site on a rebuild with nothing to do.
    """
    if target.is_dir() and _same_files(fresh, target):
        return False
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(fresh, staging)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return True
