"""The real book builds strictly, every citation resolves, and nothing loads remotely."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, chapter_pages

from peaceops.book.offline import RemoteLoad, is_remote, remote_loads
from peaceops.course.toc import toc_files

pytestmark = pytest.mark.slow


def html_of(built_html: Path, source: Path) -> BeautifulSoup:
    page = built_html / source.relative_to(ROOT).with_suffix(".html")
    assert page.is_file(), f"{page} was not built"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_every_toc_page_is_built(built_html: Path) -> None:
    for name in toc_files(ROOT):
        assert (built_html / f"{name}.html").is_file(), f"{name} missing from the build"
    assert (built_html / "index.html").is_file()


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.path.stem)
def test_built_page_shows_its_anatomy(built_html: Path, page) -> None:
    soup = html_of(built_html, page.path)
    assert soup.find("h1").get_text(" ", strip=True).startswith(page.heading)
    headings = [h.get_text(" ", strip=True).rstrip("#").strip() for h in soup.find_all("h2")]
    for required in ("Learning objectives", "Key terms", "Self-check", "Summary", "References"):
        assert required in headings, f"{page.path.name}: no '{required}' section in the HTML"
    assert soup.find("details"), f"{page.path.name}: the self-check answer is not a click-to-reveal"
    assert soup.find("table"), f"{page.path.name}: no table in the HTML"


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.path.stem)
def test_every_citation_links_to_its_reference(built_html: Path, page) -> None:
    """Each inline citation links to an entry of the page's own reference list."""
    soup = html_of(built_html, page.path)
    entries = {el.get("id") for el in soup.select(".citation [id], .citation[id]")}
    assert len(entries) >= len(page.citation_keys()), f"{page.path.name}: references missing"
    cites = soup.select("span.bibtex-citation, a.reference.internal[href*='#id']")
    assert cites, f"{page.path.name}: no rendered citation"
    for link in soup.select("a[href]:not([role=doc-backlink])"):
        href = link["href"]
        if href.startswith("#id"):
            assert href[1:] in entries, f"{page.path.name}: citation {href} has no entry"
    text = soup.get_text(" ")
    assert "[?]" not in text and "??" not in text


def test_no_remote_loads_in_the_built_book(built_html: Path) -> None:
    loads = remote_loads(built_html)
    assert not loads, "pages load from other hosts:\n" + "\n".join(map(str, loads))


def test_remote_load_scanner_is_not_blind(tmp_path: Path) -> None:
    """The scanner finds each kind of remote load, and ignores ordinary links."""
    (tmp_path / "p.html").write_text(
        '<script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="//cdn.example/y.css">'
        '<img srcset="a.png 1x, https://img.example/b.png 2x">'
        '<div style="background:url(https://img.example/c.png)"></div>'
        '<a href="https://example.org/">a link is not a load</a>'
        '<script src="_static/local.js"></script>'
    )
    (tmp_path / "s.css").write_text("@import 'https://fonts.example/f.css'; a{}")
    urls = {load.url for load in remote_loads(tmp_path)}
    assert urls == {
        "https://cdn.example/x.js",
        "//cdn.example/y.css",
        "https://img.example/b.png",
        "https://img.example/c.png",
        "https://fonts.example/f.css",
    }
    assert is_remote("HTTPS://X.ORG/a") and not is_remote("../_static/a.js")
    assert str(RemoteLoad("p.html", "script", "u")) == "p.html: <script> loads u"


def test_serve_prints_its_url_serves_the_book_and_stops_on_ctrl_c(built_html: Path) -> None:
    """The README's first command: `peaceops serve` builds, prints the URL, serves, stops."""
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("peaceops")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/book/intro.html") as response:
            assert response.status == 200
            assert "Who this course is for" in response.read().decode()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()


