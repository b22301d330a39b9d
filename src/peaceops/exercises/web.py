"""Bank questions as HTML that a page answers by itself: no kernel, no server, no network.

Every practice question, of every type, renders to one element that follows the page
contract (``../shared/notes/web-exercise-contract.md``): ``data-question-id``, one button
named "Check", options labelled with their text, one labelled input for a number or a
date, and a ``data-result`` of ``right``, ``wrong`` or ``incomplete`` set by the page's
script (``book/_theme/peaceops-exercises.js``) after each Check. The key travels with the
question as JSON; the script judges with the same rules as the exercise widgets.
"""

from __future__ import annotations

import html
import json
import random
from typing import Any

import pandas as pd

from peaceops import data
from peaceops.bank import Question
from peaceops.bank.dates import precision_note

#: For each table a data question explores: the column a learner filters by, the date
#: column whose year the range selects, and the columns shown (in order).
TABLE_VIEWS = {
    "operations": ("lead", "start", ["name", "lead", "host_country", "start", "end", "kind"]),
    "un_operations": ("region", "start", ["acronym", "name", "region", "start", "end"]),
    "memberships": ("organisation", "joined", ["state", "organisation", "joined", "left"]),
}
#: What a learner is told to do, by type, under the prompt.
INSTRUCTIONS = {
    "single": "Choose one option.",
    "decision": "Decide: choose the course of action you would take, then see what follows.",
    "multiple": "Tick every right option: one, several or all of them.",
    "matching": "Match every item on the left with one on the right.",
    "ordering": "Number the events from 1 (the earliest).",
    "numeric": "Type a number (digits only).",
    "date": "Type a date as YYYY-MM-DD.",
    "data": "Filter the table, read the number of rows, and type it.",
    "written": "Write your answer, check it, then mark it with the mark scheme.",
}
PLACEHOLDER = "(choose)"


def shown_items(question: Question) -> list[str]:
    """The events of an ordering question in the order shown: fixed by the question id,
    and never the key's order (which would give the answer away)."""
    shown = list(question.items)
    random.Random(question.id).shuffle(shown)
    if shown == list(question.items) and len(shown) > 1:
        shown = shown[1:] + shown[:1]
    return shown


def matching_choices(question: Question) -> list[str]:
    """The right-hand items of a matching question, distractors included, in a fixed order."""
    rights = list(dict.fromkeys([*question.pairs.values(), *question.distractors]))
    random.Random(question.id).shuffle(rights)
    return rights


def data_count(question: Question, tables: dict[str, pd.DataFrame]) -> int:
    """A data question's answer: the rows its conditions select in the course table."""
    return len(data.select_rows(tables, question.table, question.where, question.years))


