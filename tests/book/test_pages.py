"""Each chapter page meets the anatomy of CONTRIBUTING.md and the course's content rules."""

from __future__ import annotations

import re

import pytest
from conftest import (
    ROOT,
    anatomy_pages,
    chapter_pages,
    headed_sections,
    outline_pages,
    outline_parts,
    shared_file,
    source_headings,
    toc,
    toc_parts,
)
from pybtex.database import parse_file

from peaceops.book.originality import copied_runs
from peaceops.course.pages import Page, read_page
from peaceops.course.toc import page_path, toc_files

MEASURABLE_VERBS = {
    "identify",
    "explain",
    "compare",
    "distinguish",
    "describe",
    "assess",
    "evaluate",
    "outline",
    "classify",
    "trace",
    "define",
    "summarise",
    "summarize",
    "apply",
    "interpret",
    "analyse",
    "analyze",
    "recognise",
    "recognize",
    "contrast",
    "name",
    "list",
    "state",
    "use",
    "locate",
    "date",
    "cite",
    "check",
    "map",
    "read",
    "judge",
    "critique",
}
MIN_WORDS = 900
PAGES = anatomy_pages()
IDS = [p.path.stem for p in PAGES]


def bib_keys() -> set[str]:
    return set(parse_file(str(ROOT / "references.bib")).entries.keys())


def test_toc_parts_follow_the_outline() -> None:
    """The toc's parts are OUTLINE.md's parts, in its order, and each page sits in its part."""
    outline = outline_pages()
    part_order = outline_parts()
    captions = [caption for caption, _ in toc_parts() if caption in part_order]
    assert captions == part_order[: len(captions)], "toc parts differ from OUTLINE.md"
    every = [caption for caption, _ in toc_parts()]
    extra = [caption for caption in every if caption not in part_order]
    assert extra in ([], ["Reference"], ["Scenario exercises", "Reference"]), (
        f"unexpected parts {extra}"
    )
    assert every == captions + extra, (
        "the Scenario exercises and Reference parts come after the outline's parts"
    )
    expected_part = {heading: part for part, heading in outline}
    for caption, files in toc_parts():
        if caption not in part_order:
            continue
        for path in files:
            assert path is not None, f"a toc entry of part {caption} has no file"
            heading = read_page(path).heading
            assert expected_part.get(heading) == caption, (
                f"{path}: belongs in part {expected_part.get(heading)}"
            )


def test_pages_come_in_the_source_order() -> None:
    """Chapter titles are the source's headings, in the order of the source essay."""
    headings = source_headings()
    titles = [p.heading for p in chapter_pages()]
    assert titles == headings[: len(titles)]
    assert len(titles) >= 5, "the Foundations and Frameworks parts need their five pages"


def test_every_headed_section_of_the_source_has_its_page() -> None:
    titles = [p.heading for p in chapter_pages()]
    assert len(headed_sections()) == 15
    missing = [h for h in headed_sections() if h not in titles]
    assert not missing, f"no page yet for: {missing}"


def test_source_headings_are_real_headings_of_the_source() -> None:
    """The outline's headings are lines of the source essay (guards the two files' link)."""
    lines = {ln.strip() for ln in shared_file("source-document.txt").read_text().splitlines()}
    for heading in headed_sections():
        assert heading in lines


def test_introduction_is_the_root_page() -> None:
    intro = read_page(page_path(ROOT, toc()["root"]))
    assert intro.title.startswith("Introduction")
    for section in (
        "Who this course is for",
        "How to use the book",
        "Exercises and quizzes",
        "A suggested path",
    ):
        assert intro.section(section).strip(), f"the introduction lacks '{section}'"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_learning_objectives(page: Page) -> None:
    objectives = page.objectives()
    assert 3 <= len(objectives) <= 5, f"{page.path.name}: {len(objectives)} objectives"
    for item in objectives:
        verb = re.sub(r"[^a-z]", "", item.split()[0].lower())
        assert verb in MEASURABLE_VERBS, f"{page.path.name}: '{item[:40]}' has no measurable verb"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_enough_own_prose(page: Page) -> None:
    assert page.word_count() >= MIN_WORDS, f"{page.path.name}: {page.word_count()} words"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_key_terms(page: Page) -> None:
    assert len(page.key_terms()) >= 3, f"{page.path.name}: define at least three key terms"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_table_or_figure(page: Page) -> None:
    assert page.has_table_or_figure(), f"{page.path.name}: no table or figure"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_self_check_reveals_an_explained_answer(page: Page) -> None:
    check = page.section("Self-check")
    assert "?" in check, f"{page.path.name}: the self-check asks no question"
    answer = re.search(r"^([`:]{3,})\{dropdown\}.*?\n(.*?)^\1\s*$", check, re.M | re.S)
    assert answer, f"{page.path.name}: the self-check has no answer to reveal"
    assert len(answer.group(2).split()) >= 25, f"{page.path.name}: the answer is not explained"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_summary(page: Page) -> None:
    assert 3 <= len(page.summary_points()) <= 5, f"{page.path.name}: summary needs 3-5 points"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_citations_resolve(page: Page) -> None:
    keys = page.citation_keys()
    assert len(keys) >= 5, f"{page.path.name}: cites only {len(keys)} sources"
    missing = keys - bib_keys()
    assert not missing, f"{page.path.name}: keys not in references.bib: {sorted(missing)}"
    assert "{bibliography}" in page.section("References")


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_cites_primary_sources_and_scholarship(page: Page) -> None:
    """Every page cites at least one primary source and one work of scholarship or report."""
    entries = parse_file(str(ROOT / "references.bib")).entries
    kinds = {entries[k].type.lower() for k in page.citation_keys() if k in entries}
    assert "misc" in kinds or "techreport" in kinds, f"{page.path.name}: no primary source"