def test_bibliography_page_lists_every_work(built_html: Path) -> None:
    from pybtex.database import parse_file

    soup = BeautifulSoup(
        (built_html / "book/reference/bibliography.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    entries = parse_file(str(ROOT / "references.bib")).entries
    assert len(soup.select("div.citation")) == len(entries)


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.path.stem)
def test_key_terms_link_to_their_glossary_entries(built_html: Path, page) -> None:
    soup = html_of(built_html, page.path)
    glossary_html = (built_html / "book/reference/glossary.html").read_text(encoding="utf-8")
    links = soup.select("#key-terms a[href*='glossary.html#term-']")
    assert len(links) >= 3, f"{page.path.name}: key terms do not link to the glossary"
    for link in links:
        anchor = link["href"].split("#", 1)[1]
        assert f'id="{anchor}"' in glossary_html, f"{page.path.name}: {anchor} missing"


FIGURE_PAGES = {
    "book/foundations/historical-context": "fig-operations-timeline",
    "book/frameworks/major-alliances": "fig-membership-growth",
    "book/case-studies/un-regional": "fig-handover-chains",
}


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_data_figures_are_drawn_with_caption_alt_text_and_source(built_html: Path, name) -> None:
    soup = BeautifulSoup((built_html / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.find(id=FIGURE_PAGES[name])
    assert figure is not None, f"{name}: figure {FIGURE_PAGES[name]} missing"
    image = figure.find("img")
    assert image is not None and len(image.get("alt", "")) > 40, "no alt text"
    assert (built_html / name).parent.joinpath(image["src"]).resolve().is_file()
    caption = figure.find("figcaption").get_text(" ", strip=True)
    assert "Source:" in caption and "data/" in caption


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.path.stem)
def test_self_check_is_drawn_from_the_bank(built_html: Path, page) -> None:
    import json

    from peaceops import bank

    chapter = str(page.path.relative_to(ROOT).with_suffix(""))
    ids = {q.id for q in bank.by_chapter(bank.load_bank())[chapter]}
    soup = html_of(built_html, page.path)
    checks = soup.select("section#self-check [data-question-id]")
    assert len(checks) >= 2, f"{page.path.name}: no interactive self-check"
    for check in checks:
        key = json.loads(check.select_one("script.pq-key").string)
        assert key["id"] == check["data-question-id"] and key["id"] in ids and key["explanation"]
        buttons = [b.get_text() for b in check.select("button")]
        assert buttons == ["Check", "Show answer", "Try again"]


def test_lab_opens_the_exercises_in_jupyterlab(tmp_path: Path) -> None:
    """The live command: JupyterLab serves the exercise notebooks on localhost."""
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("peaceops")
    env = {**__import__("os").environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [str(exe), "lab", "--no-browser", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api") as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        proc.kill()


NOTEBOOK_PAGE = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# A page with code

The Charter {cite:p}`uncharter` allows it.

```{code-cell} python
print(6 * 7)
```

## References

```{bibliography}
:filter: docname in docnames
```
"""


@pytest.fixture
def talking_book(tmp_path: Path) -> Path:
    """A two-page book, one page a notebook, with the course's configuration."""
    from conftest import make_mini_book

    return make_mini_book(
        tmp_path,
        {"book/intro.md": "# Intro\n\nWelcome.\n", "book/code.md": NOTEBOOK_PAGE},
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/code\n",
    )


def run_build(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    from peaceops import cli

    assert cli.main(["build", "--root", str(root), *extra]) == 0
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_the_build_shows_its_progress_and_a_rebuild_does_nothing_twice(
    talking_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`peaceops build` says what it does with counts and elapsed time (issue 14)."""
    import re

    out = run_build(talking_book, capsys)
    assert "starting Sphinx, every page again" in out
    assert re.search(r"\[\s*\d+\.\d s\] reading 2 pages \(1 notebooks\)", out), out
    assert re.search(r"notebook 1/1 book/code: ran in \d+\.\d+ s", out), out
    assert "read 2 pages, ran 1 notebooks" in out
    assert "resolving references and bibliographies" in out
    assert re.search(r"writing pages \d+/\d+", out), out
    assert re.search(r"Built 2 pages in \d+\.\d s", out), out
    assert "WARNING" not in out and "Running Sphinx" not in out, "Sphinx's own output leaked"

    again = run_build(talking_book, capsys)
    assert "no page changed: nothing to read" in again
    assert "nothing to publish: _build/html is current" in again
    assert "writing pages" not in again

    verbose = run_build(talking_book, capsys, "--verbose")
    assert "Running Sphinx" in verbose, "--verbose shows Sphinx's own output"


def test_a_changed_reference_reaches_the_page_although_bibliographies_are_kept(
    talking_book: Path,
) -> None:
    """The kept bibliographies (book/sphinx/bibcache.py) are formatted again when the
    .bib file changes, and a citation still resolves on a rebuild."""
    from peaceops import book

    book.build(talking_book)
    page = talking_book / book.HTML_DIR / "book" / "code.html"
    assert "Charter of the United Nations" in page.read_text(encoding="utf-8")
    bib = talking_book / "references.bib"
    bib.write_text(
        bib.read_text().replace("Charter of the United Nations", "The UN Charter, as amended")
    )
    book.build(talking_book)
    html = page.read_text(encoding="utf-8")
    assert "The UN Charter, as amended" in html and "Charter of the United Nations" not in html
    assert "bibtex-citation" in html or 'class="reference internal"' in html


def test_a_page_that_left_the_book_leaves_the_site(talking_book: Path) -> None:
    """Sphinx keeps the output of a document whose source has gone; the published site
    must not: a learner would still find the old page and a search engine would index it."""
    from peaceops import book

    book.build(talking_book)
    site = talking_book / book.HTML_DIR
    assert (site / "book" / "code.html").is_file()
    (talking_book / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n")
    (talking_book / "book" / "code.md").unlink()
    book.build(talking_book)
    assert not (site / "book" / "code.html").exists(), "the removed page is still published"
    assert (site / "book" / "intro.html").is_file() and (site / "search.html").is_file()


def test_a_missing_field_warns_on_every_build(talking_book: Path) -> None:
    """A bibliography whose formatting warned is never kept: the strict build stays strict."""
    from peaceops import book

    bib = talking_book / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{nojournal2020,\n  author = {Doe, Jane},\n"
                   "  title = {No journal},\n  year = {2020}\n}\n")  # fmt: skip
    page = talking_book / "book" / "code.md"
    page.write_text(NOTEBOOK_PAGE.replace("{cite:p}`uncharter`", "{cite:p}`nojournal2020`"))
    for _ in range(2):
        with pytest.raises(book.BuildError) as failed:
            book.build(talking_book)
        assert any("journal" in p.message for p in failed.value.problems), failed.value
