"""Sphinx extension: interactive self-checks drawn from the question bank.

A page's Self-check section holds ``{selfcheck}``; at build time the directive writes the
page's bank questions (single choice, multiple choice, numeric and date) as HTML, and a
small script (``book/_theme/peaceops-selfcheck.js``) checks answers in the browser: no
kernel, no network. The questions and their answer keys stay in ``questions/`` only.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from peaceops.bank import BankError, Question, by_chapter, load_bank

#: Question types the in-page script can check.
STATIC_TYPES = ("single", "multiple", "numeric", "date")


_LOADED: dict[tuple, dict[str, list[Question]]] = {}


def bank_by_chapter(bank_dir: Path, root: Path) -> dict[str, list[Question]]:
    """The bank grouped by chapter, loaded once per state of its files and of the toc.

    Every chapter page asks for it while Sphinx reads the book; the files decide the key,
    so an edited question file or toc is read again.
    """
    files = sorted([*bank_dir.glob("*.yml"), root / "_toc.yml"])
    key = (str(bank_dir), tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists()))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = by_chapter(load_bank(bank_dir, root))
    return _LOADED[key]


def pick(questions: list[Question], count: int) -> list[Question]:
    """The first ``count`` questions of a chapter that a static page can check."""
    return [q for q in questions if q.type in STATIC_TYPES][:count]


def render_question(question: Question, number: int) -> str:
    """One question as HTML, with its key in a data attribute for the page script."""
    key: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "answer": question.answer,
        "explanation": question.explanation,
        "feedback": question.feedback,
        "tolerance": question.tolerance,
        "precision": question.precision,
        "unit": question.unit,
    }
    name = f"pq-{question.id}"
    if question.type in ("single", "multiple"):
        kind = "radio" if question.type == "single" else "checkbox"
        inputs = "".join(
            f'<label class="pq-option"><input type="{kind}" name="{name}" '
            f'value="{html.escape(option, quote=True)}"> {html.escape(option)}</label>'
            for option in question.shuffled_options()
        )
    else:
        hint = "YYYY-MM-DD" if question.type == "date" else "a number"
        unit = f" {html.escape(question.unit)}" if question.unit else ""
        inputs = (
            f'<label class="pq-option">Your answer: <input type="text" name="{name}" '
            f'placeholder="{hint}" autocomplete="off">{unit}</label>'
        )
    tip = " (tick every right option)" if question.type == "multiple" else ""
    return (
        f'<div class="peaceops-selfcheck" id="{name}" '
        f'data-question="{html.escape(json.dumps(key, ensure_ascii=False), quote=True)}">'
        f'<p class="pq-prompt"><b>{number}.</b> {html.escape(question.prompt)}{tip}</p>'
        f'<form class="pq-form" onsubmit="return false">{inputs}</form>'
        '<p class="pq-buttons"><button type="button" class="pq-check">Check</button> '
        '<button type="button" class="pq-reveal">Show answer</button></p>'
        '<div class="pq-feedback" role="status" aria-live="polite"></div></div>'
    )


class SelfCheckDirective(SphinxDirective):
    """``{selfcheck}``: the page's bank questions as an interactive, offline self-check."""

    has_content = False
    option_spec = {"count": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        chapter = self.env.docname
        root = Path(self.env.srcdir)
        bank_dir = root / "questions"
        for path in bank_dir.glob("*.yml"):
            self.env.note_dependency(str(path))
        try:
            questions = bank_by_chapter(bank_dir, root).get(chapter, [])
        except BankError as err:
            raise self.error(str(err)) from err
        chosen = pick(questions, self.options.get("count", 3))
        if not chosen:
            raise self.error(
                f"no single, multiple, numeric or date question for '{chapter}' in questions/"
            )
        body = "".join(render_question(q, n) for n, q in enumerate(chosen, start=1))
        return [nodes.raw("", f'<div class="peaceops-selfchecks">{body}</div>', format="html")]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and the script that checks answers in the page."""
    app.add_directive("selfcheck", SelfCheckDirective)
    app.add_js_file("peaceops-selfcheck.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
