"""Every acronym a chapter uses is spelled out, in the list of acronyms or in the glossary.

The scan finds capitalised tokens of two or more characters in a page's text (citations,
link targets, URLs, comments and code cells left out), minus the small stop list below.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, chapter_pages

from peaceops.book import glossary
from peaceops.course.pages import Page, definition_list, read_page
from peaceops.course.toc import page_path, toc_files

ACRONYMS = ROOT / "book" / "reference" / "acronyms.md"

#: Capitals, with digits (A4P, G5, M23) or one lower-case letter between capitals (PfP);
#: a plural s is dropped (STANAGs). Not part of a document symbol (S/RES/1244) or a word.
TOKEN = re.compile(r"(?<![\w/.])([A-Z](?:[a-z]?[A-Z]|[0-9])[A-Z0-9]*)s?(?![\w/])")

#: Roman numerals: Charter chapters (VI, VII, VIII), numbered exercises (Amani Africa II).
ROMAN = re.compile(r"^[IVXLCDM]+$")

#: Capitalised tokens that are not acronyms a reader needs spelled out.
STOP = {
    "EUR", "GB", "MB",  # currency and units
    "CSV", "HTML", "JSON", "PDF",  # file formats
    "CC", "BY", "MIT",  # licence names (CC BY 4.0, MIT)
    "NNNN", "YYYY", "CODE",  # placeholders in examples
    "RQ",  # an aircraft designation (RQ-4D), not an abbreviation of words
}  # fmt: skip

_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`[^`]*`")
_LINK = re.compile(r"\{(?:doc|ref|download|numref|term)\}`([^`<]*?)\s*(?:<[^`>]*>)?`")
_URL = re.compile(r"https?://\S+|\]\([^)]*\)")
_CODE = re.compile(r"^(`{3,}|:{3,})\{code-cell\}.*?^\1\s*$", re.M | re.S)
_FRONT = re.compile(r"\A---\n.*?^---\s*$", re.M | re.S)


def visible_text(markdown: str) -> str:
    """What a reader sees of a MyST page, roughly: no front matter, code, citations, URLs."""
    text = _CODE.sub("", _FRONT.sub("", markdown))
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    return _URL.sub("", _LINK.sub(r"\1", _CITE.sub("", text)))


def acronyms_in(markdown: str) -> set[str]:
    """The acronyms of a page by the scan: capitalised tokens minus numerals and STOP."""
    found = {m.group(1) for m in TOKEN.finditer(visible_text(markdown))}
    return {a for a in found if a not in STOP and not ROMAN.match(a)}


def listed() -> dict[str, str]:
    """The entries of acronyms.md: acronym -> what it says."""
    return dict(definition_list(read_page(ACRONYMS).text))


def in_glossary() -> set[str]:
    """Acronyms a glossary term spells out: 'Kosovo Force (KFOR)', or a term that is one."""
    found: set[str] = set()
    for term in glossary.collect(ROOT):
        if TOKEN.fullmatch(term.name):
            found.add(term.name)
        for acronym in re.findall(r"\(([^()\s]+)\)", term.name):
            if TOKEN.fullmatch(acronym) and acronym[0] == term.name[0]:
                found.add(acronym)
    return found


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.path.stem)
def test_every_acronym_of_a_chapter_is_spelled_out(page: Page) -> None:
    missing = acronyms_in(page.text) - set(listed()) - in_glossary()
    assert not missing, (
        f"{page.path.name} uses {sorted(missing)}: add each to book/reference/acronyms.md "
        "(spelled out, with a link to the page that teaches it), or to STOP in this test "
        "if it is not an acronym"
    )


def test_the_list_is_in_the_toc_beside_the_glossary() -> None:
    names = toc_files(ROOT)
    assert names.index("book/reference/acronyms") == names.index("book/reference/glossary") + 1


def test_the_list_is_alphabetical_and_each_entry_spells_out_and_links() -> None:
    entries = definition_list(read_page(ACRONYMS).text)
    names = [name for name, _ in entries]
    assert len(names) >= 60 and len(set(names)) == len(names), "one entry per acronym"
    assert names == sorted(names, key=str.upper), "keep the list in alphabetical order"
    terms = {t.name for t in glossary.collect(ROOT)}
    for name, text in entries:
        assert TOKEN.fullmatch(name), f"'{name}' is not an acronym by the scan's rule"
        assert len(text.split(".")[0].split()) >= 2, f"{name}: spell it out first"
        if name != "US":  # a country name needs no page to teach it
            assert "{term}`" in text or "{doc}`" in text, f"{name}: link its glossary entry or page"
        for term in re.findall(r"\{term\}`([^`<]+)`", text):
            assert term in terms, f"{name}: no glossary term '{term}'"
        for doc in re.findall(r"\{doc\}`[^`]*<(/[^`>]+)>`", text):
            assert doc.lstrip("/") in toc_files(ROOT), f"{name}: no page {doc}"


def test_every_listed_acronym_is_used_in_the_book() -> None:
    """An entry for an acronym that no page uses any more is stale."""
    text = "\n".join(
        visible_text(path.read_text(encoding="utf-8"))
        for path in (page_path(ROOT, name) for name in toc_files(ROOT))
        if path is not None and path != ACRONYMS
    )
    unused = [a for a in listed() if not re.search(rf"(?<![\w]){re.escape(a)}(?!\w)", text)]
    assert not unused, f"acronyms.md lists acronyms no page uses: {unused}"


def test_the_scan_finds_acronyms_and_skips_what_is_not_one() -> None:
    text = (
        "NATO's STANAGs, the PfP, A4P and the G5 Sahel; Chapter VII; see {cite:p}`natoISAF`; "
        "S/RES/1244 (1999); CC BY 4.0; resolution 1000 (ES-I); EU-led; McGrew and JupyterLab."
    )
    assert acronyms_in(text) == {"NATO", "STANAG", "PfP", "A4P", "G5", "ES", "EU"}


SCENARIO_DATA = ROOT / "data" / "scenario"


def spelled_out_in_the_scenario() -> set[str]:
    """The fictional mission area's own acronyms and names, spelled out in its data: an
    actor's id beside its name, 'Full Name (ACR)' in a text, a road's name ('Route N1')."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SCENARIO_DATA.iterdir())
                     if p.suffix in {".yml", ".geojson"})  # fmt: skip
    found = set(re.findall(r"- id: ([A-Z][A-Z0-9]+)\n\s+name: \w", text))
    for group in re.findall(r"[a-z] \(([A-Z][A-Z0-9-]+)\)", text):
        found.update(group.split("-"))
    found.update(re.findall(r'"name": "Route ([A-Z][0-9]+)"', text))
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "book" / "scenario").glob("*.md")),
                         ids=lambda p: p.stem)  # fmt: skip
def test_every_acronym_of_a_scenario_page_is_spelled_out(path) -> None:
    """A tabletop page uses the course's real acronyms (in the list) and the fictional
    area's own (spelled out in data/scenario and shown by the introduction's tables)."""
    fictional = spelled_out_in_the_scenario()
    missing = acronyms_in(path.read_text(encoding="utf-8")) - set(listed()) - in_glossary()
    assert not missing - fictional, (
        f"{path.name} uses {sorted(missing - fictional)}: spell each out in "
        "book/reference/acronyms.md if it is real, or in data/scenario if it is fictional"
    )


def test_the_fictional_acronyms_stay_out_of_the_real_list() -> None:
    """The scenario also spells out real acronyms (UN, SRSG); those only it uses are fiction."""
    real = set().union(*(acronyms_in(page.text) for page in chapter_pages()))
    fictional = spelled_out_in_the_scenario() - real
    assert {"UNMIAR", "DLF", "MBC", "SFA", "UMS", "WSA", "N1"} <= fictional
    assert not fictional & set(listed()), "a fictional acronym is in the list of real ones"
