"""Every practice question is answered in the web page, with the same verdicts as the widgets.

One test per chapter opens the chapter's exercise page in Chromium with every request to
another host aborted, and drives each question through the same answers as its
JupyterLab widget: nothing done, malformed, wrong, partly right, right. The page's
``data-result`` (the page contract) must equal the widget's verdict at every step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from browser import open_offline
from conftest import ROOT

from peaceops import bank, data
from peaceops.bank import Question
from peaceops.exercises import web
from peaceops.exercises.widgets import exercise_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PRACTICE = bank.by_chapter(bank.load_bank())
TABLES = data.load_all()


@dataclass(frozen=True)
class Answer:
    """One answer to give a question: what it is, and the input in the bank's terms."""

    label: str
    value: Any  # None: nothing done


def right_answer(q: Question) -> Any:
    if q.type == "single":
        return q.answer
    if q.type == "multiple":
        return list(q.answer)
    if q.type == "matching":
        return dict(q.pairs)
    if q.type == "ordering":
        return {item: n for n, item in enumerate(q.items, start=1)}
    if q.type == "numeric":
        return f"{q.answer:g}"
    if q.type == "date":
        return q.answer
    if q.type == "data":
        return str(web.data_count(q, TABLES))
    return "Alliances lent forces; the Council authorised them, with consent and limits."


def wrong_answers(q: Question) -> list[Answer]:
    """Wrong, partly right and malformed answers of a question, by type."""
    if q.type == "single":
        return [Answer("wrong", next(o for o in q.options if o != q.answer))]
    if q.type == "multiple":
        others = [o for o in q.options if o not in q.answer]
        found = [Answer("one key missing", list(q.answer)[:-1] or [others[0]])]
        if others:
            found.append(Answer("a wrong tick", [*q.answer, others[0]]))
        return found
    if q.type == "matching":
        lefts, rights = list(q.pairs), list(q.pairs.values())
        swapped = {**q.pairs, lefts[0]: rights[1], lefts[1]: rights[0]}
        return [Answer("two pairs swapped", swapped)]
    if q.type == "ordering":
        n = len(q.items)
        reverse = {item: n - i for i, item in enumerate(q.items)}
        clash = {item: 1 for item in q.items}
        return [Answer("reversed", reverse), Answer("one number twice", clash)]
    if q.type == "numeric":
        return [Answer("too high", f"{q.answer + q.tolerance + 1:g}"), Answer("text", "many")]
    if q.type == "date":
        day = dt.date.fromisoformat(q.answer)
        later = day.replace(year=day.year + 2, day=min(day.day, 28))
        return [Answer("two years late", later.isoformat()), Answer("not ISO", "10/06/1999")]
    if q.type == "data":
        return [Answer("one too many", str(web.data_count(q, TABLES) + 1))]
    return [Answer("written", "A short answer for the mark scheme.")]


def answers_of(q: Question) -> list[Answer]:
    return [Answer("nothing done", None), *wrong_answers(q), Answer("right", right_answer(q))]


# -- the widget -------------------------------------------------------------------------
def widget_verdict(q: Question, value: Any) -> str:
    """Give the answer to the question's ipywidget; its verdict in the page contract's terms."""
    ex = exercise_for(q)
    if value is not None:
        if q.type == "single":
            ex.choice.value = value
        elif q.type == "multiple":
            for box in ex.boxes:
                box.value = box.description in value
        elif q.type == "matching":
            for left, select in ex.selects.items():
                select.value = value[left]
        elif q.type == "ordering":
            for item, select in ex.positions.items():
                select.value = value[item]
        elif q.type == "written":
            ex.text.value = value
        else:
            ex.entry.value = value
    ex.check()
    shown = ex.feedback.value
    for kind, result in (("right", "right"), ("wrong", "wrong"), ("hint", "incomplete"),
                         ("answer", "incomplete")):  # fmt: skip
        if f"peaceops-{kind}" in shown:
            return result
    raise AssertionError(f"{q.id}: the widget showed no verdict: {shown!r}")


# -- the page ---------------------------------------------------------------------------
def page_verdict(block, q: Question, value: Any) -> str:
    """Give the answer in the page as a learner would; return the block's data-result."""
    block.get_by_role("button", name="Try again", exact=True).click()
    via_enter = False
    if value is not None:
        if q.type == "single":
            block.get_by_label(value, exact=True).check()
        elif q.type == "multiple":
            for option in q.options:
                box = block.get_by_label(option, exact=True)
                box.check() if option in value else box.uncheck()
        elif q.type == "matching":
            for left, right in value.items():
                block.get_by_label(left, exact=True).select_option(right)
        elif q.type == "ordering":
            for item, number in value.items():
                block.get_by_label(f"Position of: {item}", exact=True).select_option(str(number))
        elif q.type == "written":
            block.locator("textarea").fill(value)
        else:
            block.get_by_label("Your answer", exact=False).fill(value)
            block.get_by_label("Your answer", exact=False).press("Enter")
            via_enter = True
    if not via_enter:
        block.get_by_role("button", name="Check", exact=True).click()
    return block.get_attribute("data-result") or "(none)"


@pytest.mark.parametrize("chapter", sorted(PRACTICE), ids=lambda c: c.rsplit("/", 1)[-1])
def test_every_question_answers_like_its_widget_offline(browser, site: str, chapter: str) -> None:
    url = site + web_page(chapter)
    page, visit = open_offline(browser, url)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    questions = PRACTICE[chapter]
    blocks = page.locator("[data-question-id]")
    assert blocks.count() == len(questions), "the exercise page must ask every practice question"
    mismatches = []
    for q in questions:
        block = page.locator(f'[data-question-id="{q.id}"]')
        for answer in answers_of(q):
            expected = widget_verdict(q, answer.value)
            got = page_verdict(block, q, answer.value)
            if got != expected:
                mismatches.append(
                    f"{q.id} ({q.type}), {answer.label}: page {got}, widget {expected}"
                )
        if q.type != "written":
            assert expected == "right", f"{q.id}: the key itself is not judged right"
    page.context.close()
    assert not mismatches, "\n".join(mismatches)
    assert not visit.blocked and not visit.failed, (visit.blocked, visit.failed)
    assert not errors, errors


def web_page(chapter: str) -> str:
    """A chapter's exercise page, or the page itself where it asks its own questions (a
    scenario's decision points)."""
    page = f"book/exercises/{chapter.rsplit('/', 1)[-1]}"
    return (page if (ROOT / f"{page}.md").is_file() else chapter) + ".html"
