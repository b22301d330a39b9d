"""Sphinx extension: ``{chapterinfo}``, a chapter's study time, prerequisites and quizzes.

Placed right under a chapter page's title, the directive prints a short aside:

- **Study time**, computed when the book is built: the words a reader reads on the page
  at :data:`WORDS_PER_MINUTE`, plus :data:`MINUTES_PER_QUESTION` for each practice question
  of the chapter's exercise page (the practice bank, ``questions/*.yml``), rounded to
  :data:`ROUND_TO` minutes;
- **Read first**: the chapter's prerequisites, declared once per chapter in
  ``book/chapters.yml`` (:func:`load_prerequisites` validates them against ``_toc.yml``);
- **Practice**: a link to the chapter's exercise page (``book/exercises/<stem>``);
- **Graded quiz**: every quiz of ``quizzes/quizzes.yml`` whose ``chapters:`` list names
  the chapter, given by the instructor, with a link to the Instructor guide's section on
  the quizzes.

``quizzes.yml`` is read here with YAML directly: the book layer does not import the
grading layer. Every problem is reported as a :class:`BuildError` with a file, a line and
a fix, so a strict build fails with a message a person can act on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from peaceops.bank import BankError
from peaceops.book.sphinx.selfcheck import bank_by_chapter, exercise_page
from peaceops.course.pages import read_page
from peaceops.course.problems import BuildError, Problem
from peaceops.course.toc import page_path, toc_files

#: The prerequisites of each chapter, relative to the course root.
CHAPTERS = Path("book") / "chapters.yml"
#: The graded quizzes, relative to the course root.
QUIZZES = Path("quizzes") / "quizzes.yml"
#: The Instructor guide and the heading of its section on the quizzes.
GUIDE = "book/reference/instructor-guide"
GUIDE_SECTION = "The quizzes"

WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 1.5
ROUND_TO = 5

_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`[^`]*`")
_ROLE = re.compile(r"\{[a-z:]+\}`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{([\w:-]+)\})?")
#: Fenced blocks whose body a reader does not read as text (code, generated lists).
_UNREAD = {"code-cell", "code", "code-block", "bibliography", "glossary", "raw", "chapterinfo"}


# --- study time -------------------------------------------------------------------------


def reading_words(markdown: str) -> int:
    """The words a reader reads on a MyST page.

    Counts prose, tables, key terms, captions and the bodies of dropdowns and admonitions;
    leaves out front matter, citations, link targets, URLs, comments, labels, directive
    options, and the bodies of code cells and generated blocks (bibliography, glossary).
    """
    kept: list[str] = []
    fences: list[tuple[str, bool]] = []  # (marker, read?) of each open fenced block
    front = re.match(r"\A---\n.*?^---\s*$", markdown, re.M | re.S)  # YAML front matter
    for line in markdown[front.end() if front else 0 :].splitlines():
        stripped = line.strip()
        opener = _FENCE.match(stripped)
        if fences and stripped == fences[-1][0]:
            fences.pop()
            continue
        if opener and len(stripped) > len(opener.group(1)):
            read = opener.group(3) not in _UNREAD and (not fences or fences[-1][1])
            fences.append((opener.group(1), read))
            if read:  # a dropdown's or an admonition's title is read too
                kept.append(stripped[opener.end() :])
            continue
        if fences and not fences[-1][1]:
            continue
        if re.match(r"^:[\w-]+:", stripped) or stripped.startswith(("%", "<!--")):
            continue
        if re.match(r"^\([\w.-]+\)=$", stripped) or re.match(r"^\|?[\s:|-]+\|?$", stripped):
            continue
        kept.append(line)
    text = _CITE.sub("", "\n".join(kept))
    text = _ROLE.sub(lambda m: m.group(1) or m.group(2) or "", text)
    return len(_WORD.findall(_URL.sub("", text)))


def study_minutes(words: int, questions: int) -> int:
    """Reading at WORDS_PER_MINUTE plus MINUTES_PER_QUESTION a question, to ROUND_TO minutes."""
    minutes = words / WORDS_PER_MINUTE + questions * MINUTES_PER_QUESTION
    return max(ROUND_TO, ROUND_TO * round(minutes / ROUND_TO))


# --- prerequisites ----------------------------------------------------------------------


def _line_of(text: str, name: str) -> int | None:
    """The first line (1-based) that names ``name`` outside a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(rf"(?<![\w/-]){re.escape(name)}(?![\w/-])", line.split("#", 1)[0]):
            return number
    return None


