"""Each chapter shows its study time, its prerequisites and its quiz ({chapterinfo})."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, chapter_pages

from peaceops.book.sphinx import chapterinfo
from peaceops.course.pages import Page
from peaceops.course.problems import BuildError

PAGES = chapter_pages()
IDS = [p.path.stem for p in PAGES]


def docname(page: Page) -> str:
    return str(page.path.relative_to(ROOT).with_suffix(""))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_the_directive_sits_right_under_the_title(page: Page) -> None:
    text = re.sub(r"\A---\n.*?^---\s*\n", "", page.text, flags=re.M | re.S)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("# "), f"{page.path.name}: the title comes first"
    assert lines[1:3] == ["```{chapterinfo}", "```"], (
        f"{page.path.name}: put ```{{chapterinfo}}``` (and its closing fence) right under the title"
    )


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_study_time_is_sensible_and_every_chapter_has_a_quiz(page: Page) -> None:
    info = chapterinfo.chapter_info(ROOT, docname(page))
    assert 10 <= info.minutes <= 120, f"{page.path.name}: {info.minutes} minutes"
    assert info.minutes % chapterinfo.ROUND_TO == 0
    assert info.words > page.word_count() * 0.9, "the reading counts at least the teaching prose"
    assert info.questions >= 3, f"{page.path.name}: its exercise page asks too few questions"
    assert info.quizzes, f"{page.path.name}: no graded quiz covers it"


def test_every_chapter_declares_its_prerequisites() -> None:
    prerequisites = chapterinfo.load_prerequisites(ROOT)
    assert sorted(prerequisites) == sorted(docname(p) for p in PAGES)
    first = docname(PAGES[0])
    assert all(prerequisites[docname(p)] for p in PAGES), "name at least one page to read first"
    assert prerequisites[first] == ["book/intro"]


def test_study_time_rounds_to_five_minutes() -> None:
    assert chapterinfo.study_minutes(2000, 8) == 20  # 10 + 12 = 22
    assert chapterinfo.study_minutes(2600, 9) == 25  # 13 + 13.5 = 26.5
    assert chapterinfo.study_minutes(100, 0) == 5  # never less than five


def test_reading_words_skip_markup_code_and_citations() -> None:
    text = (
        "---\nkernelspec:\n  name: python3\n---\n# Title here\n\n```{chapterinfo}\n```\n\n"
        "Four words of prose {cite:p}`unscr1244`, see https://example.org.\n\n"
        "```{code-cell} python\n:tags: [remove-input]\nimport pandas as pd\n```\n\n"
        "| A | B |\n|---|---|\n| one | two |\n\n"
        "```{dropdown} Show the answer\nThree more words\n```\n"
        "{doc}`a link </book/intro>`\n"
    )
    # Title here (2) + Four words of prose see (5) + A B one two (4) + Show the answer
    # Three more words (6) + a link (2)
    assert chapterinfo.reading_words(text) == 19


def test_the_quizzes_section_of_the_instructor_guide_exists() -> None:
    assert chapterinfo.guide_anchor(ROOT) == "the-quizzes"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the toc, the chapter list and the quizzes, to break one at a time."""
    for name in ("_toc.yml", "book/chapters.yml", "quizzes/quizzes.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _problems(root: Path) -> str:
    with pytest.raises(BuildError) as caught:
        chapterinfo.load_prerequisites(root)
    return str(caught.value)


def test_bad_yaml_gives_a_clear_error(course: Path) -> None:
    path = course / "book" / "chapters.yml"
    path.write_text("book/frameworks/framework:\n  prerequisites: [book/intro\n")
    message = _problems(course)
    assert "book/chapters.yml is not valid YAML" in message
    assert re.search(r"book/chapters\.yml:\d+", message) and "How to fix" in message


def test_unknown_and_later_pages_are_reported_with_their_lines(course: Path) -> None:
    path = course / "book" / "chapters.yml"
    path.write_text(
        "book/frameworks/framework:\n"
        "  prerequisites: [book/frameworks/no-such-page]\n"
        "book/foundations/historical-context:\n"
        "  prerequisites: [book/conclusion/conclusion]\n"
        "book/no/chapter:\n"
        "  prerequisites: []\n"
        "book/frameworks/impact:\n"
        "  needs: [book/intro]\n"
    )
    message = _problems(course)
    assert "3 problem(s)" in message or "4 problem(s)" in message
    assert "book/chapters.yml:2: 'book/frameworks/no-such-page'" in message
    assert "book/chapters.yml:3: 'book/conclusion/conclusion' does not come before" in message
    assert "book/chapters.yml:5: 'book/no/chapter' is not a page of _toc.yml" in message
    assert "book/chapters.yml:7: 'book/frameworks/impact' must have exactly one key" in message


def test_a_missing_file_or_chapter_entry_says_what_to_add(course: Path) -> None:
    path = course / "book" / "chapters.yml"
    path.write_text("book/frameworks/framework:\n  prerequisites: [book/intro]\n")
    (course / "book" / "frameworks").mkdir(parents=True)
    (course / "book" / "frameworks" / "impact.md").write_text("# Impact\n")
    with pytest.raises(BuildError, match="has no entry for 'book/frameworks/impact'") as caught:
        chapterinfo.chapter_info(course, "book/frameworks/impact", questions=5)
    assert "prerequisites: [...]" in str(caught.value)
    path.unlink()
    assert "book/chapters.yml is missing" in _problems(course)


def test_a_chapter_without_a_quiz_is_an_error(course: Path) -> None:
    (course / "book" / "frameworks").mkdir(parents=True)
    (course / "book" / "frameworks" / "impact.md").write_text("# Impact\n")
    (course / "quizzes" / "quizzes.yml").write_text("other:\n  title: Other\n  chapters: []\n")
    with pytest.raises(BuildError, match="No graded quiz covers 'book/frameworks/impact'"):
        chapterinfo.chapter_info(course, "book/frameworks/impact", questions=5)


def test_the_built_page_shows_the_aside(built_html: Path) -> None:
    from bs4 import BeautifulSoup

    for page in PAGES:
        html = (built_html / docname(page)).with_suffix(".html")
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        aside = soup.select_one("aside.peaceops-chapterinfo")
        assert aside is not None, f"{html.name}: no chapter information"
        heading = aside.select_one('[role="heading"]')
        assert heading and aside["aria-labelledby"] == heading["id"]
        terms = [dt.get_text(strip=True) for dt in aside.select("dt")]
        assert terms[:3] == ["Study time", "Read first", "Practice"]
        assert re.match(r"About \d+ minutes", aside.select("dd")[0].get_text(strip=True))
        for link in aside.select("a[href]"):
            target = (html.parent / link["href"].split("#")[0]).resolve()
            assert target.is_file(), f"{html.name}: broken link {link['href']}"
        assert any(a["href"].endswith("instructor-guide.html#the-quizzes")
                   for a in aside.select("a[href]"))  # fmt: skip
        guide = (built_html / "book" / "reference" / "instructor-guide.html").read_text()
        assert 'id="the-quizzes"' in guide
