"""The question bank: the real bank is sound, and a malformed entry is named precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, chapter_pages

from peaceops import bank
from peaceops.exercises.widgets import exercise_for

GOOD = """chapter: book/frameworks/framework
questions:
  - id: framework-one
    use: practice
    level: remember
    objective: 1
    type: single
    prompt: Which article?
    options: [Article 51, Article 53(1)]
    answer: Article 53(1)
    explanation: Because.
    feedback:
      Article 51: Self-defence.
"""


def make_bank(tmp_path: Path, files: dict[str, str]) -> Path:
    """A course root in tmp_path with the real toc and the given question files."""
    shutil.copy(ROOT / "_toc.yml", tmp_path)
    (tmp_path / "questions").mkdir()
    for name, text in files.items():
        (tmp_path / "questions" / name).write_text(text, encoding="utf-8")
    return tmp_path / "questions"


def problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    with pytest.raises(bank.BankError) as err:
        bank.load_bank(make_bank(tmp_path, files))
    return [str(p) for p in err.value.problems]


def test_a_sound_file_loads(tmp_path: Path) -> None:
    [question] = bank.load_bank(make_bank(tmp_path, {"framework.yml": GOOD}))
    assert question.correct == "Article 53(1)" and question.chapter == "book/frameworks/framework"


def test_malformed_entries_are_named_by_file_and_id(tmp_path: Path) -> None:
    no_answer = GOOD.replace("    answer: Article 53(1)\n", "")
    not_an_option = GOOD.replace("answer: Article 53(1)", "answer: Article 99")
    unknown_chapter = GOOD.replace("book/frameworks/framework", "book/nowhere").replace(
        "framework-one", "nowhere-one"
    )
    found = problems(tmp_path, {
        "a.yml": no_answer,
        "b.yml": not_an_option.replace("framework-one", "framework-two"),
        "c.yml": unknown_chapter,
        "d.yml": GOOD.replace("framework-one", "framework-two"),
    })  # fmt: skip
    assert "questions/a.yml: question 'framework-one': has no answer" in found
    assert (
        "questions/b.yml: question 'framework-two': answer 'Article 99' is not among its options"
        in found
    )
    assert (
        "questions/c.yml: question 'nowhere-one': chapter 'book/nowhere' is not a page of _toc.yml"
        in found
    )
    assert (
        "questions/d.yml: question 'framework-two': duplicate id (also in questions/b.yml)" in found
    )


def test_missing_feedback_bad_yaml_and_bad_types(tmp_path: Path) -> None:
    found = problems(tmp_path, {
        "a.yml": GOOD.replace("      Article 51: Self-defence.\n", "      {}\n").replace(
            "    feedback:\n      {}\n", ""),
        "b.yml": "chapter: x\nquestions: [unclosed\n",
        "c.yml": GOOD.replace("type: single", "type: essay").replace("framework-one", "c-1"),
        "d.yml": GOOD.replace("type: single", "type: numeric").replace("framework-one", "d-1"),
    })  # fmt: skip
    text = "\n".join(found)
    assert "'framework-one': no feedback for option(s): Article 51" in text
    assert "questions/b.yml: question '-': not valid YAML at line" in text
    assert "'c-1': type must be one of" in text
    assert "'d-1': numeric answer must be a number" in text


def test_data_questions_are_validated(tmp_path: Path) -> None:
    data_q = GOOD.replace("type: single", "type: data").replace(
        "    answer: Article 53(1)\n",
        "    table: operations\n    where: {colour: red}\n    years: [2010, 2003]\n",
    )
    text = "\n".join(problems(tmp_path, {"a.yml": data_q}))
    assert "'where' names column(s) operations does not have: colour" in text
    assert "'years' must be [first, last]" in text


def test_the_real_bank_is_sound_and_covers_every_chapter() -> None:
    questions = bank.load_bank()
    grouped = bank.by_chapter(questions)
    for page in chapter_pages():
        name = str(page.path.relative_to(ROOT).with_suffix(""))
        asked = grouped.get(name, [])
        assert len(asked) >= 6, f"{name}: {len(asked)} questions in the bank"
        kinds = {q.type for q in asked}
        assert {"single", "multiple", "matching", "ordering"} <= kinds, f"{name}: {kinds}"
        assert kinds & {"numeric", "date"}, f"{name}: no numeric or date question"
        objectives = len(page.objectives())
        for question in asked:
            assert question.objective <= objectives, f"{question.id}: no such objective"


def answer(exercise, question) -> None:
    """Enter the bank's own answer into a question's widget."""
    if question.type == "single":
        exercise.choice.value = question.answer
    elif question.type == "multiple":
        for box in exercise.boxes:
            box.value = box.description in question.answer
    elif question.type == "matching":
        for left, select in exercise.selects.items():
            select.value = question.pairs[left]
    elif question.type == "ordering":
        for item, select in exercise.positions.items():
            select.value = question.items.index(item) + 1
    elif question.type == "numeric":
        exercise.entry.value = f"{question.answer:g}"
    elif question.type == "data":
        from peaceops.exercises.widgets.explore import matching_rows

        exercise.entry.value = str(len(matching_rows(question)))
    elif question.type == "written":
        exercise.text.value = question.explanation
    else:
        exercise.entry.value = question.answer


def test_every_bank_question_accepts_its_own_answer_and_explains_it() -> None:
    for question in bank.load_bank():
        exercise = exercise_for(question)
        answer(exercise, question)
        assert exercise.check(), question.id
        expected = "Mark scheme" if question.type == "written" else "Right."
        assert expected in exercise.feedback.value, question.id


WRITTEN = """chapter: book/frameworks/framework
questions:
  - id: framework-essay
    use: practice
    level: evaluate
    objective: 2
    type: written
    prompt: Explain the legal basis of KFOR.
    explanation: A model answer.
    mark_scheme:
      - points: 2
        criterion: Names resolution 1244 (1999).
      - points: 1
        criterion: Distinguishes Article 51 from a Council mandate.
