"""Read Sphinx's and Jupyter Book's output and turn each warning into a Problem with a fix."""

from __future__ import annotations

import re
from pathlib import Path

from peaceops.course.problems import Problem

_PROBLEM = re.compile(
    r"^(?P<location>.*?):(?:(?P<line>\d+):)?\s*(?P<level>WARNING|ERROR|CRITICAL|SEVERE):\s*"
    r"(?P<message>.*?)(?:\s*\[(?P<kind>[\w.]+)\])?$"
)
#: Terminal colour codes in Sphinx's and Jupyter's output.
ANSI = re.compile(r"\x1b\[[0-9;]*m")
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
CRASH_HINT = (
    "The build itself crashed; run 'peaceops build --verbose' to see Sphinx's full "
    "output, or 'peaceops build --clean' if the build folder is stale."
)


def parse_problems(output: str, root: Path) -> list[Problem]:
    """Extract Sphinx's warnings and errors from build output, with a fix for each."""
    problems: list[Problem] = []
    seen: set[tuple[str, int | None, str]] = set()
    for raw in output.splitlines():
        text = ANSI.sub("", raw).strip()
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
        text = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))
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


def last_exception(output: str) -> str:
    """The last 'SomeError: message' line of a crashed build, else its last line."""
    lines = [ANSI.sub("", ln).strip() for ln in output.splitlines()]
    errors = [
        ln
        for ln in lines
        if re.match(r"^[\w.]+(Error|Exception): ", ln) and not ln.startswith("RuntimeError")
    ]
    if errors:
        return errors[-1]
    return next((ln for ln in reversed(lines) if ln and not set(ln) <= {"="}), "no output")
