"""The bank exported for Moodle (XML, GIFT) and Canvas (QTI 1.2), parsed back and compared.

Each export is read back by its own parser (ElementTree for Moodle XML and QTI, a small
GIFT reader below that follows Moodle's ``qformat_gift``) and compared with the bank:
every practice question once, with its prompt, its keys, its feedback and its
explanation; special characters survive; ``--pool`` adds the pool in files of its own.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from peaceops import bank, data
from peaceops.cli.commands import main
from peaceops.exercises.web import data_count
from peaceops.lms import export, files, moodle, qti

# -- reading the formats back ------------------------------------------------------------


def plain(text: str | None) -> str:
    """The plain text of the HTML the exports write (paragraphs, line breaks, entities)."""
    text = (text or "").replace("</p><p>", "\n\n").replace("<br>", "\n")
    return html.unescape(re.sub(r"</?p>", "", text))


def squash(text: str) -> str:
    return " ".join(text.split())


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def strip_ns(root: ET.Element) -> ET.Element:
    for node in root.iter():
        node.tag = local(node.tag)
    return root


def read_moodle(path: Path) -> dict[str, tuple[str, ET.Element]]:
    """idnumber -> (the category it is in, the <question>)."""
    found: dict[str, tuple[str, ET.Element]] = {}
    category = ""
    for q in ET.parse(path).getroot().findall("question"):
        if q.get("type") == "category":
            category = q.findtext("category/text")
            continue
        assert q.findtext("idnumber") not in found, f"{q.findtext('idnumber')} twice"
        found[q.findtext("idnumber")] = (category, q)
    return found


#: GIFT's escaped characters, as Moodle reads them (escapedchar_pre / escapedchar_post).
GIFT_ESCAPES = {"\\~": "\x01", "\\=": "\x02", "\\#": "\x03", "\\{": "\x04", "\\}": "\x05",
                "\\:": "\x06", "\\n": "\x07"}  # fmt: skip


def gift_pre(text: str) -> str:
    text = text.replace("\\\\", "\x00")
    for escaped, mark in GIFT_ESCAPES.items():
        text = text.replace(escaped, mark)
    return text.replace("\x00", "\\\\")


def gift_post(text: str) -> str:
    text = text.replace("\\\\", "\\")
    for escaped, mark in GIFT_ESCAPES.items():
        text = text.replace(mark, escaped[1] if escaped != "\\n" else "\n")
    return text.strip()


def read_gift(path: Path) -> dict[str, dict]:
    """name -> {category, text, kind, answers, feedback}, read as Moodle's GIFT import does."""
    found: dict[str, dict] = {}
    category = ""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.strip().startswith("//")]
        text = gift_pre("\n".join(lines).strip())
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = text[len("$CATEGORY:") :].strip()
            continue
        assert text.startswith("::"), text[:80]
        name, text = text[2:].split("::", 1)
        start, end = text.index("{"), text.index("}")
        assert "{" not in text[start + 1 :] and "}" not in text[end + 1 :], "a brace leaked"
        question, answers = text[:start], text[start + 1 : end].strip()
        assert question.startswith("[html]")
        feedback = ""
        if "####" in answers:
            answers, feedback = answers.rsplit("####", 1)
            answers = answers.strip()
        entry = {"category": category, "text": gift_post(question[6:]),
                 "feedback": gift_post(feedback), "answers": []}  # fmt: skip
        if answers == "":
            entry["kind"] = "essay"
        elif answers.startswith("#"):
            value, tolerance = answers[1:].split(":")
            entry.update(kind="numerical", answers=[(float(value), float(tolerance))])
        elif "~" in answers:
            entry["kind"] = "multichoice"
            for part in filter(None, (p.strip() for p in answers.replace("=", "~=").split("~"))):
                weight, part = (100.0, part[1:]) if part.startswith("=") else (0.0, part)
                if m := re.match(r"%(-?[\d.]+)%", part):
                    weight, part = float(m.group(1)), part[m.end() :]
                choice, _, comment = part.partition("#")
                entry["answers"].append((weight, gift_post(choice), gift_post(comment)))
        elif "=" in answers and "->" in answers:
            entry["kind"] = "match"
            for part in filter(None, (p.strip() for p in answers.split("="))):
                left, right = part.split("->", 1)
                entry["answers"].append((gift_post(left), gift_post(right)))
        else:
            entry.update(kind="shortanswer", answers=[gift_post(a) for a in answers.split("=")
                                                      if a.strip()])  # fmt: skip
        name = gift_post(name)
        assert name not in found, f"{name} twice"
        found[name] = entry
    return found