"""


def test_a_written_question_carries_its_mark_scheme(tmp_path: Path) -> None:
    [question] = bank.load_bank(make_bank(tmp_path, {"framework.yml": WRITTEN}))
    assert question.marks == 3
    assert [c.points for c in question.mark_scheme] == [2, 1]


def test_a_malformed_mark_scheme_is_named(tmp_path: Path) -> None:
    no_scheme = WRITTEN.split("    mark_scheme:")[0]
    zero = WRITTEN.replace("points: 1", "points: 0").replace("framework-essay", "framework-two")
    found = problems(tmp_path, {"a.yml": no_scheme, "b.yml": zero})
    assert any("framework-essay': a written question needs a 'mark_scheme'" in p for p in found)
    assert (
        "questions/b.yml: question 'framework-two': "
        "mark_scheme line 2: points must be a whole number >= 1"
    ) in found


def test_every_question_says_what_it_is_for_and_its_level(tmp_path: Path) -> None:
    found = problems(tmp_path, {
        "a.yml": GOOD.replace("    use: practice\n", ""),
        "b.yml": GOOD.replace("framework-one", "framework-two").replace(
            "use: practice", "use: assessment"),
        "c.yml": GOOD.replace("framework-one", "framework-three").replace(
            "level: remember", "level: memorise"),
    })  # fmt: skip
    assert any("framework-one': use must be one of practice, assessment" in p for p in found)
    assert any("framework-two': is use: assessment, which belongs in questions/assessment/"
               in p for p in found)  # fmt: skip
    assert any("framework-three': level must be one of remember" in p for p in found)


def test_an_assessment_pool_loads_apart_from_the_practice_bank(tmp_path: Path) -> None:
    bank_dir = make_bank(tmp_path, {"framework.yml": GOOD})
    pool = tmp_path / "private-pool"
    pool.mkdir()
    exam = GOOD.replace("framework-one", "framework-x-exam").replace("use: practice",
                                                                     "use: assessment")  # fmt: skip
    (pool / "framework.yml").write_text(exam, encoding="utf-8")
    practice = bank.load_bank(bank_dir)
    [item] = bank.load_pool([pool], tmp_path, {q.id for q in practice})
    assert (item.id, item.use, item.level) == ("framework-x-exam", "assessment", "remember")
    (pool / "framework.yml").write_text(exam.replace("framework-x-exam", "framework-one"))
    with pytest.raises(bank.BankError, match="an id another question already has"):
        bank.load_pool([pool], tmp_path, {q.id for q in practice})
    with pytest.raises(bank.BankError, match="no such folder"):
        bank.load_pool([tmp_path / "nowhere"], tmp_path)
    (pool / "framework.yml").write_text(GOOD)  # a practice question in a pool
    with pytest.raises(bank.BankError, match="is use: practice, which belongs in questions"):
        bank.load_pool([pool], tmp_path)


def test_a_decision_point_gives_the_consequence_of_every_option(tmp_path: Path) -> None:
    decision = GOOD.replace("    type: single\n", "    type: single\n    decision: true\n")
    [question] = bank.load_bank(
        make_bank(
            tmp_path,
            {
                "framework.yml": decision.replace(
                    "      Article 51: Self-defence.\n",
                    "      Article 51: Self-defence.\n"
                    "      Article 53(1): The Council authorises it.\n",
                )
            },
        )
    )
    assert question.decision and question.feedback["Article 53(1)"]
    (tmp_path / "b").mkdir()
    found = "\n".join(problems(tmp_path / "b", {"framework.yml": decision}))
    assert "'framework-one': no feedback for option(s): Article 53(1)" in found
    multiple = decision.replace("type: single", "type: multiple").replace(
        "answer: Article 53(1)", "answer: [Article 53(1)]"
    )
    (tmp_path / "c").mkdir()
    found = "\n".join(problems(tmp_path / "c", {"framework.yml": multiple}))
    assert "only a single choice is one" in found
