"""Read a chapter page (MyST Markdown) into the parts of its anatomy.

The anatomy is set out in CONTRIBUTING.md: a title, learning objectives, teaching
sections, key terms, a self-check, a summary and references.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from peaceops.course.toc import page_path

#: Sections of a page that are not its own teaching prose.
APPARATUS = ("Learning objectives", "Key terms", "Self-check", "Summary", "References")

_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
_FENCE = re.compile(r"^(`{3,}|:{3,})")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
#: A MyST role: ``{name}`body``` or ``{name}`label <target>```.
_ROLE = re.compile(
    r"\{(?P<name>[a-z:-]+)\}`(?:(?P<label>[^`<]*?)\s*<(?P<target>[^`>]*)>|(?P<body>[^`]*))`"
)


@dataclass
class Page:
    """A chapter page split into its title and its ``##`` sections."""

    path: Path
    title: str
    sections: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def heading(self) -> str:
        """The title without its optional subtitle (the part before ': ')."""
        return self.title.split(": ", 1)[0].strip()

    def section(self, name: str) -> str:
        """Return the body of the ``## name`` section, or '' when it is missing."""
        return self.sections.get(name, "")

    def objectives(self) -> list[str]:
        """The numbered or bulleted items of the learning objectives."""
        return _list_items(self.section("Learning objectives"))

    def summary_points(self) -> list[str]:
        """The bulleted items of the summary."""
        return _list_items(self.section("Summary"))

    def key_terms(self) -> list[str]:
        """The terms defined in the key-terms definition list."""
        return [term for term, _ in definition_list(self.section("Key terms"))]

    def teaching_text(self) -> str:
        """The page's own prose: teaching sections without tables, directives or code."""
        body = "\n".join(text for name, text in self.sections.items() if name not in APPARATUS)
        return prose(body)

    def word_count(self) -> int:
        """How many words of own prose the teaching sections hold."""
        return len(_WORD.findall(_CITE.sub("", self.teaching_text())))

    def citation_keys(self) -> set[str]:
        """Every bibliography key the page cites."""
        keys: set[str] = set()
        for group in _CITE.findall(self.text):
            keys.update(k.strip() for k in group.split(",") if k.strip())
        return keys

    def has_table_or_figure(self) -> bool:
        """True when the page holds a pipe table, a list-table or a figure."""
        return bool(
            re.search(r"^\|.*\|\s*$\n^\|[\s:|-]+\|\s*$", self.text, re.M)
            or re.search(
                r"^[`:]{3,}\{(list-table|figure|table|csv-table|glue:figure)\}", self.text, re.M
            )
            or re.search(r"^:\s+figure:\s*$", self.text, re.M)
        )


def plain(text: str, root: Path, link_from: Path | None = None) -> str:
    """MyST roles of ``text`` made readable outside the book (a notebook, a terminal).

    A citation is dropped; a ``{doc}`` role becomes its label, or the title of the page it
    names (root-relative, as ``/book/frameworks/framework``), and, when ``link_from`` (a
    folder) is given, a Markdown link relative to it; every other role (``{term}``,
    ``{ref}``, ...) becomes its label or body.
    """

    def readable(role: re.Match) -> str:
        name, label = role["name"], role["label"]
        target = role["target"] if label is not None else role["body"]
        if name.startswith("cite"):
            return ""
        if name != "doc":
            return (label or target).strip()
        path = page_path(root, target.strip().lstrip("/"))
        if path is None:
            raise ValueError(f"{{doc}}`{target}` names no page under {root}")
        shown = label or read_page(path).heading
        if link_from is None:
            return shown
        href = Path(os.path.relpath(path, link_from)).as_posix()
        return f"[{shown}]({href})"

    return re.sub(r" +([,.;:)])", r"\1", _ROLE.sub(readable, text))


def read_page(path: Path) -> Page:
    """Split a MyST page into its title and ``##`` sections (fenced blocks are kept whole)."""
    text = path.read_text(encoding="utf-8")
    title = ""
    sections: dict[str, str] = {}
    current: str | None = None
    buffer: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        opener = _FENCE.match(stripped)
        if fence is None and opener and len(stripped) > len(opener.group(1)):
            fence = opener.group(1)
        elif fence is not None and stripped == fence:
            fence = None
        elif fence is None and line.startswith("# ") and not title:
            title = line[2:].strip()
            continue
        elif fence is None and line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(buffer)
            current, buffer = line[3:].strip(), []
            continue
        if current is not None:
            buffer.append(line)
    if current is not None:
        sections[current] = "\n".join(buffer)
    return Page(path=path, title=title, sections=sections, text=text)


def prose(markdown: str) -> str:
    """Return the running prose of MyST Markdown: no tables, fenced blocks, headings or comments."""
    kept: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines():
        stripped = line.strip()
        opener = _FENCE.match(stripped)
        if fence is None and opener:
            fence = opener.group(1)
            continue
        if fence is not None:
            if stripped == fence:
                fence = None
            continue
        if stripped.startswith(("|", "#", "%", "<!--")) or re.match(r"^\([\w.-]+\)=$", stripped):
            continue
        kept.append(line)
    return "\n".join(kept)


_TERM_ROLE = re.compile(r"^\{term\}`(?:[^`<]*<)?([^`>]+)>?`$")


def definition_list(markdown: str) -> list[tuple[str, str]]:
    """(term, definition) pairs of a MyST definition list; a {term} role is unwrapped."""
    pairs: list[tuple[str, str]] = []
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(": ") and i > 0 and lines[i - 1].strip():
            body = [line[2:].strip()]
            for nxt in lines[i + 1 :]:
                if nxt.startswith("  ") and nxt.strip():
                    body.append(nxt.strip())
                else:
                    break
            title = lines[i - 1].strip()
            role = _TERM_ROLE.match(title)
            pairs.append((role.group(1).strip() if role else title, " ".join(body)))
    return pairs


def _list_items(markdown: str) -> list[str]:
    items: list[str] = []
    for line in markdown.splitlines():
        found = re.match(r"^(?:\d+\.|[-*])\s+(.*)", line)
        if found:
            items.append(found.group(1).strip())
        elif items and line.startswith("   ") and line.strip():
            items[-1] += " " + line.strip()
    return items