def read_qti(path: Path) -> tuple[dict[str, tuple[str, ET.Element]], ET.Element]:
    """item title -> (its assessment's title, the <item>); and the manifest."""
    items: dict[str, tuple[str, ET.Element]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = strip_ns(ET.fromstring(archive.read("imsmanifest.xml")))
        for resource in manifest.iter("resource"):
            for file in resource.iter("file"):
                assert file.get("href") in names, f"{file.get('href')} is not in the zip"
            if resource.get("type") != "imsqti_xmlv1p2":
                continue
            href = resource.find("file").get("href")
            root = strip_ns(ET.fromstring(archive.read(href)))
            test = root.find("assessment")
            assert test.get("ident") == resource.get("identifier")
            meta = strip_ns(ET.fromstring(archive.read(href.rsplit("/", 1)[0]
                                                       + "/assessment_meta.xml")))  # fmt: skip
            assert meta.get("identifier") == test.get("ident")
            for item in test.iter("item"):
                assert item.get("title") not in items, f"{item.get('title')} twice"
                items[item.get("title")] = (test.get("title"), item)
    return items, manifest


def qti_field(item: ET.Element, label: str) -> str:
    for field in item.iter("qtimetadatafield"):
        if field.findtext("fieldlabel") == label:
            return field.findtext("fieldentry")
    raise AssertionError(f"no {label}")


def qti_feedback(item: ET.Element) -> dict[str, str]:
    return {fb.get("ident"): plain(fb.findtext("flow_mat/material/mattext"))
            for fb in item.iter("itemfeedback")}  # fmt: skip


# -- what the bank expects -------------------------------------------------------------

EXPECTED_MOODLE = {"single": "multichoice", "multiple": "multichoice", "matching": "match",
                   "ordering": "ordering", "numeric": "numerical", "data": "numerical",
                   "written": "essay"}  # fmt: skip


def moodle_type(q: bank.Question) -> str:
    if q.type == "date":
        return "numerical" if q.precision == "year" else "shortanswer"
    return EXPECTED_MOODLE[q.type]


def expected_number(q: bank.Question, tables) -> float | None:
    if q.type == "numeric":
        return q.answer
    if q.type == "data":
        return data_count(q, tables)
    if q.type == "date" and q.precision == "year":
        return float(q.answer[:4])
    return None


def expected_dates(q: bank.Question) -> list[str]:
    if q.precision == "month":
        return [q.answer[:8] + "*"]
    day = dt.date.fromisoformat(q.answer)
    span = int(q.tolerance)
    return [(day + dt.timedelta(days=n)).isoformat() for n in range(-span, span + 1)]


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def practice() -> list[bank.Question]:
    return bank.load_bank(ROOT / "questions", ROOT)


@pytest.fixture(scope="module")
def tables():
    return data.load_all()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert main(["bank", "export", "--format", "all", "--root", str(ROOT),
                 "--out", str(out)]) == 0  # fmt: skip
    return out


# -- Moodle XML --------------------------------------------------------------------------


def test_moodle_xml_has_every_practice_question_once_with_its_keys(exported, practice, tables):
    found = read_moodle(exported / "peaceops-practice.moodle.xml")
    assert sorted(found) == sorted(q.id for q in practice)
    for q in practice:
        category, node = found[q.id]
        assert category == f"$course$/peaceops/{export.slug(q.chapter)}"
        assert node.get("type") == moodle_type(q), q.id
        assert node.findtext("name/text") == q.id
        assert squash(plain(node.findtext("questiontext/text"))).startswith(squash(q.prompt))
        assert squash(plain(node.findtext("generalfeedback/text"))) == squash(q.explanation)
        answers = [
            (
                float(a.get("fraction")),
                plain(a.findtext("text")),
                plain(a.findtext("feedback/text")),
            )
            for a in node.findall("answer")
        ]
        if q.type in ("single", "multiple"):
            assert [a[1] for a in answers] == list(q.options)
            assert {a[1]: a[2] for a in answers if a[2]} == q.feedback
            right = [a[1] for a in answers if a[0] > 0]
            assert right == ([q.answer] if q.type == "single" else
                             [o for o in q.options if o in q.answer])  # fmt: skip
            assert pytest.approx(sum(a[0] for a in answers if a[0] > 0), abs=1e-3) == 100
            if q.type == "multiple":
                assert pytest.approx(sum(a[0] for a in answers if a[0] < 0), abs=1e-3) == -100
            assert node.findtext("single") == ("true" if q.type == "single" else "false")
            for fraction, *_ in answers:
                assert any(abs(abs(fraction) - f) < 1e-4 for f in moodle.FRACTIONS)
        elif q.type == "matching":
            subs = [(plain(s.findtext("text")), s.findtext("answer/text"))
                    for s in node.findall("subquestion")]  # fmt: skip
            assert subs == [*q.pairs.items(), *(("", d) for d in q.distractors)]
        elif q.type == "ordering":
            assert [a[1] for a in answers] == list(q.items)
            assert [a[0] for a in answers] == list(range(1, len(q.items) + 1))
        elif q.type == "written":
            grader = squash(plain(node.findtext("graderinfo/text")))
            assert all(squash(c.criterion) in grader for c in q.mark_scheme)
            assert node.findtext("defaultgrade") == str(q.marks)
        elif number := expected_number(q, tables):
            assert [(a[0], float(a[1])) for a in answers] == [(100, number)]
            assert float(node.findtext("answer/tolerance")) == q.tolerance
        else:
            assert q.type == "date"
            assert [a[1] for a in answers] == expected_dates(q)
            assert {a[0] for a in answers} == {100}


def test_ordering_can_go_to_moodle_as_matching_for_older_sites(practice):
    ordering = [q for q in practice if q.type == "ordering"][:2]
    text = moodle.document(export.items_of(ordering), ordering="matching")
    root = ET.fromstring(text)
    for q, node in zip(ordering, root.findall("question[@type='match']"), strict=True):
        subs = [(plain(s.findtext("text")), s.findtext("answer/text"))
                for s in node.findall("subquestion")]  # fmt: skip
        assert subs == [(item, f"Position {n}") for n, item in enumerate(q.items, start=1)]


# -- GIFT --------------------------------------------------------------------------------


def test_gift_has_every_practice_question_once_with_its_keys(exported, practice, tables):
    found = read_gift(exported / "peaceops-practice.gift.txt")
    assert set(found) == {q.id for q in practice}
    for q in practice:
        entry = found[q.id]
        assert entry["category"] == f"$course$/peaceops/{export.slug(q.chapter)}"
        assert squash(plain(entry["text"])).startswith(squash(q.prompt))
        assert squash(plain(entry["feedback"])).startswith(squash(q.explanation)), q.id
        answers = entry["answers"]
        if q.type in ("single", "multiple"):
            assert entry["kind"] == "multichoice"
            assert [plain(a[1]) for a in answers] == list(q.options)
            assert {plain(a[1]): plain(a[2]) for a in answers if a[2]} == q.feedback
            assert [plain(a[1]) for a in answers if a[0] > 0] == (
                [q.answer] if q.type == "single" else [o for o in q.options if o in q.answer]
            )
            assert pytest.approx(sum(a[0] for a in answers if a[0] > 0), abs=1e-3) == 100
        elif q.type == "matching":
            assert entry["kind"] == "match"
            assert [(plain(a[0]), a[1]) for a in answers] == [
                *q.pairs.items(),
                *(("", d) for d in q.distractors),
            ]
        elif q.type == "ordering":
            assert [(plain(a[0]), a[1]) for a in answers] == [
                (item, f"Position {n}") for n, item in enumerate(q.items, start=1)
            ]
        elif q.type == "written":
            assert entry["kind"] == "essay"
            assert all(squash(c.criterion) in squash(entry["feedback"]) for c in q.mark_scheme)
        elif number := expected_number(q, tables):
            assert entry["answers"] == [(number, q.tolerance)]
        else:
            assert (entry["kind"], answers) == ("shortanswer", expected_dates(q))


# -- QTI for Canvas ----------------------------------------------------------------------

CANVAS = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
          "matching": "matching_question", "ordering": "matching_question",
          "numeric": "numerical_question", "data": "numerical_question",
          "written": "essay_question"}  # fmt: skip