def load_prerequisites(root: Path) -> dict[str, list[str]]:
    """``book/chapters.yml``: each chapter's prerequisites, validated against ``_toc.yml``.

    The file maps a chapter page (its toc name) to ``prerequisites:``, a list of toc pages
    to read first. Each named page must be in ``_toc.yml``, and a prerequisite must come
    before its chapter in the reading order (so there is no cycle). Raises
    :class:`BuildError` listing every problem with its line.
    """
    path = root / CHAPTERS
    where = str(CHAPTERS)
    if not path.is_file():
        raise BuildError(
            f"{where} is missing: it declares the prerequisites of each chapter.",
            [
                Problem(
                    where,
                    None,
                    "no such file",
                    "Create it: one entry per chapter, 'book/part/page: {prerequisites: "
                    "[book/part/earlier-page]}'.",
                )
            ],  # fmt: skip
        )
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise BuildError(
            f"{where} is not valid YAML.",
            [Problem(where, mark.line + 1 if mark else None, str(err).splitlines()[0],
                     "Fix the YAML syntax (a mapping of chapter to 'prerequisites: [...]').")],
        ) from err  # fmt: skip
    if not isinstance(raw, dict):
        raise BuildError(
            f"{where} must map each chapter to its prerequisites.",
            [Problem(where, 1, f"the file holds a {type(raw).__name__}, not a mapping",
                     "Write 'book/part/page:' then '  prerequisites: [book/part/other]'.")],
        )  # fmt: skip
    order = {name: n for n, name in enumerate(toc_files(root))}
    problems: list[Problem] = []
    found: dict[str, list[str]] = {}
    for chapter, entry in raw.items():
        chapter = str(chapter)
        line = _line_of(text, chapter)
        if chapter not in order:
            problems.append(Problem(where, line, f"'{chapter}' is not a page of _toc.yml",
                                    "Name a chapter by its toc entry, e.g. "
                                    "'book/frameworks/framework'."))  # fmt: skip
            continue
        if not isinstance(entry, dict) or set(entry) != {"prerequisites"}:
            problems.append(Problem(where, line, f"'{chapter}' must have exactly one key, "
                                    "'prerequisites'", "Write '  prerequisites: [page, ...]' "
                                    "under it ('[]' for none)."))  # fmt: skip
            continue
        pages = entry["prerequisites"] or []
        if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
            problems.append(Problem(where, line, f"the prerequisites of '{chapter}' are not a "
                                    "list of page names", "Write them as "
                                    "[book/part/page, ...]."))  # fmt: skip
            continue
        for page in pages:
            at = _line_of(text, page) if page not in order else line
            if page not in order:
                problems.append(Problem(where, at, f"'{page}' (a prerequisite of '{chapter}') "
                                        "is not a page of _toc.yml", "Name a page of the toc "
                                        "without its suffix, e.g. 'book/intro'."))  # fmt: skip
            elif order[page] >= order[chapter]:
                problems.append(Problem(where, line, f"'{page}' does not come before '{chapter}' "
                                        "in the reading order", "A prerequisite must be a page "
                                        "read earlier: reorder the toc or drop it."))  # fmt: skip
        if len(set(pages)) != len(pages):
            problems.append(Problem(where, line, f"'{chapter}' names a prerequisite twice",
                                    "Name each page once."))  # fmt: skip
        found[chapter] = list(pages)
    if problems:
        raise BuildError(f"{where} has {len(problems)} problem(s).", problems)
    return found


