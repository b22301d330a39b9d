"""Build the course's Jupyter Book strictly, and explain a failed build in plain words.

The book is built with warnings as errors into a working folder (``_build/.work``); only
a build that succeeds replaces the published copy in ``_build/html``, so an earlier good
build survives a broken page.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

#: Where the published HTML lives, relative to the project root.
HTML_DIR = Path("_build") / "html"
#: Jupyter Book's own output folder (doctrees, execution cache, fresh HTML).
WORK_DIR = Path("_build") / ".work"
#: Left in the work folder while the last build failed: the next build re-reads every page,
#: because Sphinx reports a page's warnings only when it reads that page.
FAILED_MARKER = "LAST_BUILD_FAILED"

_PROBLEM = re.compile(
    r"^(?P<location>.*?):(?:(?P<line>\d+):)?\s*(?P<level>WARNING|ERROR|CRITICAL|SEVERE):\s*"
    r"(?P<message>.*?)(?:\s*\[(?P<kind>[\w.]+)\])?$"
)
#: Terminal colour codes in Sphinx's and Jupyter's output.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOCATIONLESS = re.compile(r"^(?P<level>WARNING|ERROR|CRITICAL|SEVERE):\s*(?P<message>.*)$")

#: (pattern in Sphinx's message, one sentence on how to fix it)
_HINTS: list[tuple[str, str]] = [
    (
        r'could not find bibtex key "?(?:[\w-]+--)?(?P<key>[^"\s]+)',
        "Add an entry with key '{key}' to references.bib, or correct the key in the {{cite}} role.",
    ),
    (
        r"Unknown directive type",
        "Use a directive that exists (e.g. note, dropdown, list-table, bibliography) or "
        "fix the spelling after the opening fence.",
    ),
    (
        r"Unknown interpreted text role",
        "Use a role that exists (e.g. {cite:p}, {term}, {ref}) or fix its spelling.",
    ),
    (
        r"Non-consecutive header level|Document headings start at",
        "Use heading levels in order: one # title, then ##, then ###.",
    ),
    (
        r"nonexisting document|toctree contains reference",
        "Point the entry at a page that exists, or remove it from _toc.yml.",
    ),
    (
        r"document isn't included in any toctree",
        "List the page in _toc.yml, or move it out of the book's folders.",
    ),
    (
        r"(undefined label|reference target not found|cross-reference target not found)",
        "Fix the link target, or add the label it points to.",
    ),
    (
        r"duplicate (label|citation|term)",
        "Give each label, citation entry or glossary term a single definition.",
    ),
    (
        r"html_static_path entry '(?P<folder>[^']+)' does not exist",
        "Create the folder {folder}, or remove it from html_static_path in _config.yml.",
    ),
    (
        r"DataError",
        "Fix the rows of data/ named in the message (run: uv run python -m peaceops.data).",
    ),
    (
        r"Cell execution|CellExecutionError|Executing notebook failed|a code cell raised",
        "Run the page's code cells (or the notebook) and fix the error they raise.",
    ),
    (
        r"Inline (emphasis|strong|literal|interpreted text) start-string without end-string",
        "Close the inline markup (*, **, ` or a role) on this line.",
    ),
    (
        r"(Block quote|Definition list|Bullet list|Enumerated list) ends without a blank line",
        "Put a blank line after the list or quote.",
    ),
]
_DEFAULT_HINT = "Fix the MyST Markdown at this line as the message says, then build again."
_CRASH_HINT = (
    "The build itself crashed; run 'peaceops build --verbose' to see Sphinx's full "
    "output, or 'peaceops build --clean' if the build folder is stale."
)


class BuildError(Exception):
    """The book could not be built; ``problems`` says where and how to fix it."""

    def __init__(self, summary: str, problems: list[Problem] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the book, at a file and line where known."""

    file: str
    line: int | None
    message: str
    hint: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}\n    How to fix: {self.hint}"


@dataclass(frozen=True)
class BuildResult:
    """A successful build: where its HTML is and how long it took."""

    html_dir: Path
    seconds: float
    pages: int


def find_root(start: Path | None = None) -> Path:
    """Return the course root (the folder holding ``_config.yml`` and ``_toc.yml``).

    Searches ``start`` (default: the current folder) and its parents.
    """
    here = (start or Path.cwd()).resolve()
    if not here.exists():
        raise BuildError(f"{here}: no such folder. Give the path of the peaceops checkout.")
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "_toc.yml").is_file():
            return folder
    raise BuildError(
        f"{here}: not inside the course: no _config.yml and _toc.yml here or above. "
        "Run the command from the peaceops checkout, or pass --root PATH."
    )