def test_qti_package_has_every_practice_question_once_with_its_keys(exported, practice, tables):
    items, manifest = read_qti(exported / "peaceops-practice.canvas-qti.zip")
    assert sorted(items) == sorted(q.id for q in practice)
    chapters = {export.slug(q.chapter) for q in practice}
    tests = [r for r in manifest.iter("resource") if r.get("type") == "imsqti_xmlv1p2"]
    assert len(tests) == len(chapters)
    for q in practice:
        title, item = items[q.id]
        assert title == f"peaceops: {export.slug(q.chapter)} (practice)"
        kind = qti_field(item, "question_type")
        if q.type == "date":
            assert kind == ("numerical_question" if q.precision == "year"
                            else "short_answer_question")  # fmt: skip
        else:
            assert kind == CANVAS[q.type], q.id
        prompt = plain(item.findtext("presentation/material/mattext"))
        assert squash(prompt).startswith(squash(q.prompt))
        feedback = qti_feedback(item)
        assert squash(feedback["general_fb"]).startswith(squash(q.explanation))
        proc = item.find("resprocessing")
        scoring = [c for c in proc.findall("respcondition") if c.find("setvar") is not None]
        if q.type in ("single", "multiple"):
            labels = {r.get("ident"): r.findtext("material/mattext")
                      for r in item.iter("response_label")}  # fmt: skip
            assert list(labels.values()) == list(q.options)
            assert {labels[k[:-3]]: v for k, v in feedback.items() if k != "general_fb"} == (
                q.feedback
            )
            (score,) = scoring
            right = [labels[v.text] for v in score.iter("varequal")
                     if v not in {n for x in score.iter("not") for n in x}]  # fmt: skip
            assert sorted(right) == sorted([q.answer] if q.type == "single" else q.answer)
        elif q.type in ("matching", "ordering"):
            pairs = (
                q.pairs
                if q.type == "matching"
                else {item_text: f"Position {n}" for n, item_text in enumerate(q.items, start=1)}
            )
            lids = item.find("presentation").findall("response_lid")
            chosen = {}
            for lid in lids:
                names = {r.get("ident"): r.findtext("material/mattext")
                         for r in lid.iter("response_label")}  # fmt: skip
                (hit,) = [
                    c
                    for c in scoring
                    if c.find("conditionvar/varequal").get("respident") == lid.get("ident")
                ]
                chosen[lid.findtext("material/mattext")] = names[hit.findtext(
                    "conditionvar/varequal")]  # fmt: skip
                assert set(q.distractors) <= set(names.values())
            assert chosen == pairs
            assert pytest.approx(sum(float(c.findtext("setvar")) for c in scoring), abs=0.1) == 100
        elif q.type == "written":
            assert qti_field(item, "points_possible") == f"{float(q.marks):.1f}"
            assert all(squash(c.criterion) in squash(feedback["general_fb"])
                       for c in q.mark_scheme)  # fmt: skip
        elif number := expected_number(q, tables):
            (score,) = scoring
            assert float(score.findtext(".//varequal")) == number
            assert float(score.findtext(".//vargte")) == number - q.tolerance
            assert float(score.findtext(".//varlte")) == number + q.tolerance
        else:
            (score,) = scoring
            accepted = [v.text for v in score.iter("varequal")]
            if q.precision == "month":
                assert len(accepted) >= 28 and all(a[:7] == q.answer[:7] for a in accepted)
                assert q.answer in accepted
            else:
                assert accepted == expected_dates(q)