# --- quizzes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quiz:
    """A graded quiz as the book shows it: its id, title and suggested time."""

    id: str
    title: str
    minutes: int | None


def load_quizzes(root: Path) -> dict[str, list[Quiz]]:
    """Chapter -> the quizzes of ``quizzes/quizzes.yml`` whose ``chapters:`` name it, in order."""
    path = root / QUIZZES
    where = str(QUIZZES)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise BuildError(
            f"{where} cannot be read.",
            [Problem(where, None, str(err), "Restore quizzes/quizzes.yml.")],
        ) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise BuildError(
            f"{where} is not valid YAML.",
            [
                Problem(
                    where,
                    mark.line + 1 if mark else None,
                    str(err).splitlines()[0],
                    "Fix the YAML syntax; check it "
                    "with 'uv run python -m peaceops.grading.quizzes'.",
                )
            ],
        ) from err
    if not isinstance(raw, dict):
        raise BuildError(
            f"{where} must map each quiz id to its definition.",
            [Problem(where, 1, "not a mapping", "See quizzes/README.md.")],
        )
    by_chapter: dict[str, list[Quiz]] = {}
    for quiz_id, spec in raw.items():
        if not isinstance(spec, dict):
            continue
        minutes = spec.get("minutes")
        quiz = Quiz(str(quiz_id), str(spec.get("title") or quiz_id),
                    minutes if isinstance(minutes, int) else None)  # fmt: skip
        for chapter in spec.get("chapters") or []:
            by_chapter.setdefault(str(chapter), []).append(quiz)
    return by_chapter


def guide_anchor(root: Path) -> str:
    """The HTML id of the Instructor guide's section on the quizzes ('the-quizzes')."""
    path = page_path(root, GUIDE)
    headings = [] if path is None else [
        line.lstrip("#").strip() for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^#{2,3} ", line)
    ]  # fmt: skip
    if GUIDE_SECTION not in headings:
        raise BuildError(
            f"{GUIDE}.md has no section '{GUIDE_SECTION}' for the chapters to link to.",
            [Problem(f"{GUIDE}.md", None, f"no heading '## {GUIDE_SECTION}'",
                     f"Keep the heading, or change GUIDE_SECTION in {__name__}.")],
        )  # fmt: skip
    return nodes.make_id(GUIDE_SECTION)


# --- what a chapter shows ---------------------------------------------------------------


@dataclass(frozen=True)
class ChapterInfo:
    """What ``{chapterinfo}`` shows for one chapter."""

    chapter: str
    words: int
    questions: int
    prerequisites: list[str]
    quizzes: list[Quiz]

    @property
    def minutes(self) -> int:
        return study_minutes(self.words, self.questions)


def chapter_info(root: Path, chapter: str, questions: int | None = None) -> ChapterInfo:
    """Everything ``{chapterinfo}`` shows for ``chapter``; raise BuildError on a gap.

    ``questions`` is the number of practice questions of its exercise page (read from the
    bank when not given).
    """
    path = page_path(root, chapter)
    if path is None:
        raise BuildError(
            f"'{chapter}' has no page file.",
            [Problem("_toc.yml", None, f"no {chapter}.md", "Check the toc.")],
        )
    prerequisites = load_prerequisites(root)
    if chapter not in prerequisites:
        raise BuildError(
            f"{CHAPTERS} has no entry for '{chapter}'.",
            [Problem(str(CHAPTERS), None, f"'{chapter}' is not declared",
                     f"Add '{chapter}:' with '  prerequisites: [...]' ('[]' for none).")],
        )  # fmt: skip
    quizzes = load_quizzes(root).get(chapter, [])
    if not quizzes:
        raise BuildError(
            f"No graded quiz covers '{chapter}'.",
            [Problem(str(QUIZZES), None, f"no quiz lists '{chapter}' in its chapters",
                     "Add the chapter to the 'chapters:' of the quiz that assesses it.")],
        )  # fmt: skip
    if questions is None:
        questions = len(bank_by_chapter(root / "questions", root).get(chapter, []))
    return ChapterInfo(chapter, reading_words(path.read_text(encoding="utf-8")), questions,
                       prerequisites[chapter], quizzes)  # fmt: skip


