"""Items as Moodle XML (Moodle's own import format for its question bank).

One ``<quiz>`` with a category question before each chapter
(``$course$/<top>/<chapter>``, created on import when "Get category from file" is
ticked), then one ``<question>`` per item: its ``name`` and ``idnumber`` are the bank id,
its ``generalfeedback`` the explanation, its tags the objective and the level. Texts are
HTML (``format="html"``). Fractions are percentages from Moodle's list of grades
(:data:`FRACTIONS`; an import refuses any other by default).

Format: https://docs.moodle.org/en/Moodle_XML_format, and Moodle's
``question/format/xml/format.php`` and ``question/type/ordering`` (core since 4.4).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from peaceops.lms.export import Item, as_matching, chapters, number_text, scheme_text, to_html

#: Moodle's grades (question_bank::fraction_options_full), in per cent, either sign.
FRACTIONS = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
             16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)  # fmt: skip


def percent(fraction: float) -> str:
    """A share of the marks as Moodle writes it: per cent, at most five decimals."""
    value = round(fraction * 100, 5)
    if not any(abs(abs(value) - f) < 1e-4 for f in FRACTIONS):
        raise ValueError(f"{value} % is not one of Moodle's grades")
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _text(parent: ET.Element, tag: str, text: str, html: bool = True) -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(node, "text").text = to_html(text) if html else text
    return node


def _value(parent: ET.Element, tag: str, value: object) -> None:
    ET.SubElement(parent, tag).text = str(value)


def _answer(parent: ET.Element, fraction: str, text: str, feedback: str = "",
            html: bool = True) -> ET.Element:  # fmt: skip
    node = ET.SubElement(parent, "answer", {"fraction": fraction, "format": "html" if html
                                            else "moodle_auto_format"})  # fmt: skip
    ET.SubElement(node, "text").text = to_html(text, inline=True) if html else text
    _text(node, "feedback", feedback)
    return node


def _question(quiz: ET.Element, item: Item, qtype: str) -> ET.Element:
    q = ET.SubElement(quiz, "question", {"type": qtype})
    _text(q, "name", item.id, html=False)
    _text(q, "questiontext", item.prompt)
    _text(q, "generalfeedback", item.explanation)
    _value(q, "defaultgrade", item.points)
    _value(q, "penalty", "0.3333333")
    _value(q, "hidden", 0)
    _value(q, "idnumber", item.id)
    return q


def _tags(q: ET.Element, item: Item) -> None:
    tags = ET.SubElement(q, "tags")
    for tag in (f"objective-{item.objective}", item.level, "peaceops"):
        if tag:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag


def _choice(quiz: ET.Element, item: Item) -> None:
    q = _question(quiz, item, "multichoice")
    _value(q, "single", "true" if item.kind == "choice" else "false")
    _value(q, "shuffleanswers", "true")
    _value(q, "answernumbering", "abc")
    _value(q, "showstandardinstruction", 0)
    for choice in item.choices:
        _answer(q, percent(choice.fraction), choice.text, choice.feedback)
    _tags(q, item)


def _matching(quiz: ET.Element, item: Item) -> None:
    q = _question(quiz, item, "match")
    _value(q, "shuffleanswers", "true")
    for left, right in [*item.pairs, *(("", d) for d in item.distractors)]:
        sub = ET.SubElement(q, "subquestion", {"format": "html"})
        ET.SubElement(sub, "text").text = to_html(left, inline=True)  # empty: an extra answer
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
    _tags(q, item)


def _ordering(quiz: ET.Element, item: Item) -> None:
    q = _question(quiz, item, "ordering")
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"),
                       ("selectcount", len(item.items)), ("gradingtype", "ALL_OR_NOTHING"),
                       ("showgrading", "SHOW"), ("numberingstyle", "none")):  # fmt: skip
        _value(q, tag, value)
    for n, text in enumerate(item.items, start=1):
        _answer(q, f"{n}.0000000", text)
    _tags(q, item)


def _numerical(quiz: ET.Element, item: Item) -> None:
    q = _question(quiz, item, "numerical")
    answer = _answer(q, "100", number_text(item.number), html=False)
    _value(answer, "tolerance", number_text(item.tolerance))
    for tag, value in (("unitgradingtype", 0), ("unitpenalty", "0.1000000"), ("showunits", 3),
                       ("unitsleft", 0)):  # fmt: skip
        _value(q, tag, value)
    _tags(q, item)


def _shortanswer(quiz: ET.Element, item: Item) -> None:
    q = _question(quiz, item, "shortanswer")
    _value(q, "usecase", 0)
    for text in [item.pattern] if item.pattern else item.accepted:
        _answer(q, "100", text, html=False)
    _tags(q, item)


def _essay(quiz: ET.Element, item: Item) -> None:
    q = _question(quiz, item, "essay")
    for tag, value in (("responseformat", "editor"), ("responserequired", 1),
                       ("responsefieldlines", 15), ("attachments", 0),
                       ("attachmentsrequired", 0)):  # fmt: skip
        _value(q, tag, value)
    _text(q, "graderinfo", f"{scheme_text(item.scheme)}\n\nModel answer: {item.explanation}")
    _text(q, "responsetemplate", "")
    _tags(q, item)


WRITERS = {"choice": _choice, "choices": _choice, "matching": _matching,
           "ordering": _ordering, "numerical": _numerical, "shortanswer": _shortanswer,
           "essay": _essay}  # fmt: skip


def document(items: list[Item], top: str = "peaceops", ordering: str = "native") -> str:
    """The Moodle XML file of ``items``: a category per chapter under ``$course$/<top>``."""
    quiz = ET.Element("quiz")
    for chapter, found in chapters(items).items():
        category = ET.SubElement(quiz, "question", {"type": "category"})
        ET.SubElement(
            ET.SubElement(category, "category"), "text"
        ).text = f"$course$/{top}/{chapter}"
        _text(category, "info", f"Questions of the chapter '{chapter}' of the peaceops course.")
        for item in found:
            if item.kind == "ordering" and ordering == "matching":
                item = as_matching(item)
            WRITERS[item.kind](quiz, item)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"