def test_the_qti_package_is_the_same_each_time(practice):
    items = export.items_of(practice[:20])
    assert qti.package(items) == qti.package(items)


# -- special characters ----------------------------------------------------------------

NASTY = 'Braces {a}, tilde ~, equals =, hash #, colon: back\\slash, <b>&amp; "quotes"'


@pytest.fixture
def special(tmp_path: Path) -> list[bank.Question]:
    """A one-chapter bank whose texts hold every character the formats treat as syntax."""
    (tmp_path / "_toc.yml").write_text("root: book/special\n", encoding="utf-8")
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "special.yml").write_text(textwrap.dedent(f"""\
        chapter: book/special
        questions:
          - id: special-single
            use: practice
            level: remember
            objective: 1
            type: single
            prompt: '{NASTY} - which?'
            options: ['{NASTY} 1', '{NASTY} 2', '%50% looks like a weight']
            answer: '{NASTY} 1'
            explanation: '{NASTY} because.'
            feedback:
              '{NASTY} 2': 'No: {NASTY}'
              '%50% looks like a weight': 'No: it is text'
          - id: special-multiple
            use: practice
            level: remember
            objective: 1
            type: multiple
            prompt: |-
              Two lines:
              {NASTY}
            options: ['a ~ b', 'c = d', 'e # f']
            answer: ['a ~ b', 'c = d']
            explanation: x {{y}} z
            feedback: {{'a ~ b': 'Yes {{1}}', 'c = d': 'Yes: 2', 'e # f': 'No #3'}}
          - id: special-matching
            use: practice
            level: remember
            objective: 1
            type: matching
            prompt: 'Match {{these}}:'
            pairs: {{'x = 1': 'y {{1}}', 'x ~ 2': 'y # 2', 'x: 3': 'y \\\\ 3'}}
            distractors: ['z = 9']
            explanation: 'Because: {{no}}.'
        """), encoding="utf-8")  # fmt: skip
    return bank.load_bank(folder, tmp_path)


