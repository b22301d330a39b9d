"""The exercise notebooks: generated from the bank, current, linked from their chapters."""

from __future__ import annotations

import json

from conftest import ROOT

from peaceops import bank
from peaceops.exercises import notebooks


def test_notebooks_are_current() -> None:
    stale = notebooks.stale(ROOT)
    assert not stale, f"stale notebooks (run peaceops notebooks): {stale}"


def test_a_notebook_opens_with_what_it_practises_and_asks_every_question() -> None:
    questions = bank.by_chapter(bank.load_bank())["book/frameworks/framework"]
    nb = json.loads((ROOT / "notebooks" / "framework.ipynb").read_text(encoding="utf-8"))
    intro = "".join(nb["cells"][0]["source"])
    assert intro.startswith("# Exercises: Framework of Military Alliances")
    assert "../book/frameworks/framework.md" in intro and "learning objectives" in intro
    asked = [c for c in nb["cells"] if "".join(c["source"]).startswith("exercises[")]
    assert len(asked) == len(questions)
    assert all(c["metadata"]["tags"] == ["remove-input"] for c in asked)
    assert all(c.get("outputs") == [] for c in nb["cells"] if c["cell_type"] == "code")


def test_notebooks_hold_no_answer_key() -> None:
    """The notebooks read the bank when they run: no answer is copied into them."""
    for question in bank.load_bank():
        if question.type not in ("single", "numeric", "date"):
            continue
        nb = (ROOT / notebooks.notebook_path(question.chapter)).read_text(encoding="utf-8")
        assert question.explanation[:40] not in nb, question.id
