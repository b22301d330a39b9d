"""Assessment apart from practice, and measuring every objective.

No assessment item appears in the built site, the notebooks or the practice bank; every
objective of every chapter page is assessed by a graded item at its level; each quiz has
at least 30 % of its auto-graded points at apply or above; a private pool replaces the
sample one, and a missing id is named.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, make_quiz_course

from peaceops import bank
from peaceops.grading import blueprint, quizzes

POOL = ROOT / "questions" / "assessment"


def normalise(text: str) -> str:
    """Text without tags, HTML or JSON escapes, and runs of white space, in lower case."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace('\\"', '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def pool_questions() -> list[bank.Question]:
    practice = bank.load_bank()
    return bank.load_pool([POOL], ROOT, {q.id for q in practice})


def test_quizzes_ask_only_assessment_items_and_all_come_from_the_pool() -> None:
    for quiz in quizzes.load_quizzes(ROOT):
        assert {i.question.use for i in quiz.items} == {"assessment"}, quiz.id


@pytest.mark.slow
def test_no_assessment_item_in_the_built_site_or_the_notebooks(built_html: Path) -> None:
    pages = {p: normalise(p.read_text(encoding="utf-8")) for p in built_html.rglob("*.html")}
    notebooks = {p: normalise(p.read_text(encoding="utf-8"))
                 for p in (ROOT / "notebooks").glob("*.ipynb")}  # fmt: skip
    everything = {**pages, **notebooks}
    leaked = []
    for question in pool_questions():
        # the whole prompt: items may share an opening sentence with practice questions
        probe = normalise(question.prompt)
        leaked += [f"{question.id} in {p.name}" for p, text in everything.items() if probe in text]
    assert leaked == []
    assert len(pages) > 20 and len(notebooks) >= 16  # the probe looked at the real material


def test_every_objective_is_assessed_at_its_level_and_quizzes_apply_enough() -> None:
    chapters = sorted(bank.by_chapter(bank.load_bank()))
    found = blueprint.problems(ROOT, quizzes.load_quizzes(ROOT), chapters)
    assert found == [], "\n".join(found)


def test_the_blueprint_reads_as_plain_text() -> None:
    """An instructor reads the blueprint in a terminal: a scenario objective that names
    the chapter it trains shows that chapter's title, not MyST markup."""
    text = "\n".join(blueprint.render(ROOT, q) for q in quizzes.load_quizzes(ROOT))
    assert "`" not in text and "{doc}" not in text
    assert "trains Framework of Military Alliances, objective 4" in text


def test_a_private_pool_replaces_the_sample_one(tmp_path: Path, monkeypatch) -> None:
    course = make_quiz_course(tmp_path / "course")
    private = tmp_path / "exam-pool"
    private.mkdir()
    quiz = quizzes.load_quizzes(course)[0]
    # the instructor's own items: the sample ones renamed, as a stand-in for new ones
    for chapter in quiz.chapters:
        stem = chapter.rsplit("/", 1)[-1]
        text = (course / "questions" / "assessment" / f"{stem}.yml").read_text(encoding="utf-8")
        (private / f"{stem}.yml").write_text(text.replace(f"id: {stem}-", f"id: {stem}-private-"))
    own = bank.load_pool([private], course)
    chosen = [q.id for q in own if q.type != "written"][:8]
    chosen += [q.id for q in own if q.type == "written"][:1]
    definitions = {"exam": {"title": "Exam", "chapters": list(quiz.chapters), "questions": chosen}}
    (private / "quizzes.yml").write_text(json.dumps(definitions), encoding="utf-8")
    monkeypatch.setenv("PEACEOPS_POOL", str(private))
    monkeypatch.setenv("PEACEOPS_POOL_MODE", "replace")
    [exam] = quizzes.load_quizzes(course)
    assert exam.id == "exam" and all("-private-" in i.question.id for i in exam.items)
    definitions["exam"]["questions"].append(quiz.items[0].question.id)  # a sample item
    (private / "quizzes.yml").write_text(json.dumps(definitions), encoding="utf-8")
    with pytest.raises(quizzes.QuizError, match=f"'{quiz.items[0].question.id}' is in no"):
        quizzes.load_quizzes(course)
    monkeypatch.setenv("PEACEOPS_POOL", str(tmp_path / "missing"))
    with pytest.raises(quizzes.QuizError, match="does not exist"):
        quizzes.load_quizzes(course)
    shutil.rmtree(private)
