"""Items as a QTI 1.2 package for Canvas: one assessment (and question bank) per chapter.

The zip holds ``imsmanifest.xml`` and, for each chapter, ``<id>/<id>.xml`` (a
``questestinterop`` with one ``assessment`` of the chapter's items) and
``<id>/assessment_meta.xml`` (Canvas's quiz settings: an unpublished practice quiz). On
import ("Import existing content" > "QTI .zip file") Canvas makes a quiz and a question
bank of each chapter. Items follow the form Canvas itself exports (``question_type`` and
``points_possible`` in the item's metadata; ``response_lid``/``response_str``,
``resprocessing`` setting ``SCORE`` out of 100, ``itemfeedback`` with ``general_fb``
(the explanation) and ``<answer id>_fb``): canvas-lms ``lib/cc/qti/qti_items.rb``; the
package layout follows ``qti_generator.rb`` and text2qti's. Identifiers are derived
from the bank ids, so an export is the same byte for byte each time.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from peaceops.lms.export import Item, as_matching, chapters, number_text, to_html

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Canvas's question type for each item kind.
CANVAS_TYPES = {"choice": "multiple_choice_question", "choices": "multiple_answers_question",
                "matching": "matching_question", "numerical": "numerical_question",
                "shortanswer": "short_answer_question", "essay": "essay_question"}  # fmt: skip
#: Zip entries get this time, so the same bank gives the same bytes.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def ident(*parts: str) -> str:
    """A stable identifier (a letter, then hex) for the parts."""
    return "g" + hashlib.md5("/".join(parts).encode()).hexdigest()


def answer_ids(item: Item, count: int) -> list[str]:
    """Numeric answer ids, as Canvas writes them, unique within the item."""
    base = int(hashlib.md5(item.id.encode()).hexdigest()[:6], 16) % 900000 + 100000
    return [str(base * 100 + n) for n in range(count)]


def _sub(parent: ET.Element, tag: str, attrib: dict[str, str] | None = None,
         text: str | None = None) -> ET.Element:  # fmt: skip
    node = ET.SubElement(parent, tag, attrib or {})
    if text is not None:
        node.text = text
    return node


def _mattext(parent: ET.Element, text: str, html: bool = True) -> None:
    material = _sub(parent, "material")
    _sub(material, "mattext", {"texttype": "text/html" if html else "text/plain"},
         to_html(text) if html else text)  # fmt: skip


def _meta(parent: ET.Element, fields: dict[str, str]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", text=label)
        _sub(field, "fieldentry", text=entry)


def _condition(proc: ET.Element, continue_: str | None = None) -> tuple[ET.Element, ET.Element]:
    cond = _sub(proc, "respcondition", {"continue": continue_} if continue_ else {})
    return cond, _sub(cond, "conditionvar")


def _show(cond: ET.Element, feedback_id: str) -> None:
    _sub(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": feedback_id})


def _feedback(item_node: ET.Element, feedback_id: str, text: str) -> None:
    node = _sub(item_node, "itemfeedback", {"ident": feedback_id})
    _mattext(_sub(node, "flow_mat"), text)


def _choices(item: Item, pres: ET.Element, proc: ET.Element, node: ET.Element) -> list[str]:
    ids = answer_ids(item, len(item.choices))
    lid = _sub(
        pres,
        "response_lid",
        {"ident": "response1", "rcardinality": "Single" if item.kind == "choice" else "Multiple"},
    )
    render = _sub(lid, "render_choice")
    for aid, choice in zip(ids, item.choices, strict=True):
        _mattext(_sub(render, "response_label", {"ident": aid}), choice.text, html=False)
    for aid, choice in zip(ids, item.choices, strict=True):
        if choice.feedback:
            cond, var = _condition(proc, "Yes")
            _sub(var, "varequal", {"respident": "response1"}, aid)
            _show(cond, f"{aid}_fb")
    cond, var = _condition(proc, "No")
    if item.kind == "choice":
        right = next(a for a, c in zip(ids, item.choices, strict=True) if c.fraction > 0)
        _sub(var, "varequal", {"respident": "response1"}, right)
    else:
        both = _sub(var, "and")
        for aid, choice in zip(ids, item.choices, strict=True):
            parent = both if choice.fraction > 0 else _sub(both, "not")
            _sub(parent, "varequal", {"respident": "response1"}, aid)
    _sub(cond, "setvar", {"action": "Set", "varname": "SCORE"}, "100")
    for aid, choice in zip(ids, item.choices, strict=True):
        if choice.feedback:
            _feedback(node, f"{aid}_fb", choice.feedback)
    return ids


def _matching(item: Item, pres: ET.Element, proc: ET.Element) -> list[str]:
    rights = list(dict.fromkeys([*(r for _, r in item.pairs), *item.distractors]))
    ids = answer_ids(item, len(item.pairs) + len(rights))
    left_ids, match_ids = ids[: len(item.pairs)], dict(zip(rights, ids[len(item.pairs):],
                                                            strict=True))  # fmt: skip
    share = f"{100 / len(item.pairs):.2f}"
    for aid, (left, _) in zip(left_ids, item.pairs, strict=True):
        lid = _sub(pres, "response_lid", {"ident": f"response_{aid}"})
        _mattext(lid, left, html=False)
        render = _sub(lid, "render_choice")
        for right, mid in match_ids.items():
            _sub(_sub(_sub(render, "response_label", {"ident": mid}), "material"), "mattext",
                 text=right)  # fmt: skip
    for aid, (_, right) in zip(left_ids, item.pairs, strict=True):
        cond, var = _condition(proc)
        _sub(var, "varequal", {"respident": f"response_{aid}"}, match_ids[right])
        _sub(cond, "setvar", {"varname": "SCORE", "action": "Add"}, share)
    return left_ids


def _entry(item: Item, pres: ET.Element, proc: ET.Element) -> None:
    fib = {"fibtype": "Decimal"} if item.kind == "numerical" else {}
    label = (
        {"ident": "answer1"} if item.kind == "numerical" else {"ident": "answer1", "rshuffle": "No"}
    )
    response = _sub(pres, "response_str", {"ident": "response1", "rcardinality": "Single"})
    _sub(_sub(response, "render_fib", fib), "response_label", label)
    cond, var = _condition(proc, "No")
    if item.kind == "essay":
        _sub(var, "other")
        return
    if item.kind == "shortanswer":
        for text in item.accepted:
            _sub(var, "varequal", {"respident": "response1"}, text)
    else:
        either = _sub(var, "or")
        _sub(either, "varequal", {"respident": "response1"}, number_text(item.number))
        within = _sub(either, "and")
        low, high = item.number - item.tolerance, item.number + item.tolerance
        _sub(within, "vargte", {"respident": "response1"}, number_text(low))
        _sub(within, "varlte", {"respident": "response1"}, number_text(high))
    _sub(cond, "setvar", {"action": "Set", "varname": "SCORE"}, "100")


def item_element(parent: ET.Element, item: Item) -> ET.Element:
    """One item as Canvas's QTI (an ordering is asked as matching: Canvas has no ordering)."""
    if item.kind == "ordering":
        item = as_matching(item)
    node = _sub(parent, "item", {"ident": ident("item", item.id), "title": item.id})
    meta = _sub(node, "itemmetadata")
    pres = _sub(node, "presentation")
    _mattext(pres, item.prompt)
    proc = _sub(node, "resprocessing")
    _sub(
        _sub(proc, "outcomes"),
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    cond, var = _condition(proc, "Yes")
    _sub(var, "other")
    _show(cond, "general_fb")
    ids: list[str] = []
    if item.kind in ("choice", "choices"):
        ids = _choices(item, pres, proc, node)
    elif item.kind == "matching":
        ids = _matching(item, pres, proc)
    else:
        _entry(item, pres, proc)
    _feedback(node, "general_fb", item.feedback_text)
    _meta(meta, {"question_type": CANVAS_TYPES[item.kind],
                 "points_possible": f"{float(item.points):.1f}",
                 "original_answer_ids": ",".join(ids),
                 "assessment_question_identifierref": ident("question", item.id)})  # fmt: skip
    # Canvas lists item feedback after resprocessing: put the general feedback first
    feedbacks = node.findall("itemfeedback")
    for fb in feedbacks:
        node.remove(fb)
    for fb in sorted(feedbacks, key=lambda f: f.get("ident") != "general_fb"):
        node.append(fb)
    return node


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "utf-8") + b"\n"


