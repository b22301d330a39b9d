"""Where the course is and what it contains: the checkout's root and the table of contents.

The lowest layer of the package: the bank, the exercises and the book read the list of
chapters here, never through the book builder.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from peaceops.course.problems import BuildError, Problem


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
