"""The Scenario exercises part: an introduction to the fictional mission area and at least
six tabletop exercises, each built with its text, a figure drawn from the data, decision
points answerable in the page, the five role cards and instructor notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, toc_parts

from peaceops import bank
from peaceops.course.pages import read_page

PART = "Scenario exercises"
#: Each tabletop page has a role card for each of these (a heading or a bold lead-in).
ROLES = {
    "Head of Mission": r"Head of Mission",
    "Force Commander": r"Force Commander",
    "a contingent commander": r"contingent commander",
    "the host state's liaison officer": r"liaison officer \(host state\)",
    "a regional organisation's representative": r"\(regional organisation\)",
}
MIN_WORDS = 800


def scenario_files() -> list[Path]:
    parts = dict(toc_parts())
    assert PART in parts, f"_toc.yml has no part '{PART}'"
    return [p for p in parts[PART] if p is not None]


def tabletop_files() -> list[Path]:
    """The exercise pages of the part: those with learning objectives."""
    return [p for p in scenario_files() if read_page(p).objectives()]


TABLETOPS = tabletop_files()


def built(html_dir: Path, path: Path):
    from bs4 import BeautifulSoup

    html = html_dir / path.relative_to(ROOT).with_suffix(".html")
    assert html.is_file(), f"{html} was not built"
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup.select_one("main")
    assert article is not None, f"{html.name}: no article"
    return article


def test_the_part_has_an_introduction_and_six_exercises() -> None:
    files = scenario_files()
    assert files[0].stem == "scenario-intro"
    assert len(TABLETOPS) >= 6
    stems = [p.stem for p in ROOT.joinpath("book").rglob("*.md")]
    for path in files:
        assert stems.count(path.stem) == 1, f"{path.stem} is not a unique stem in book/"


def test_every_decision_point_is_a_decision_question_of_its_page() -> None:
    practice = bank.by_chapter(bank.load_bank())
    for path in TABLETOPS:
        chapter = str(path.relative_to(ROOT).with_suffix(""))
        questions = practice.get(chapter, [])
        assert len(questions) >= 2 and all(q.decision for q in questions), chapter
        text = path.read_text(encoding="utf-8")
        for q in questions:
            assert f":questions: {q.id}" in text, f"{chapter}: {q.id} is not placed in the page"


@pytest.mark.parametrize("path", TABLETOPS, ids=lambda p: p.stem)
def test_a_tabletop_page_is_complete_in_the_built_book(built_html: Path, path: Path) -> None:
    article = built(built_html, path)
    name = path.stem
    text = article.get_text(" ", strip=True)
    words = len(re.findall(r"[A-Za-z][A-Za-z'\-]*", text))
    assert words >= MIN_WORDS, f"{name}: {words} words"
    figure = article.select_one("figure img, figure svg")
    assert figure is not None, f"{name}: no figure"
    assert len(figure.get("alt", "x")) > 40, f"{name}: the figure has no alt text"
    decisions = article.select('[data-type="decision"]')
    assert len(decisions) >= 2, f"{name}: {len(decisions)} decision points"
    for role, pattern in ROLES.items():
        assert re.search(pattern, text, re.I), f"{name}: no role card for {role}"
    notes = article.find(id="instructor-notes")
    assert notes is not None, f"{name}: no instructor notes section"
    assert "Debrief questions" in notes.get_text(" ", strip=True)
    assert "fictional" in text


def test_the_introduction_shows_the_map_the_mandate_and_the_structure(built_html: Path) -> None:
    article = built(built_html, scenario_files()[0])
    text = article.get_text(" ", strip=True)
    assert "S/RES/9104 (fictional)" in text and "Acting under Chapter VII" in text
    assert article.find(id="fig-scenario-area") is not None
    assert article.find(id="fig-scenario-structure") is not None
    assert "Vesmar" in text and "Merra Basin Community" in text
