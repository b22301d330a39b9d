"""The first two parts teach the corrections of FACT-CHECK.md and cite resolutions properly."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, chapter_pages

from peaceops.course.pages import Page, read_page
from peaceops.course.toc import page_path, toc_files

PAGES = {p.heading: p for p in chapter_pages()}


def page(heading: str) -> Page:
    assert heading in PAGES, f"no page titled '{heading}'"
    return PAGES[heading]


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z*])", re.sub(r"\s+", " ", text))


def all_book_pages() -> list[Page]:
    return [read_page(page_path(ROOT, name)) for name in toc_files(ROOT)]


@pytest.mark.parametrize("p", all_book_pages(), ids=lambda p: p.path.stem)
def test_resolutions_are_cited_with_their_year(p: Page) -> None:
    """A resolution's first mention on a page gives its year: '(1999)' or 'of 10 June 1999'."""
    seen: set[str] = set()
    for match in re.finditer(r"\b[Rr]esolutions? (\d{2,4})\b(?! \(ES)", p.text):
        number = match.group(1)
        after = p.text[match.end() : match.end() + 45]
        if number not in seen:
            assert re.search(r"\b(19[4-9]\d|20[0-2]\d)\b", after), (
                f"{p.path.name}: first mention '{match.group(0)}{after[:25]}' gives no year"
            )
        seen.add(number)


def test_sco_is_taught_as_no_peacekeeper() -> None:
    text = page("Major Military Alliances in Peacekeeping").teaching_text()
    assert "Regional Anti-Terrorist Structure" in text
    assert any(
        re.search(r"\bSCO\b|Shanghai", s)
        and re.search(r"\b(never|no|not)\b", s)
        and re.search(r"deploy|peace operation|peacekeeping", s)
        for s in sentences(text)
    ), "the page must say that the SCO has never deployed a peace operation"


def test_comparison_table_covers_every_organisation() -> None:
    text = page("Major Military Alliances in Peacekeeping").text
    tables = re.findall(r"((?:^\|.*\|\s*\n)+)", text, re.M)
    table = max(tables, key=lambda t: sum(o in t for o in ("NATO", "CSTO", "SCO")))
    header = table.splitlines()[0].lower()
    for column in ("legal basis", "decision", "member", "operation"):
        assert column in header, f"the comparison table lacks a '{column}' column"
    for org in ("NATO", "EU", "AU", "African Standby Force", "ECOWAS", "CSTO", "SCO", "UN"):
        assert re.search(rf"^\|[^|\n]*{re.escape(org)}", table, re.M) or org in table, org


def test_framework_teaches_the_charter_and_the_principles() -> None:
    text = page("Framework of Military Alliances").teaching_text()
    for needle in (
        "Chapter VI",
        "Chapter VII",
        "Chapter VIII",
        "Article 52",
        "Article 53",
        "Article 54",
        "consent",
        "impartiality",
        "status-of-forces",
    ):
        assert needle.lower() in text.lower(), needle


def test_history_dates_the_first_missions_and_nato() -> None:
    text = page("Historical Context of Military Alliances").teaching_text()
    paragraphs = text.split("\n\n")
    for name, year in (("UNTSO", "1948"), ("UNEF", "1956"), ("North Atlantic Treaty", "1949")):
        assert any(name in s and year in s for s in paragraphs), f"{name} {year}"


def test_understanding_distinguishes_the_kinds_of_actor_and_operation() -> None:
    text = page("Understanding Military Alliances during Peacekeeping Missions").text
    for needle in (
        "peace enforcement",
        "peacebuilding",
        "ad hoc coalition",
        "regional arrangement",
    ):
        assert needle in text.lower(), needle


def test_impact_cites_the_research_and_not_for_troop_numbers() -> None:
    p = page("Impact of Military Alliances on Peacekeeping Missions")
    for key in (
        "fortna2008does",
        "hultman2013united",
        "hultman2014beyond",
        "hultman2016united",
        "fjelde2019protection",
    ):
        assert key in p.citation_keys(), key
    for s in sentences(p.text):
        if "fortna2008does" in s and "{cite" in s:
            assert not re.search(r"more troops[^.]*(longer|lasting) peace", s, re.I), s


SOURCE_CRITICISM = "reading-the-source"


@pytest.mark.parametrize("p", all_book_pages(), ids=lambda p: p.path.stem)
def test_only_the_source_criticism_page_names_irna(p: Page) -> None:
    """IRNA (a news agency the source lists as an alliance) is discussed in one place only."""
    if p.path.stem == SOURCE_CRITICISM:
        assert re.search(r"\bIRNA\b[^.]*news agency|news agency[^.]*\bIRNA\b", p.text)
    else:
        assert not re.search(r"\bIRNA\b", p.text), f"{p.path.name} names IRNA"


@pytest.mark.parametrize("p", all_book_pages(), ids=lambda p: p.path.stem)
def test_operation_allied_force_is_an_air_campaign(p: Page) -> None:
    for s in sentences(p.text):
        if "Allied Force" in s:
            assert re.search(r"air (campaign|war|operation)|bombing", s, re.I), s
