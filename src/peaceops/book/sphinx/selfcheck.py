"""Sphinx extension: practice questions from the bank, answered in the page.

- ``{selfcheck}`` on a chapter page: its first few practice questions;
- ``{exercises} book/part/chapter``: every practice question of a chapter (its exercise page),
  or, with ``:questions: id, id``, the ones named (a scenario's decision points);
- ``{progress}``: the learner's Progress page (chapters, questions answered and right, what
  to review, reset, export and import of the learning record).

The markup comes from :mod:`peaceops.exercises.web` (the page contract); the script
``book/_theme/peaceops-exercises.js`` judges answers and keeps the learning record in the
browser: no kernel, no server, no network. Assessment items never reach a page: only the
practice bank (``questions/*.yml``) is read here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from peaceops import data
from peaceops.bank import BankError, Question, by_chapter, load_bank
from peaceops.course.pages import read_page
from peaceops.course.toc import page_path
from peaceops.exercises import web

_LOADED: dict[tuple, tuple[dict[str, list[Question]], dict]] = {}


def bank_by_chapter(bank_dir: Path, root: Path) -> dict[str, list[Question]]:
    """The practice bank grouped by chapter, loaded once per state of its files and the toc.

    Every page asks for it while Sphinx reads the book; the files decide the key, so an
    edited question file, data table or toc is read again.
    """
    return _loaded(bank_dir, root)[0]


def course_tables(bank_dir: Path, root: Path) -> dict:
    """The course's data tables, loaded with the bank."""
    return _loaded(bank_dir, root)[1]


def _loaded(bank_dir: Path, root: Path) -> tuple[dict[str, list[Question]], dict]:
    files = sorted([*bank_dir.glob("*.yml"), *(root / "data").glob("*.csv"), root / "_toc.yml"])
    key = (str(bank_dir), tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists()))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = (by_chapter(load_bank(bank_dir, root)), data.load_all())
    return _LOADED[key]


def pick(questions: list[Question], count: int) -> list[Question]:
    """The first ``count`` practice questions of a chapter (a chapter page's self-check)."""
    return questions[:count]


def questions_html(questions: list[Question], tables: dict, start: int = 1) -> str:
    """The questions, numbered from ``start``, with the rows of any table their data
    questions explore."""
    body = "".join(web.question_html(q, n, tables) for n, q in enumerate(questions, start=start))
    if any(q.type == "data" for q in questions):
        body += (f'<script type="application/json" class="pq-tables">'
                 f"{web.tables_json(questions, tables)}</script>")  # fmt: skip
    return body


class _BankDirective(SphinxDirective):
    """A directive that reads the practice bank (and rebuilds the page when it changes)."""

    def bank(self) -> tuple[dict[str, list[Question]], dict]:
        root = Path(self.env.srcdir)
        bank_dir = root / "questions"
        for path in [*bank_dir.glob("*.yml"), *(root / "data").glob("*.csv")]:
            self.env.note_dependency(str(path))
        try:
            return bank_by_chapter(bank_dir, root), course_tables(bank_dir, root)
        except BankError as err:
            raise self.error(str(err)) from err


class SelfCheckDirective(_BankDirective):
    """``{selfcheck}``: the page's first practice questions, answered in the page."""

    has_content = False
    option_spec = {"count": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        chapter = self.env.docname
        by_chapter_, tables = self.bank()
        chosen = pick(by_chapter_.get(chapter, []), self.options.get("count", 3))
        if not chosen:
            raise self.error(f"no practice question for '{chapter}' in questions/")
        body = questions_html(chosen, tables)
        return [nodes.raw("", f'<div class="peaceops-selfchecks">{body}</div>', format="html")]


class ExercisesDirective(_BankDirective):
    """``{exercises} book/part/chapter``: every practice question of that chapter."""

    required_arguments = 1
    has_content = False
    option_spec = {"questions": directives.unchanged, "start": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        chapter = self.arguments[0].strip().removesuffix(".md")
        by_chapter_, tables = self.bank()
        questions = by_chapter_.get(chapter, [])
        if not questions:
            raise self.error(
                f"no practice question for '{chapter}' in questions/: name a chapter of the "
                "bank, e.g. 'book/frameworks/framework'"
            )
        if "questions" in self.options:  # a few, by id, where a page needs them
            wanted = [i.strip() for i in self.options["questions"].split(",") if i.strip()]
            known = {q.id: q for q in questions}
            missing = [i for i in wanted if i not in known]
            if missing:
                raise self.error(f"no practice question {', '.join(missing)} for '{chapter}'")
            questions = [known[i] for i in wanted]
        body = questions_html(questions, tables, self.options.get("start", 1))
        return [nodes.raw("", f'<div class="peaceops-exercises">{body}</div>', format="html")]


def exercise_page(chapter: str) -> str:
    """The docname of a chapter's exercise page ('book/exercises/framework')."""
    return f"book/exercises/{chapter.rsplit('/', 1)[-1]}"


class ProgressDirective(_BankDirective):
    """``{progress}``: the learning record of this browser, by chapter, with reviews."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        by_chapter_, _ = self.bank()
        root = Path(self.env.srcdir)
        builder = self.env.app.builder
        chapters = []
        for chapter, questions in by_chapter_.items():
            path = page_path(root, chapter)
            title = read_page(path).heading if path else chapter
            target = exercise_page(chapter)  # a scenario page asks its own questions
            target = target if target in self.env.found_docs else chapter
            url = builder.get_relative_uri(self.env.docname, target)
            chapters.append({
                "id": chapter, "title": title, "url": url,
                "questions": [{"id": q.id, "prompt": _short(q.prompt)} for q in questions],
            })  # fmt: skip
        manifest = json.dumps({"chapters": chapters}, ensure_ascii=False).replace("</", "<\\/")
        html = (
            '<div id="peaceops-progress" class="pq-progress">'
            f'<script type="application/json" class="pq-manifest">{manifest}</script>'
            '<div class="pq-progress-view"><p>Your progress shows here once the page has '
            "loaded (it needs JavaScript).</p></div>"
            "<h2>Your record</h2><p>Your answers stay in this browser only. Save them as a file "
            "to move to another device or browser, or to hand to an instructor.</p>"
            '<p class="pq-record-actions"><button type="button" class="pq-export">Export my '
            'record</button> <label class="pq-import-label">Import a record file: <input '
            'type="file" class="pq-import" accept="application/json,.json"></label></p>'
            '<p><button type="button" class="pq-reset">Reset my record</button></p>'
            '<p class="pq-reset-confirm" hidden>Erase every answer kept in this browser? '
            '<button type="button" class="pq-reset-yes">Yes, erase</button> '
            '<button type="button" class="pq-reset-no">No, keep it</button></p>'
            '<p class="pq-progress-status" role="status" aria-live="polite"></p></div>'
        )
        return [nodes.raw("", html, format="html")]


def _short(prompt: str, limit: int = 110) -> str:
    text = " ".join(prompt.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, and the script and style that make the questions answer."""
    app.add_directive("selfcheck", SelfCheckDirective)
    app.add_directive("exercises", ExercisesDirective)
    app.add_directive("progress", ProgressDirective)
    app.add_js_file("peaceops-exercises.js")
    app.add_css_file("peaceops-exercises.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
