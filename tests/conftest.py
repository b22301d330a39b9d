"""Shared fixtures: the course root, the shared course material, one strict build, and one
Chromium with the built site served locally (see browser.py)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser import CHROMIUM, FLAGS, serve

from peaceops import book
from peaceops.course import toc as course_toc
from peaceops.course.pages import Page, read_page

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "course"


def shared_file(name: str) -> Path:
    """A file of ../shared/course; fail (not skip) when it is missing."""
    path = SHARED / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: the tests need ../shared/course beside the checkout")
    return path


def outline_pages() -> list[tuple[str, str]]:
    """(part, source heading) for each page of OUTLINE.md's section map, in order."""
    rows = []
    for line in shared_file("OUTLINE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2][:1].isdigit():
            heading = re.sub(r"\s*\(untitled[^)]*\)$", "", cells[1])
            rows.append((cells[0], heading))
    return rows


def toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_parts() -> list[tuple[str, list[Path]]]:
    """(caption, page files) for each part of the toc."""
    parts = []
    for part in toc().get("parts", []):
        files = [course_toc.page_path(ROOT, ch["file"]) for ch in part.get("chapters", [])]
        parts.append((part["caption"], files))
    return parts


def outline_parts() -> list[str]:
    """The parts of OUTLINE.md's section map, in order."""
    return list(dict.fromkeys(part for part, _ in outline_pages()))


def chapter_pages() -> list[Page]:
    """Every page of the outline's parts (the source's sections), in reading order."""
    parts = set(outline_parts())
    return [
        read_page(p)
        for caption, files in toc_parts()
        if caption in parts
        for p in files
        if p is not None
    ]


def reference_pages() -> list[Page]:
    """The pages of the toc's parts beyond the outline (glossary, bibliography, ...)."""
    parts = set(outline_parts())
    return [
        read_page(p)
        for caption, files in toc_parts()
        if caption not in parts
        for p in files
        if p is not None
    ]


def anatomy_pages() -> list[Page]:
    """Pages held to the full chapter anatomy: chapters, and reference pages that teach."""
    return chapter_pages() + [p for p in reference_pages() if p.section("Learning objectives")]


def source_headings() -> list[str]:
    """The page titles of OUTLINE.md after the Introduction (the root page), in order."""
    return [h for _, h in outline_pages()][1:]


def headed_sections() -> list[str]:
    """The headed sections of the source essay (the untitled Conclusion excluded)."""
    return [h for h in source_headings() if h != "Conclusion"]


def make_mini_book(folder: Path, pages: dict[str, str], toc_text: str) -> Path:
    """A small book in ``folder`` with the course's own configuration and static files."""
    shutil.copy(ROOT / "_config.yml", folder)
    shutil.copy(ROOT / "references.bib", folder)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for static in config["sphinx"]["config"]["html_static_path"]:
        shutil.copytree(ROOT / static, folder / static)
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "_toc.yml").write_text(toc_text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built_html() -> Path:
    """Build the real book strictly once per test session; return its HTML folder."""
    try:
        result = book.build(ROOT)
    except book.BuildError as err:
        pytest.fail(f"the strict build failed:\n{err}")
    return result.html_dir


def make_quiz_course(folder: Path) -> Path:
    """A course root in ``folder`` with the real bank, data, toc and nbgrader course files."""
    from peaceops.grading.workflow import copy_course

    return copy_course(ROOT, folder)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"no browser at {CHROMIUM}: install it with 'apt-get install chromium'"
        if os.environ.get("CI") or os.environ.get("PEACEOPS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(built_html: Path) -> Iterator[str]:
    server, url = serve(built_html)
    yield url
    server.shutdown()
