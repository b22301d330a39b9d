"""The whole book as one PDF and one EPUB (``peaceops package pdf|epub``).

The PDF's text is read with poppler's ``pdftotext`` and ``pdfinfo`` (Debian's
poppler-utils; pypdf is not in uv.lock). Slow: each format is a Sphinx build of the book.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from peaceops import bank
from peaceops.book import chromium_print, package
from peaceops.book.sphinx.selfcheck import pick
from peaceops.course.pages import read_page
from peaceops.course.toc import page_path

pytestmark = pytest.mark.slow


def _flat(text: str) -> str:
    """Text with ligatures undone and all white space one space (a PDF wraps lines)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def chapters() -> list[tuple[str, str]]:
    """Every chapter of the toc (not its exercise pages): docname and heading."""
    found = []
    for _, names in package._chapters(ROOT):
        for name in names:
            path = page_path(ROOT, name)
            assert path is not None, name
            found.append((name, read_page(path).heading))
    return found


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book as one PDF (printed once for the module)."""
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.skip(f"no {tool}: apt-get install poppler-utils")
    if not chromium_print.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {chromium_print.CHROMIUM}")
    return package.package_pdf(ROOT, tmp_path_factory.mktemp("pdf") / "book.pdf")


def pdf_pages(pdf: Path, *options: str) -> list[str]:
    """The PDF's text, page by page (``-layout`` keeps columns apart)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.split("\f")[:pages]


@pytest.fixture(scope="module")
def pdf_text(pdf_file: Path) -> tuple[str, list[str]]:
    """The PDF's text, whole and page by page."""
    pages = pdf_pages(pdf_file)
    return "\f".join(pages), pages


def test_the_pdf_has_a_contents_page_and_every_chapter_numbered(pdf_text) -> None:
    text, pages = pdf_text
    assert len(pages) > 50
    contents = next(p for p in pages[:4] if p.lstrip().startswith("Contents"))
    flat_contents, flat = _flat(contents), _flat(text)
    for number, (name, heading) in enumerate(chapters(), start=1):
        assert f"{number}. {_flat(heading)}" in flat_contents, name  # numbered, in the contents
        assert flat.count(_flat(heading)) >= 2, name  # and as the chapter's own title
    assert re.search(r"Fig\. \d+\.\d+ ", flat)  # figures are numbered by chapter
    assert "Check Show answer Try again" not in flat  # the web page's buttons
    printed = (ROOT / package.PACKAGE_WORK / "singlehtml").rglob("print.html")
    page = next(printed).read_text(encoding="utf-8")
    assert "<button" not in page and "<script" not in page and "<input" not in page


def test_every_page_is_numbered_and_the_contents_give_each_chapters_page(
    pdf_text, pdf_file: Path
) -> None:
    """A reader of the printed book finds a chapter by the contents' number and the
    number at the foot of the page."""
    _, pages = pdf_text
    lines = [{line.strip() for line in p.splitlines()} for p in pages]
    unnumbered = [n for n, page in enumerate(lines, start=1) if str(n) not in page]
    assert not unnumbered, f"pages with no number at their foot: {unnumbered[:10]}"
    laid_out = pdf_pages(pdf_file, "-layout", "-l", "4")
    contents = next(p for p in laid_out if p.lstrip().startswith("Contents"))
    listed = dict(re.findall(r"^\s*(\d+)\. .*?\s{2,}(\d+)\s*$", contents, re.M))
    for number, (name, heading) in enumerate(chapters(), start=1):
        title = f"{number}. {_flat(heading)}"
        assert str(number) in listed, f"{name}: no page number in the contents"
        page = int(listed[str(number)])
        assert _flat(pages[page - 1]).startswith(title), f"{name} does not start on page {page}"


def test_the_pdf_prints_each_self_check_with_its_answer_at_the_chapters_end(pdf_text) -> None:
    flat = _flat(pdf_text[0])
    by_chapter = bank.by_chapter(bank.load_bank(ROOT / "questions", ROOT))
    name, heading = chapters()[0]
    first = pick(by_chapter[name], 3)[0]
    start = flat.index(_flat(heading), flat.index(_flat(heading)) + 1)  # after the contents
    asked = flat.index(f"Question 1. {_flat(first.prompt)}", start)
    answers = flat.index("Answers", asked)
    if first.type == "single":
        assert _flat(str(first.answer)) in flat[answers : answers + 2000]
    assert _flat(first.explanation)[:80] in flat[answers : answers + 4000]
    next_chapter = flat.index(_flat(chapters()[1][1]), answers)
    assert asked < answers < next_chapter


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package.package_epub(ROOT, tmp_path_factory.mktemp("epub") / "book.epub")


def test_the_epub_is_a_valid_zip_with_every_chapter_and_nothing_remote(epub: Path) -> None:
    with zipfile.ZipFile(epub) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[0] == "mimetype" and archive.read("mimetype") == b"application/epub+zip"
        container = archive.read("META-INF/container.xml").decode("utf-8")
        opf_name = re.search(r'full-path="([^"]+)"', container).group(1)
        opf = archive.read(opf_name).decode("utf-8")
        ET.fromstring(opf)
        spine = re.findall(r'<itemref idref="([^"]+)"', opf)
        manifest = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
        in_order = [manifest[i] for i in spine]
        for name, _ in chapters():
            assert f"{name}.xhtml" in in_order, name
        assert package.check_epub(epub) == []  # and no remote resource
        chapter = archive.read(f"{chapters()[0][0]}.xhtml").decode("utf-8")
        ET.fromstring(chapter)  # well-formed XHTML
        assert "pq-print" in chapter and "pq-answers" in chapter
        assert "<script" not in chapter and "<button" not in chapter