def test_special_characters_survive_every_format(special, tmp_path):
    single, multiple, matching = special
    assert "{" in single.prompt and "\n" in multiple.prompt and "\\" in single.prompt
    items = export.items_of(special)
    # Moodle XML
    found = read_moodle(files.write(items, "moodle", tmp_path / "s.xml", "t", "p").path)
    node = found["special-single"][1]
    assert plain(node.findtext("questiontext/text")) == single.prompt
    assert [plain(a.findtext("text")) for a in node.findall("answer")] == list(single.options)
    assert plain(node.findtext("generalfeedback/text")) == single.explanation
    assert plain(found["special-multiple"][1].findtext("questiontext/text")) == multiple.prompt
    subs = [(plain(s.findtext("text")), s.findtext("answer/text"))
            for s in found["special-matching"][1].findall("subquestion")]  # fmt: skip
    assert subs == [*matching.pairs.items(), ("", "z = 9")]
    # GIFT
    entries = read_gift(files.write(items, "gift", tmp_path / "s.txt", "t", "p").path)
    entry = entries["special-single"]
    assert plain(entry["text"]) == single.prompt
    assert plain(entry["feedback"]) == single.explanation
    assert [(a[0], plain(a[1]), plain(a[2])) for a in entry["answers"]] == [
        (100, f"{NASTY} 1", ""), (0, f"{NASTY} 2", f"No: {NASTY}"),
        (0, "%50% looks like a weight", "No: it is text")]  # fmt: skip
    assert plain(entries["special-multiple"]["text"]) == multiple.prompt
    assert [(plain(a[1]), plain(a[2])) for a in entries["special-multiple"]["answers"]] == list(
        multiple.feedback.items()
    )
    assert [(plain(a[0]), a[1]) for a in entries["special-matching"]["answers"]] == subs
    # QTI
    qti_items, _ = read_qti(files.write(items, "qti", tmp_path / "s.zip", "t", "p").path)
    item = qti_items["special-single"][1]
    assert plain(item.findtext("presentation/material/mattext")) == single.prompt
    assert [r.findtext("material/mattext") for r in item.iter("response_label")] == list(
        single.options
    )
    assert qti_feedback(item)["general_fb"] == single.explanation


# -- the command: --pool, errors, docs ---------------------------------------------------


def test_pool_goes_to_files_of_its_own(tmp_path, practice):
    pool = ROOT / "questions" / "assessment"
    assert main(["bank", "export", "--format", "all", "--root", str(ROOT), "--out", str(tmp_path),
                 "--pool", str(pool)]) == 0  # fmt: skip
    expected = {q.id for q in bank.load_pool([pool], ROOT)}
    assert set(read_moodle(tmp_path / "peaceops-pool.moodle.xml")) == expected
    assert set(read_gift(tmp_path / "peaceops-pool.gift.txt")) == expected
    assert set(read_qti(tmp_path / "peaceops-pool.canvas-qti.zip")[0]) == expected
    practice_file = read_moodle(tmp_path / "peaceops-practice.moodle.xml")
    assert set(practice_file) == {q.id for q in practice}
    categories = {c for c, _ in read_moodle(tmp_path / "peaceops-pool.moodle.xml").values()}
    assert all(c.startswith("$course$/peaceops-pool/") for c in categories)


def test_pool_only_leaves_the_practice_bank_out(tmp_path):
    assert main(["bank", "export", "--format", "gift", "--root", str(ROOT), "--out", str(tmp_path),
                 "--pool", str(ROOT / "questions" / "assessment"), "--pool-only"]) == 0  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peaceops-pool.gift.txt"]


def test_a_missing_pool_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "no-such-pool"
    code = main(["bank", "export", "--format", "moodle", "--root", str(ROOT),
                 "--out", str(tmp_path / "out"), "--pool", str(missing)])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert str(missing) in err and "no such folder" in err
    assert not (tmp_path / "out").exists()


def test_the_command_prints_the_mapping(capsys, tmp_path):
    main(["bank", "export", "--format", "qti", "--root", str(ROOT), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    for source in ("single", "decision", "multiple", "matching", "ordering", "written"):
        assert re.search(rf"^\s+{source}\s+\d+\s", out, re.M), source


def test_the_docs_list_the_current_mapping():
    doc = (ROOT / "questions" / "lms-export.md").read_text(encoding="utf-8")
    table = doc.split("<!-- mapping -->\n", 1)[1].split("<!-- /mapping -->", 1)[0]
    assert table == export.mapping_table(), "paste lms.mapping_table() into lms-export.md"
