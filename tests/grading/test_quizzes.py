"""The quiz definitions, the generated source notebooks, literal answers, collection from
an LMS zip, the gradebook's safety and the item analysis: everything that needs no kernel."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_quiz_course

from peaceops import data
from peaceops.grading import answers, collect, gradebook, item_analysis, quizzes
from peaceops.grading import items as quiz_items

QUIZZES = ("frameworks", "coordination", "case_studies")


@pytest.fixture(scope="module")
def real_quizzes() -> dict[str, quizzes.Quiz]:
    return {q.id: q for q in quizzes.load_quizzes(ROOT)}


def test_the_three_quizzes_of_the_design_exist(real_quizzes) -> None:
    assert set(QUIZZES) <= set(real_quizzes)
    chapters = {
        "frameworks": {"framework", "major-alliances", "impact", "scenario-mandate"},
        "coordination": {"coordination", "interoperability", "decision-making", "scenario-command"},
        "case_studies": {"case-studies", "balkans", "un-regional"},
    }
    for quiz_id, names in chapters.items():
        assert {Path(c).name for c in real_quizzes[quiz_id].chapters} == names


ALL_QUIZZES = (*QUIZZES, "history", "future", "final_exam")


@pytest.mark.parametrize("quiz_id", ALL_QUIZZES)
def test_each_quiz_has_the_required_kinds_of_item(real_quizzes, quiz_id: str) -> None:
    quiz = real_quizzes[quiz_id]
    kinds = [i.question.type for i in quiz.items]
    auto = [k for k in kinds if k != "written"]
    assert 8 <= len(auto) <= 15
    assert {"single", "multiple", "matching", "written"} <= set(kinds)
    assert len(set(auto)) >= 4  # a mix of item types, not one format
    if quiz_id != "final_exam":
        assert "data" in kinds  # each part quiz has a pandas item on the course data
    assert all(i.points >= 1 for i in quiz.items)
    written = [i for i in quiz.items if i.question.type == "written"]
    assert all(i.points == i.question.marks and i.question.mark_scheme for i in written)
    # points follow difficulty: an item at apply or above is worth more than recall
    recall = [i.points for i in quiz.items if i.question.level == "remember"]
    applied = [i.points for i in quiz.items if i.question.type != "written"
               and i.question.level in ("apply", "analyse", "evaluate")]  # fmt: skip
    assert not recall or not applied or max(recall) <= min(applied)


def test_quiz_items_come_from_the_bank_and_hold_no_second_answer_key() -> None:
    text = (ROOT / "quizzes" / "quizzes.yml").read_text(encoding="utf-8")
    ids = {q.id for q in quizzes.assessment_items(ROOT)[0] if q.use == "assessment"}
    doc = yaml.safe_load(text)
    for spec in doc.values():
        allowed = {"title", "chapters", "questions", "minutes", "certificate", "pass_mark"}
        assert set(spec) <= allowed  # no field for an answer
        for entry in spec["questions"]:
            assert (entry if isinstance(entry, str) else next(iter(entry))) in ids


def test_a_wrong_definition_is_named(tmp_path: Path) -> None:
    course = make_quiz_course(tmp_path)
    doc = yaml.safe_load((course / "quizzes/quizzes.yml").read_text(encoding="utf-8"))
    doc["frameworks"]["questions"][0] = "framework-no-such-question"
    doc["frameworks"]["questions"].append("balkans-x-pfp-before-ifor")
    doc["frameworks"]["questions"].append("framework-kfor-not-article-5")  # a practice item
    doc["coordination"]["questions"] = doc["coordination"]["questions"][:5]
    doc["case_studies"]["questions"][0] = {"case-studies-x-arvania-frame-entry": 0}
    (course / "quizzes/quizzes.yml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(quizzes.QuizError) as err:
        quizzes.load_quizzes(course)
    text = str(err.value)
    missing = "quiz 'frameworks': question 'framework-no-such-question' is in no assessment pool"
    assert missing in text
    assert "'balkans-x-pfp-before-ifor' is from book/case-studies/balkans, not its chapters" in text
    assert "'framework-kfor-not-article-5' is a practice question" in text
    assert "quiz 'coordination': has 5 auto-graded items; a quiz has 8-15" in text
    assert "quiz 'coordination': needs at least one written question" in text
    assert "'case-studies-x-arvania-frame-entry' needs whole points >= 1, not 0" in text


def test_the_source_notebook_is_nbgrader_shaped(real_quizzes) -> None:
    quiz = real_quizzes["frameworks"]
    nb = quizzes.render(quiz, data.load_all())
    meta = [c["metadata"].get("nbgrader", {}) for c in nb["cells"]]
    tests = [m for m in meta if m.get("grade") and not m.get("solution")]
    assert len(tests) == 15 and sum(m["points"] for m in tests) == quiz.auto_points
    assert all(m["locked"] for m in tests)
    [task] = [m for m in meta if m.get("task")]
    assert task["points"] == quiz.points - quiz.auto_points
    assert len({c["id"] for c in nb["cells"]}) == len(nb["cells"])
    assert nb["metadata"]["peaceops"] == {"quiz": "frameworks"}
    sources = ["".join(c["source"]) for c in nb["cells"]]
    test_cells = [
        s for s, m in zip(sources, meta, strict=True) if m.get("grade_id", "").endswith("-test")
    ]
    assert all("### BEGIN HIDDEN TESTS" in s for s in test_cells)
    assert sum("=== BEGIN MARK SCHEME ===" in s for s in sources) == 1


def _other_key(question):
    """The same question with a different right answer."""
    others = {
        "single": lambda q: {"answer": next(o for o in q.options if o != q.answer)},
        "multiple": lambda q: {"answer": [next(o for o in q.options if o not in q.answer)]},
        # the letters of a matching or ordering key follow the shuffle, which the id fixes
        "matching": lambda q: {"id": q.id + "-other"},
        "ordering": lambda q: {"id": q.id + "-other"},
        "numeric": lambda q: {"answer": q.answer + 1},
        "date": lambda q: {"answer": "1900-01-01"},
        "data": lambda q: {},
    }  # fmt: skip
    return dataclasses.replace(question, **others[question.type](question))


def test_visible_checks_do_not_depend_on_the_answer(real_quizzes) -> None:
    """The visible part of a test is the same whatever the key: it can give nothing away."""
    tables = data.load_all()
    for quiz in real_quizzes.values():
        for item in quiz.items:
            if item.question.type == "written":
                continue
            count = quizzes.data_count(item, tables) if item.question.type == "data" else None
            other = dataclasses.replace(item, question=_other_key(item.question))
            visible = quiz_items.test_source(item, count).split("### BEGIN HIDDEN")[0]
            hidden = quiz_items.test_source(item, count).split("### BEGIN HIDDEN")[1]
            other_count = None if count is None else count + 1
            assert (
                visible == quiz_items.test_source(other, other_count).split("### BEGIN HIDDEN")[0]
            )
            assert hidden != quiz_items.test_source(other, other_count).split("### BEGIN HIDDEN")[1]


def test_literal_answers_are_read_without_running_code() -> None:
    source = 'q01 = "A"\nimport os\nq01 = " c "\nq02 = compute()\n'
    assert answers.literal_answer(source, "q01") == " c "
    assert answers.literal_answer(source, "q02") is answers.COMPUTED
    assert answers.literal_answer(source, "q03") is answers.MISSING
    assert answers.literal_answer("q01 = (", "q01") is answers.MISSING
    assert answers.literal_answer("q01 = None", "q01") is None
    assert answers.is_blank(None) and answers.is_blank([]) and answers.is_blank({1: None})


@pytest.mark.parametrize("quiz_id", ALL_QUIZZES)
def test_literal_answers_are_marked_like_the_hidden_tests(real_quizzes, quiz_id: str) -> None:
    from peaceops.grading.example_class import right_answer, wrong_answer

    quiz = real_quizzes[quiz_id]
    counts = quizzes.data_counts(quiz)
    for item in quiz.items:
        if item.question.type in ("written", "data"):
            continue  # a data answer is computed; a written one is marked by a person
        for source, right in ((right_answer(item), True),
                              (wrong_answer(item, counts.get(item.var)), False)):  # fmt: skip
            value = answers.literal_answer(source, item.var)
            assert answers.is_right(item, value, counts.get(item.var)) is right, (item.var, source)


# -- collecting an LMS download --------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for number, (name, raw) in enumerate(members.items()):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 10, number, 0))
            archive.writestr(info, raw)
    return path


def _quiz_json(quiz_id: str) -> bytes:
    return json.dumps({"cells": [], "metadata": {"peaceops": {"quiz": quiz_id}},
                       "nbformat": 4, "nbformat_minor": 5}).encode()  # fmt: skip


def test_collecting_a_zip_loses_nothing(tmp_path: Path) -> None:
    course = tmp_path / "quizzes"
    download = _zip(tmp_path / "download.zip", {
        "alice_101_frameworks.ipynb": _quiz_json("frameworks"),
        "bob_102_frameworks.ipynb": b'{"cells": [ this is not json',
        "carol_103_coordination.ipynb": _quiz_json("coordination"),
        "Dan Smith/frameworks.ipynb": _quiz_json("frameworks"),
        "erin_104_frameworks.ipynb": _quiz_json("frameworks"),
        "erin_105_frameworks.ipynb": _quiz_json("frameworks"),
        "../../evil/frameworks.ipynb": _quiz_json("frameworks"),
        "frank_106_notes.txt": b"notes",
        "gina_107_frameworks.ipynb": json.dumps({"cells": [], "metadata": {},
                                                 "nbformat": 4, "nbformat_minor": 5}).encode(),
    })  # fmt: skip
    outcomes = collect.collect_zip(course, "frameworks", download)
    fate = {o.file: (o.student, o.status, o.reason) for o in outcomes}
    assert len(outcomes) == 9  # one outcome for every file of the zip
    assert fate["alice_101_frameworks.ipynb"][:2] == ("alice", "collected")
    assert fate["bob_102_frameworks.ipynb"][1] == "rejected"
    assert "not valid notebook JSON" in fate["bob_102_frameworks.ipynb"][2]
    assert "'coordination' quiz, not 'frameworks'" in fate["carol_103_coordination.ipynb"][2]
    assert fate["Dan Smith/frameworks.ipynb"][:2] == ("Dan_Smith", "collected")
    assert "stored as 'Dan_Smith'" in fate["Dan Smith/frameworks.ipynb"][2]
    assert fate["erin_104_frameworks.ipynb"][1] == "superseded"
    assert fate["erin_105_frameworks.ipynb"][1] == "collected"
    assert fate["../../evil/frameworks.ipynb"][1] == "rejected"
    assert fate["frank_106_notes.txt"][1] == "skipped"
    assert "no quiz metadata" in fate["gina_107_frameworks.ipynb"][2]
    # every notebook is somewhere under the course, and nothing escaped it
    assert sorted(p.name for p in (course / "submitted").iterdir()) == [
        "Dan_Smith",
        "alice",
        "erin",
    ]
    assert len(list((course / "rejected" / "frameworks").iterdir())) == 4
    assert len(list((course / "archive" / "frameworks").iterdir())) == 1
    assert not (tmp_path / "evil").exists()
    stamp = course / "submitted/erin/frameworks/timestamp.txt"
    assert stamp.read_text() == "2026-11-30 10:05:00"
    report = (course / "reports" / "frameworks-collect.csv").read_text(encoding="utf-8")
    assert report.count("\n") == 10


def test_a_second_collection_archives_the_earlier_submission(tmp_path: Path) -> None:
    course = tmp_path / "quizzes"
    first = _zip(tmp_path / "one.zip", {"alice_1_frameworks.ipynb": _quiz_json("frameworks")})
    collect.collect_zip(course, "frameworks", first)
    collect.collect_zip(course, "frameworks", first)
    assert len(list((course / "archive" / "frameworks").iterdir())) == 1
    assert (course / "submitted/alice/frameworks/frameworks.ipynb").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import tracemalloc
    import zipfile

    course = tmp_path / "quizzes"
    download = tmp_path / "bomb.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("alice_1_frameworks.ipynb", _quiz_json("frameworks"))
        # 1 GB of one byte: declares far more than a notebook may have
        with archive.open("mallory_2_frameworks.ipynb", "w", force_zip64=True) as member:
            block = b" " * (16 * 1024 * 1024)
            for _ in range(64):
                member.write(block)
        # 8 MB of one byte: under the size limit, but no notebook compresses 1000 to 1
        archive.writestr("oscar_3_frameworks.ipynb", b"{" + b" " * (8 * 1024 * 1024) + b"}")
    assert download.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    outcomes = collect.collect_zip(course, "frameworks", download)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    fate = {o.student: (o.status, o.reason) for o in outcomes}
    assert fate["alice"][0] == "collected"
    assert fate["mallory"][0] == "rejected" and "over the 20 MB" in fate["mallory"][1]
    assert fate["oscar"][0] == "rejected" and "zip bomb" in fate["oscar"][1]
    assert peak < 5 * 1024 * 1024, f"collecting the bomb took {peak:,} bytes of memory"
    assert not (course / "rejected").exists() or not any((course / "rejected").rglob("*"))
    rows = (course / "reports" / "frameworks-collect.csv").read_text(encoding="utf-8")
    assert rows.count("rejected") == 2  # every file of the zip has its row


def test_a_broken_download_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(collect.CollectError, match="no such file"):
        collect.collect_zip(tmp_path, "frameworks", tmp_path / "missing.zip")
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(collect.CollectError, match="not a zip file"):
        collect.collect_zip(tmp_path, "frameworks", tmp_path / "bad.zip")


def test_odd_student_ids() -> None:
    assert collect.safe_student_id("s1234") == ("s1234", "")
    assert collect.safe_student_id("Zoë Ng")[0] == "Zo_Ng"
    assert collect.safe_student_id("..")[0] is None
    assert collect.safe_student_id("   ")[0] is None


# -- the gradebook ---------------------------------------------------------------------


def _gradebook(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE assignment (id TEXT)")
        conn.execute("INSERT INTO assignment VALUES ('frameworks')")
    return path


def test_a_corrupt_gradebook_is_refused_and_the_good_copy_restored(tmp_path: Path) -> None:
    db = _gradebook(tmp_path / "gradebook.db")
    gradebook.check(db)
    assert gradebook.keep_good_copy(db) == tmp_path / "gradebook.db.last-good"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(gradebook.GradebookError) as err:
        gradebook.check(db)
    assert "is corrupt" in str(err.value) and "last good copy" in str(err.value)
    assert gradebook.keep_good_copy(db) is None  # a corrupt file never replaces the copy
    kept = gradebook.restore(db)
    assert kept.name.startswith("gradebook.db.corrupt-") and kept.exists()
    gradebook.check(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id FROM assignment").fetchall() == [("frameworks",)]


def test_a_corrupt_gradebook_without_a_copy_says_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "gradebook.db"
    db.write_text("garbage")
    with pytest.raises(gradebook.GradebookError, match="no good copy"):
        gradebook.check(db)
    with pytest.raises(gradebook.GradebookError, match="no good copy"):
        gradebook.restore(db)


# -- item analysis ---------------------------------------------------------------------


def test_item_analysis_of_a_known_class(real_quizzes) -> None:
    quiz = real_quizzes["frameworks"]
    single = next(i for i in quiz.items if i.question.type == "single")
    multi = next(i for i in quiz.items if i.question.type == "multiple")
    nobody = next(i for i in quiz.items if i.var not in (single.var, multi.var))
    right, keys = quiz_items.key(single.question), quiz_items.key(multi.question)
    wrong = next(k for k in quiz_items.choice_options(single.question) if k != right)
    extra = next(k for k in quiz_items.choice_options(multi.question) if k not in keys)
    zero = {i.var: 0.0 for i in quiz.items}
    p, m = float(single.points), float(multi.points)
    scores = {
        "s1": {**zero, single.var: p, multi.var: m},
        "s2": {**zero, single.var: p},
        "s3": {**zero, single.var: p},
        "s4": {**zero},
    }
    responses = {
        "s1": {single.var: right, multi.var: keys},
        "s2": {single.var: right, multi.var: [extra, keys[0]]},
        "s3": {single.var: right.lower(), multi.var: None},
        "s4": {single.var: wrong, multi.var: "A"},
    }
    stats = {s.item.var: s for s in item_analysis.analyse(quiz, scores, responses)}
    assert stats[single.var].difficulty == 0.75
    assert stats[multi.var].difficulty == 0.25
    # scored by the three students with the most points elsewhere: it discriminates
    assert stats[single.var].discrimination > 0
    assert stats[nobody.var].discrimination is None  # nobody scored: it did not vary
    options = quiz_items.choice_options(single.question)
    assert stats[single.var].wrong == [(f"{wrong}: {options[wrong]}", 1)]
    tally = [(answer.split(":")[0], n) for answer, n in stats[multi.var].wrong]
    assert tally == [(extra, 1), ("not a valid answer", 1)]  # "A" is not a list
    assert stats[multi.var].unanswered == 1


def test_items_are_flagged_and_a_small_class_is_warned(real_quizzes) -> None:
    quiz = real_quizzes["frameworks"]
    easy, hard, upside_down, fine = (i.var for i in quiz.items[:4])
    scores = {}
    for n in range(40):  # students ranked by ability: the first are the strongest
        strong = n < 20
        scores[f"s{n:02d}"] = {
            easy: float(quiz.item(easy).points),  # everybody
            hard: float(quiz.item(hard).points) if n == 0 else 0.0,  # one student
            upside_down: 0.0 if strong else float(quiz.item(upside_down).points),
            fine: float(quiz.item(fine).points) if strong else 0.0,
            **{i.var: float(i.points) * strong for i in quiz.items[4:8]},
        }
    stats = {s.item.var: s for s in item_analysis.analyse(quiz, scores, {})}
    assert stats[easy].flags == ["too easy"]
    assert stats[hard].flags == ["too hard"]
    assert stats[upside_down].flags == ["negative discrimination"]
    assert stats[fine].flags == []
    assert item_analysis.class_warning(list(stats.values())) is None
    few = item_analysis.analyse(quiz, dict(list(scores.items())[:8]), {})
    assert "only 8 students" in item_analysis.class_warning(few)


def test_item_analysis_files(tmp_path: Path, real_quizzes) -> None:
    quiz = real_quizzes["frameworks"]
    scores = {"a": {i.var: float(i.points) for i in quiz.items}, "b": {"q01": 0.0}}
    stats = item_analysis.analyse(quiz, scores, {"a": {}, "b": {}})
    table = item_analysis.write_csv(stats, tmp_path / "items.csv")
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("item,question_id,type,points,students,difficulty,discrimination")
    first = quiz.items[0]
    assert lines[1].startswith(
        f"q01,{first.question.id},{first.question.type},{first.points},2,0.50,"
    )
    chart = item_analysis.plot(stats, quiz.title, tmp_path / "items.png")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_pattern_takes_the_student_id_from_another_part_of_the_name(tmp_path: Path) -> None:
    download = _zip(tmp_path / "d.zip", {"ben_4402_frameworks.ipynb": _quiz_json("frameworks")})
    [outcome] = collect.collect_zip(tmp_path, "frameworks", download, r"^[^_]+_(?P<student>\d+)_")
    assert (outcome.student, outcome.status) == ("4402", "collected")


@pytest.mark.parametrize("doc", ["book/reference/instructor-guide.md", "README.md",
                                 "quizzes/README.md"])  # fmt: skip
def test_every_quiz_command_the_docs_show_exists(doc: str) -> None:
    from peaceops.cli import parser

    text = (ROOT / doc).read_text(encoding="utf-8")
    shown = set(re.findall(r"peaceops quiz ([a-z-]+)", text))
    assert shown, f"{doc} shows no quiz command"
    quiz_parser = parser()._subparsers._group_actions[0].choices["quiz"]
    steps = set(quiz_parser._subparsers._group_actions[0].choices)
    assert shown <= steps, f"{doc} shows commands that do not exist: {shown - steps}"


def test_a_notebook_that_lost_its_quiz_metadata_is_recognised_by_its_title(tmp_path: Path) -> None:
    intro = {"cell_type": "markdown", "metadata": {}, "source": "# Quiz: Frameworks (chapters)\n"}
    notebook = {"cells": [intro], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    stripped = json.dumps(notebook).encode()
    download = _zip(tmp_path / "d.zip", {"ann_1_frameworks.ipynb": stripped,
                                         "bo_2_frameworks.ipynb": stripped})  # fmt: skip
    outcomes = collect.collect_zip(tmp_path, "frameworks", download,
                                   title="Frameworks (chapters)")  # fmt: skip
    assert [o.status for o in outcomes] == ["collected", "collected"]
    assert "recognised by its title" in outcomes[0].reason
    other = collect.collect_zip(tmp_path / "x", "frameworks", download, title="Another quiz")
    assert [o.status for o in other] == ["rejected", "rejected"]