def toc_files(root: Path) -> list[str]:
    """Return the toc's page names (without suffix) in reading order."""
    toc_path = root / "_toc.yml"
    try:
        toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise BuildError(
            "The table of contents is not valid YAML.",
            [Problem("_toc.yml", line, str(err).splitlines()[0], "Fix the YAML syntax.")],
        ) from err
    if not isinstance(toc, dict) or "root" not in toc:
        raise BuildError(
            "The table of contents has no root page.",
            [Problem("_toc.yml", None, "no 'root:' key", "Add 'root: book/intro'.")],
        )
    names = [str(toc["root"])]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                names.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return names


def _toc_line(root: Path, name: str) -> int | None:
    for number, text in enumerate((root / "_toc.yml").read_text().splitlines(), start=1):
        if re.search(rf"(file|root):\s*{re.escape(name)}\s*$", text):
            return number
    return None


def page_path(root: Path, name: str) -> Path | None:
    """Return the source file of a toc entry, or None when it does not exist."""
    base = root / name
    for candidate in (base, base.with_suffix(".md"), base.with_suffix(".ipynb")):
        if candidate.is_file() and candidate.suffix in {".md", ".ipynb"}:
            return candidate
    for suffix in (".md", ".ipynb"):
        candidate = Path(str(base) + suffix)
        if candidate.is_file():
            return candidate
    return None


def check_toc(root: Path) -> list[Path]:
    """Check that every toc entry has a file; return the files in reading order."""
    problems, files = [], []
    for name in toc_files(root):
        path = page_path(root, name)
        if path is None:
            problems.append(
                Problem(
                    "_toc.yml",
                    _toc_line(root, name),
                    f"the entry '{name}' has no file ({name}.md or {name}.ipynb)",
                    f"Create {name}.md, or correct or remove the entry in _toc.yml.",
                )
            )
        else:
            files.append(path)
    if problems:
        raise BuildError("The table of contents names pages that do not exist.", problems)
    return files


def parse_problems(output: str, root: Path) -> list[Problem]:
    """Extract Sphinx's warnings and errors from build output, with a fix for each."""
    problems: list[Problem] = []
    seen: set[tuple[str, int | None, str]] = set()
    for raw in output.splitlines():
        text = _ANSI.sub("", raw).strip()
        match = _PROBLEM.match(text)
        if match:
            location, line = match["location"], match["line"]
            message = match["message"]
        else:
            bare = _LOCATIONLESS.match(text)
            if not bare:
                continue
            location, line, message = "(book)", None, bare["message"]
        file = _relative(location, root)
        saved = re.search(r"traceback saved in: (\S+)", message)
        if saved:
            message = "a code cell raised " + _error_from_log(Path(saved.group(1)))
        key = (file, int(line) if line else None, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(file, key[1], message, hint_for(message)))
    return problems


def _error_from_log(log: Path) -> str:
    """The exception at the end of a notebook's execution log, ANSI colours removed."""
    try:
        text = _ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return f"an error (its log {log} could not be read)"
    lines = text.rstrip().splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if re.match(r"^[\w.]+(Error|Exception)\b", lines[i]):
            return " ".join(ln.strip() for ln in lines[i:] if ln.strip())
    return lines[-1] if lines else "an error"


def hint_for(message: str) -> str:
    """Return one sentence on how to fix a Sphinx warning."""
    for pattern, hint in _HINTS:
        found = re.search(pattern, message)
        if found:
            return hint.format(**found.groupdict())
    return _DEFAULT_HINT


def _relative(location: str, root: Path) -> str:
    location = location.split(":docstring of")[0]
    path = Path(location)
    if path.is_absolute():
        try:
            return str(path.resolve().relative_to(root))
        except ValueError:
            return location
    return location


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
            problems = [Problem("(book)", None, _last_exception(output), _CRASH_HINT)]
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
    # Imported here: both modules read the toc through this one.
    from peaceops import bank, glossary, notebooks

    in_toc = str(glossary.GLOSSARY.with_suffix("")) in toc_files(root)
    if in_toc and glossary.write(root) and progress:
        progress(f"updated {glossary.GLOSSARY} from the chapters' key terms")
    if not (root / "questions").is_dir():
        return
    try:
        changed = notebooks.write(root)
    except bank.BankError as err:
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
    package = Path(__file__).parent
    code = [package / "bank.py", package / "data.py", package / "figures.py"]
    inputs = [*(root / "data").glob("*.csv"), *(root / "questions").glob("*.yml"),
              *code, *(package / "widgets").glob("*.py")]  # fmt: skip
    for path in sorted(inputs):
        digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes())
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


def _last_exception(output: str) -> str:
    """The last 'SomeError: message' line of a crashed build, else its last line."""
    lines = [_ANSI.sub("", ln).strip() for ln in output.splitlines()]
    errors = [
        ln
        for ln in lines
        if re.match(r"^[\w.]+(Error|Exception): ", ln) and not ln.startswith("RuntimeError")
    ]
    if errors:
        return errors[-1]
    return next((ln for ln in reversed(lines) if ln and not set(ln) <= {"="}), "no output")


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