def assessment(assessment_id: str, title: str, items: list[Item]) -> bytes:
    """The QTI file of one chapter."""
    root = ET.Element(
        "questestinterop",
        {
            "xmlns": QTI_NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
        },
    )
    test = _sub(root, "assessment", {"ident": assessment_id, "title": title})
    _meta(test, {"cc_maxattempts": "unlimited"})
    section = _sub(test, "section", {"ident": "root_section"})
    for item in items:
        item_element(section, item)
    return _xml(root)


def assessment_meta(assessment_id: str, title: str, items: list[Item]) -> bytes:
    """Canvas's settings for the quiz made on import: an unpublished practice quiz."""
    root = ET.Element(
        "quiz",
        {
            "identifier": assessment_id,
            "xmlns": CANVAS_NS,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd",
        },
    )
    settings = {
        "title": title,
        "description": "Questions of the peaceops course, exported from its question bank.",
        "shuffle_answers": "true", "scoring_policy": "keep_highest", "hide_results": "",
        "quiz_type": "practice_quiz",
        "points_possible": f"{float(sum(i.points for i in items)):.1f}",
        "show_correct_answers": "true", "anonymous_submissions": "false",
        "could_be_locked": "false", "allowed_attempts": "-1", "one_question_at_a_time": "false",
        "cant_go_back": "false", "available": "false", "one_time_results": "false",
        "show_correct_answers_last_attempt": "false", "only_visible_to_overrides": "false",
        "module_locked": "false",
    }  # fmt: skip
    for tag, value in settings.items():
        _sub(root, tag, text=value)
    return _xml(root)