def key_of(question: Question, tables: dict[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """What the page script needs to judge an answer and explain it."""
    key: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "explanation": question.explanation,
    }
    if question.type in ("single", "multiple"):
        key.update(answer=question.answer, feedback=question.feedback, decision=question.decision)
    elif question.type == "matching":
        key.update(pairs=question.pairs)
    elif question.type == "ordering":
        key.update(items=list(question.items))
    elif question.type == "numeric":
        key.update(answer=question.answer, tolerance=question.tolerance, unit=question.unit)
    elif question.type == "date":
        key.update(answer=question.answer, tolerance=question.tolerance,
                   precision=question.precision)  # fmt: skip
    elif question.type == "data":
        filter_column, date_column, _ = TABLE_VIEWS[question.table]
        key.update(answer=data_count(question, tables or data.load_all()), table=question.table,
                   where=question.where, years=list(question.years), filter=filter_column,
                   date=date_column)  # fmt: skip
    elif question.type == "written":
        key.update(scheme=[[c.points, c.criterion] for c in question.mark_scheme],
                   marks=question.marks)  # fmt: skip
    return key


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _choices(question: Question, name: str) -> str:
    kind = "radio" if question.type == "single" else "checkbox"
    return "".join(
        f'<label class="pq-option"><input type="{kind}" name="{name}" value="{_esc(option)}">'
        f" <span>{_esc(option)}</span></label>"
        for option in question.shuffled_options()
    )


def _selects(name: str, rows: list[tuple[str, str]], choices: list[tuple[str, str]]) -> str:
    """One labelled select per row: (row label, row value) against (option text, value)."""
    options = "".join(f'<option value="{_esc(v)}">{_esc(t)}</option>' for t, v in choices)
    return "".join(
        f'<div class="pq-row"><label for="{name}-{n}">{_esc(label)}</label>'
        f'<select id="{name}-{n}" data-item="{_esc(value)}">{options}</select></div>'
        for n, (label, value) in enumerate(rows)
    )


def _entry(question: Question, name: str) -> str:
    if question.type == "date":
        label, hint, mode = "Your answer (a date, YYYY-MM-DD)", "YYYY-MM-DD", "numeric"
    else:
        unit = f", in {question.unit}" if question.unit else ""
        label, hint, mode = f"Your answer (a number{unit})", "", "decimal"
    return (
        f'<div class="pq-row"><label for="{name}-answer">{_esc(label)}</label>'
        f'<input type="text" id="{name}-answer" class="pq-entry" inputmode="{mode}" '
        f'autocomplete="off" spellcheck="false" placeholder="{hint}"></div>'
    )


def _explorer(question: Question, name: str, tables: dict[str, pd.DataFrame]) -> str:
    filter_column, date_column, _ = TABLE_VIEWS[question.table]
    frame = tables[question.table]
    years = frame[date_column].str[:4].astype(int)
    values = sorted(frame[filter_column].unique())
    options = "".join(f'<option value="{_esc(v)}">{_esc(v)}</option>' for v in values)
    first, last = int(years.min()), int(years.max())
    return (
        f'<div class="pq-explore" data-table="{_esc(question.table)}">'
        f'<div class="pq-row"><label for="{name}-filter">Show rows whose {_esc(filter_column)} is'
        f'</label><select id="{name}-filter" class="pq-filter"><option value="">(any)</option>'
        f"{options}</select></div>"
        f'<div class="pq-row"><label for="{name}-from">{_esc(date_column)} year from</label>'
        f'<input type="number" id="{name}-from" class="pq-from" min="{first}" max="{last}" '
        f'value="{first}"> <label for="{name}-to">to</label><input type="number" '
        f'id="{name}-to" class="pq-to" min="{first}" max="{last}" value="{last}"></div>'
        '<p class="pq-count" aria-live="polite"></p>'
        f'<div class="pq-table" role="region" tabindex="0" aria-label="Rows of the '
        f'{_esc(question.table)} table that the filters select"></div></div>'
        + _entry(question, name)  # fmt: skip
    )


def _written(question: Question, name: str) -> str:
    scheme = "".join(
        f'<label class="pq-option"><input type="checkbox" value="{n}"> <span>My answer does '
        f"this ({c.points} point{'s' if c.points != 1 else ''}): {_esc(c.criterion)}</span>"
        "</label>"
        for n, c in enumerate(question.mark_scheme)
    )
    return (
        f'<div class="pq-row pq-written"><label for="{name}-text">Your answer</label>'
        f'<textarea id="{name}-text" rows="6"></textarea></div>'
        f'<fieldset class="pq-scheme" hidden><legend>Mark your answer ({question.marks} '
        f"points): tick what it does, then Check again</legend>{scheme}</fieldset>"
    )


def inputs_html(question: Question, name: str, tables: dict[str, pd.DataFrame]) -> str:
    """The inputs of one question, by type."""
    if question.type in ("single", "multiple"):
        return _choices(question, name)
    if question.type == "matching":
        rights = [(PLACEHOLDER, "")] + [(r, r) for r in matching_choices(question)]
        return _selects(name, [(left, left) for left in question.pairs], rights)
    if question.type == "ordering":
        count = len(question.items)
        numbers = [("-", "")] + [(str(n), str(n)) for n in range(1, count + 1)]
        rows = [(f"Position of: {item}", item) for item in shown_items(question)]
        return _selects(name, rows, numbers)
    if question.type in ("numeric", "date"):
        return _entry(question, name)
    if question.type == "data":
        return _explorer(question, name, tables)
    return _written(question, name)


def question_html(
    question: Question, number: int, tables: dict[str, pd.DataFrame] | None = None
) -> str:
    """One question as a self-contained element under the page contract."""
    tables = tables if tables is not None else data.load_all()
    name = f"pq-{question.id}"
    note = precision_note(question) if question.type == "date" else ""
    kind = "decision" if question.decision else question.type
    instruction = " ".join(filter(None, [INSTRUCTIONS[kind], note]))
    key = json.dumps(key_of(question, tables), ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<section class="pq" id="{name}" data-question-id="{_esc(question.id)}" '
        f'data-type="{kind}" aria-labelledby="{name}-prompt">'
        f'<script type="application/json" class="pq-key">{key}</script>'
        f'<form class="pq-form" novalidate><fieldset class="pq-fieldset">'
        f'<legend id="{name}-prompt" class="pq-prompt"><span class="pq-number">{number}.</span> '
        f"{_esc(question.prompt)}</legend>"
        f'<p class="pq-instruction">{_esc(instruction)}</p>'
        f"{inputs_html(question, name, tables)}</fieldset>"
        '<div class="pq-buttons"><button type="submit" class="pq-check">Check</button> '
        '<button type="button" class="pq-reveal">Show answer</button> '
        '<button type="button" class="pq-retry">Try again</button></div></form>'
        '<div class="pq-feedback" role="status" aria-live="polite"></div></section>'
    )


def tables_json(questions: list[Question], tables: dict[str, pd.DataFrame]) -> str:
    """The rows (shown columns only) of every table the data questions explore, as JSON."""
    needed = sorted({q.table for q in questions if q.type == "data"})
    payload = {
        name: tables[name][TABLE_VIEWS[name][2]].to_dict(orient="records") for name in needed
    }
    return json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