def test_every_bib_entry_is_complete() -> None:
    """Each entry has a title and a year, and online primary sources have a URL."""
    for key, entry in parse_file(str(ROOT / "references.bib")).entries.items():
        fields = {k.lower() for k in entry.fields}
        assert "title" in fields and "year" in fields, f"{key}: needs title and year"
        if entry.type.lower() == "misc":
            assert "url" in fields or "howpublished" in fields, f"{key}: say where to find it"


def test_no_sentence_of_the_source_is_copied() -> None:
    """No run of ten consecutive words of the source essay appears anywhere in the book."""
    source = shared_file("source-document.txt").read_text(encoding="utf-8")
    pages = [page_path(ROOT, name) for name in toc_files(ROOT)]
    assert len(pages) >= 6
    for path in pages:
        copied = copied_runs(path.read_text(encoding="utf-8"), source)
        assert not copied, f"{path.relative_to(ROOT)} copies the source: '{copied[0]}'"


def test_copy_detector_catches_a_copied_sentence() -> None:
    """The detector is not blind: a sentence lifted from the source, recased, is found."""
    source = shared_file("source-document.txt").read_text(encoding="utf-8")
    line = source.splitlines()[4]
    assert copied_runs("Some words of our own. " + line.upper(), source)
    assert not copied_runs("Peacekeeping began with observers in 1948.", source)


def resolution_entries() -> dict[str, tuple[str, str]]:
    """Security Council resolution entries: number -> (year, adoption note)."""
    found = {}
    for key, entry in parse_file(str(ROOT / "references.bib")).entries.items():
        match = re.fullmatch(r"unscr(\d+)", key)
        if match:
            found[match.group(1)] = (entry.fields["year"], entry.fields.get("note", ""))
    return found


def test_resolution_entries_are_consistent() -> None:
    """Each unscrNNNN entry is labelled S/RES/NNNN, dated, and linked to its symbol."""
    entries = parse_file(str(ROOT / "references.bib")).entries
    resolutions = resolution_entries()
    assert len(resolutions) >= 10
    for number, (year, note) in resolutions.items():
        entry = entries[f"unscr{number}"]
        author = " ".join(str(p) for p in entry.persons.get("author", []))
        assert author.strip("{}") == f"S/RES/{number}", f"unscr{number}: author {author}"
        assert entry.fields["title"] == f"Security Council resolution {number} ({year})"
        assert f"S/RES/{number}({year})" in entry.fields["url"]
        assert re.search(rf"Adopted on \d{{1,2}} [A-Z][a-z]+ {year}\b", note), (
            f"unscr{number}: the note must give the adoption date"
        )


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_resolution_years_in_the_text_match_the_bibliography(page: Page) -> None:
    """'resolution 1744 (2007)' in the prose agrees with the year of entry unscr1744."""
    resolutions = resolution_entries()
    for number, year in re.findall(r"\b[Rr]esolution (\d{2,4}) \((\d{4})\)", page.text):
        if number in resolutions:
            assert resolutions[number][0] == year, f"{page.path.name}: resolution {number}"


def test_no_work_is_entered_twice() -> None:
    """Two keys for one work split its citations; titles are unique in references.bib."""
    seen: dict[str, str] = {}
    for key, entry in parse_file(str(ROOT / "references.bib")).entries.items():
        title = re.sub(r"\W+", " ", entry.fields["title"]).lower().strip()
        assert title not in seen, f"{key} and {seen[title]} are the same work"
        seen[title] = key


def test_author_year_labels_are_unambiguous() -> None:
    """No two entries would show the same 'Author, year' label (use 2015a, 2015b)."""
    seen: dict[tuple[str, str], str] = {}
    for key, entry in parse_file(str(ROOT / "references.bib")).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names) or str(p) for p in people]
        who = names[0] + " et al." if len(names) > 2 else " and ".join(names)
        label = (who or entry.fields["title"], entry.fields["year"])
        assert label not in seen, f"{key} and {seen[label]} both cite as {label}"
        seen[label] = key