def _title(root: Path, name: str) -> str:
    path = page_path(root, name)
    return read_page(path).heading if path else name


def render(info: ChapterInfo, root: Path, link: Any, guide_url: str) -> str:
    """The aside's HTML; ``link(docname)`` gives the relative URL of a page of the book."""
    esc = html.escape
    read_min = round(info.words / WORDS_PER_MINUTE)
    noun = "question" if info.questions == 1 else "questions"
    time = (f"About {info.minutes} minutes: some {info.words:,} words to read (about "
            f"{read_min} min) and {info.questions} practice {noun} (about "
            f"{round(info.questions * MINUTES_PER_QUESTION)} min).")  # fmt: skip
    if info.prerequisites:
        first = ", ".join(f'<a href="{esc(link(p))}">{esc(_title(root, p))}</a>'
                          for p in info.prerequisites)  # fmt: skip
    else:
        first = "Nothing: start here."
    practice = (f'<a href="{esc(link(exercise_page(info.chapter)))}">Exercises for this '
                f"chapter</a>: {info.questions} {noun}, each checked in the page.")  # fmt: skip
    quizzes = "; ".join(
        f"<em>{esc(q.title)}</em>" + (f", {q.minutes} minutes" if q.minutes else "")
        for q in info.quizzes
    )
    graded = (
        f"{quizzes}. Your instructor gives the graded quizzes: see "
        f'<a href="{esc(guide_url)}">The quizzes</a> in the Instructor guide.'
    )
    heading_id = "chapterinfo-heading"
    rows = [
        ("Study time", time),
        ("Read first", first),
        ("Practice", practice),
        ("Graded quiz" if len(info.quizzes) == 1 else "Graded quizzes", graded),
    ]
    items = "".join(f"<dt>{esc(term)}</dt><dd><p>{body}</p></dd>" for term, body in rows)
    return (f'<aside class="admonition note peaceops-chapterinfo" aria-labelledby="{heading_id}">'
            f'<p class="admonition-title" id="{heading_id}" role="heading" aria-level="2">'
            f'Before you start</p><dl class="simple myst">{items}</dl></aside>')  # fmt: skip


class ChapterInfoDirective(SphinxDirective):
    """``{chapterinfo}``: the chapter's study time, prerequisites, exercises and quizzes."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        chapter = self.env.docname
        for name in (CHAPTERS, QUIZZES, Path("_toc.yml"), Path(f"{GUIDE}.md")):
            self.env.note_dependency(str(root / name))
        for path in (root / "questions").glob("*.yml"):
            self.env.note_dependency(str(path))
        try:
            questions = len(bank_by_chapter(root / "questions", root).get(chapter, []))
            info = chapter_info(root, chapter, questions)
            anchor = guide_anchor(root)
        except (BuildError, BankError) as err:
            raise self.error(str(err)) from err
        for name in info.prerequisites:  # their titles are shown: re-read when they change
            path = page_path(root, name)
            if path is not None:
                self.env.note_dependency(str(path))
        missing = [p for p in [*info.prerequisites, exercise_page(chapter), GUIDE]
                   if p not in self.env.found_docs]  # fmt: skip
        if missing:
            raise self.error(f"{chapter}: the pages {missing} are not part of the book: "
                             f"add them to _toc.yml or correct {CHAPTERS}.")  # fmt: skip
        builder = self.env.app.builder

        def link(target: str) -> str:
            return builder.get_relative_uri(chapter, target)

        body = render(info, root, link, f"{link(GUIDE)}#{anchor}")
        return [nodes.raw("", body, format="html")]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``{chapterinfo}``."""
    app.add_directive("chapterinfo", ChapterInfoDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