def manifest(top: str, resources: list[tuple[str, str]]) -> bytes:
    """``imsmanifest.xml``: for each chapter its QTI file and its Canvas settings."""
    root = ET.Element("manifest", {"identifier": ident("manifest", top), "xmlns": CP_NS})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", text="IMS Content")
    _sub(meta, "schemaversion", text="1.1.3")
    _sub(root, "organizations")
    found = _sub(root, "resources")
    for assessment_id, _title in resources:
        meta_id = ident("meta", assessment_id)
        res = _sub(found, "resource", {"identifier": assessment_id, "type": "imsqti_xmlv1p2"})
        _sub(res, "file", {"href": f"{assessment_id}/{assessment_id}.xml"})
        _sub(res, "dependency", {"identifierref": meta_id})
        href = f"{assessment_id}/assessment_meta.xml"
        res = _sub(
            found,
            "resource",
            {
                "identifier": meta_id,
                "href": href,
                "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            },
        )
        _sub(res, "file", {"href": href})
    return _xml(root)


def package(items: list[Item], top: str = "peaceops", label: str = "practice") -> bytes:
    """The zip Canvas imports: one assessment (and question bank) per chapter."""
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        for chapter, found in chapters(items).items():
            assessment_id = ident(top, chapter)
            title = f"{top}: {chapter} ({label})"
            resources.append((assessment_id, title))
            add(f"{assessment_id}/{assessment_id}.xml", assessment(assessment_id, title, found))
            add(f"{assessment_id}/assessment_meta.xml",
                assessment_meta(assessment_id, title, found))  # fmt: skip
        add("imsmanifest.xml", manifest(top, resources))
    return buffer.getvalue()
