"""The whole book as one PDF or one EPUB, for reading offline and on paper.

``peaceops package pdf`` builds the book with Sphinx's own ``singlehtml`` builder, turns
that page into a printable one (a title page, the contents, the parts; no scripts, no
navigation) and prints it with Debian's Chromium (:mod:`peaceops.book.chromium_print`: a page number
in every footer; the contents get their page numbers in a second print, found with
poppler's ``pdftotext`` when it is installed);
``peaceops package epub`` builds it with Sphinx's ``epub`` builder. Nothing is fetched:
Chromium resolves no host name while it prints, and the EPUB is checked for remote
resources.

Both builds run in a child process (``python -m peaceops.book.package ROOT OUT BUILDER``)
with the book's own configuration (:func:`peaceops.book.runner.sphinx_config`), the
notebook execution cache of ``peaceops build``, and three changes for print:

- the chapters are numbered (every toctree of ``_toc.yml`` is numbered, as with
  ``numbered: true``), so are sections and figures;
- the questions answered in a web page (the page contract's ``data-question-id``
  elements) become printed questions: the prompt, what to do, the options to tick or the
  space to write, and no button; their answers and explanations are collected at the end
  of each chapter (and of each exercise page) under "Answers";
- no page script is included.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import yaml

from peaceops.book.chromium_print import print_pdf
from peaceops.course.problems import BuildError, Problem
from peaceops.course.toc import find_root

#: Where the packages are written, relative to the project root.
DIST_DIR = Path("dist")
#: The packages' file name, without its suffix.
NAME = "peaceops"
#: Where the package builds work, relative to the project root.
PACKAGE_WORK = Path("_build") / ".package"
#: The notebook execution cache of ``peaceops build`` (see :mod:`peaceops.book.builder`).
EXECUTION_CACHE = Path("_build") / ".work" / "_build" / ".jupyter_cache"
QUESTION_ID = re.compile(r'data-question-id="([^"]+)"')
PRINT_INSTRUCTIONS = {
    "single": "Choose one option.",
    "decision": "Decide: choose the course of action you would take.",
    "multiple": "Tick every right option: one, several or all of them.",
    "matching": "Match every item on the left with one of the lettered choices.",
    "ordering": "Number the events from 1 (the earliest).",
    "numeric": "Write a number.",
    "date": "Write a date as YYYY-MM-DD.",
    "data": "Count the rows of the course's '{table}' table that the question describes "
    "(the web version of the book filters the table for you).",
    "written": "Write your answer; then mark it with the mark scheme given with the answers.",
}


# -- the questions, as printed --------------------------------------------------------


def _practice(root: Path) -> tuple[dict[str, Any], dict]:
    from peaceops import bank, data

    questions = bank.load_bank(root / "questions", root)
    return {q.id: q for q in questions if q.use == "practice"}, data.load_all()


def _para(*parts: Any, classes: list[str] | None = None) -> Any:
    from docutils import nodes

    node = nodes.paragraph(classes=classes or [])
    for part in parts:
        node += part if isinstance(part, nodes.Node) else nodes.Text(str(part))
    return node


def _bullets(lines: list[str], classes: list[str]) -> Any:
    from docutils import nodes

    items = nodes.bullet_list(classes=classes)
    for line in lines:
        items += nodes.list_item("", _para(line))
    return items


def printed_question(question: Any, number: int) -> Any:
    """One question as printed: prompt, what to do, and where to answer; no button."""
    from docutils import nodes

    from peaceops.bank.dates import precision_note
    from peaceops.exercises import web

    kind = "decision" if question.decision else question.type
    box = nodes.container(classes=["pq-print", f"pq-print-{kind}"], ids=[f"pq-print-{question.id}"])
    box += _para(nodes.strong(text=f"Question {number}. "), question.prompt, classes=["pq-prompt"])
    note = precision_note(question) if question.type == "date" else ""
    doing = PRINT_INSTRUCTIONS[kind].format(table=question.table)
    box += _para(" ".join(filter(None, [doing, note])), classes=["pq-instruction"])
    mark = "\u25cb" if question.type == "single" else "\u2610"  # a circle, a box
    if question.type in ("single", "multiple"):
        box += _bullets([f"{mark} {o}" for o in question.shuffled_options()], ["pq-options"])
    elif question.type == "matching":
        choices = web.matching_choices(question)
        box += _bullets([f"{left}  \u2192 ____" for left in question.pairs], ["pq-options"])
        box += _bullets([f"{chr(65 + n)}. {c}" for n, c in enumerate(choices)], ["pq-choices"])
    elif question.type == "ordering":
        box += _bullets([f"____ {item}" for item in web.shown_items(question)], ["pq-options"])
    elif question.type in ("numeric", "date", "data"):
        unit = f" ({question.unit})" if question.unit else ""
        box += _para(f"Answer{unit}: ______________________", classes=["pq-blank"])
    else:
        box += _para(f"Your answer ({question.marks} points):", classes=["pq-blank"])
        box += nodes.container(classes=["pq-lines"])
    return box


def answer_text(question: Any, tables: dict) -> str:
    """The answer of a question in words."""
    from peaceops.exercises import web

    if question.type == "single":
        return str(question.answer)
    if question.type == "multiple":
        return "; ".join(str(a) for a in question.answer)
    if question.type == "matching":
        choices = web.matching_choices(question)
        letter = {c: chr(65 + n) for n, c in enumerate(choices)}
        return "; ".join(f"{left} \u2192 {letter[right]} ({right})"
                         for left, right in question.pairs.items())  # fmt: skip
    if question.type == "ordering":
        return "; ".join(f"{n}. {item}" for n, item in enumerate(question.items, start=1))
    if question.type == "numeric":
        unit = f" {question.unit}" if question.unit else ""
        within = f" (within {question.tolerance:g})" if question.tolerance else ""
        return f"{question.answer:g}{unit}{within}"
    if question.type == "date":
        return str(question.answer)
    if question.type == "data":
        return f"{web.data_count(question, tables)} rows"
    return "Mark scheme: " + "; ".join(
        f"{c.criterion} ({c.points} point{'s' if c.points != 1 else ''})"
        for c in question.mark_scheme
    )


def answers_block(answered: list[tuple[int, Any]], tables: dict) -> Any:
    """The answers of a chapter's questions, with their explanations."""
    from docutils import nodes

    box = nodes.container(classes=["pq-answers"])
    box += nodes.rubric(text="Answers")
    items = nodes.bullet_list(classes=["pq-answer-list"])
    for number, question in answered:
        entry = nodes.list_item()
        entry += _para(nodes.strong(text=f"Question {number}. "), answer_text(question, tables))
        if question.explanation:
            entry += _para(question.explanation, classes=["pq-explanation"])
        items += entry
    box += items
    return box


def _walk(node: Any, unit: Any) -> Any:
    """Each raw node under ``node`` with its parent and its chapter: the nearest included
    file (singlehtml), else the page. Follows ``children`` only: singlehtml moves a page's
    nodes into its ``start_of_file`` node without updating their ``parent``."""
    from docutils import nodes
    from sphinx import addnodes

    for child in list(node.children):
        if isinstance(child, nodes.raw):
            yield child, node, unit
        elif isinstance(child, nodes.Element):
            yield from _walk(child, child if isinstance(child, addnodes.start_of_file) else unit)


def _contains_file(node: Any) -> bool:
    from docutils import nodes
    from sphinx import addnodes

    if isinstance(node, addnodes.start_of_file):
        return True
    return isinstance(node, nodes.Element) and any(_contains_file(c) for c in node.children)


def _end_of_own_text(unit: Any) -> tuple[Any, int]:
    """Where a chapter's own text ends: before the first page included in it, else at
    the end of its first section."""
    from docutils import nodes

    section = next((c for c in unit.children if isinstance(c, nodes.section)), unit)
    for index, child in enumerate(section.children):
        if _contains_file(child):
            return section, index
    return section, len(section.children)


def _put(parent: Any, old: Any, new: Any) -> None:
    parent.children[parent.children.index(old)] = new
    new.parent = parent


def print_questions(doctree: Any, questions: dict[str, Any], tables: dict) -> int:
    """Replace the answerable questions of a resolved doctree with printed ones, and add
    each chapter's answers; return how many questions were printed."""
    from docutils import nodes

    by_unit: dict[int, tuple[Any, list[tuple[int, Any]]]] = {}
    for raw, parent, unit in list(_walk(doctree, doctree)):
        text = raw.astext()
        if text.lstrip().startswith("<script"):  # a page script (sphinx-thebe's): no use here
            parent.children.remove(raw)
            continue
        if 'id="peaceops-progress"' in text:
            note = "The Progress page keeps a learner's record in the web version of the book."
            _put(parent, raw, _para(note, classes=["pq-instruction"]))
            continue
        ids = QUESTION_ID.findall(text)
        if not ids:
            continue
        answered = by_unit.setdefault(id(unit), (unit, []))[1]
        box = nodes.container(classes=["pq-printed"])
        for qid in ids:
            if qid in questions:
                answered.append((len(answered) + 1, questions[qid]))
                box += printed_question(questions[qid], len(answered))
        _put(parent, raw, box)
    for unit, answered in by_unit.values():
        section, index = _end_of_own_text(unit)
        block = answers_block(answered, tables)
        section.children.insert(index, block)
        block.parent = section
    return sum(len(answered) for _, answered in by_unit.values())


# -- the child process: one Sphinx build --------------------------------------------


def _number_every_toctree(app: Any, config: Any) -> None:
    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return
    for subtree in site_map.root.subtrees:  # the parts; numbering reaches every level below
        subtree.numbered = True


def run(root: Path, out: Path, builder: str) -> int:
    """Build ``root`` with ``builder`` (singlehtml or epub) into ``out``; 0 when it built."""
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from peaceops.book.runner import _multitoc_numbering, sphinx_config

    nocolor()
    config = sphinx_config(root)
    config["nb_execution_cache_path"] = str(root / EXECUTION_CACHE)
    book = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    title, author = book.get("title", NAME), book.get("author", "")
    if builder == "epub":
        config.update(epub_basename=NAME, epub_title=title, epub_author=author,
                      epub_publisher=author, epub_copyright=book.get("copyright", ""),
                      epub_show_urls="no", epub_use_index=False, templates_path=[],
                      html_js_files=[], epub_exclude_files=["search.html"],
                      version=time.strftime("%Y-%m-%d"))  # fmt: skip
    questions, tables = _practice(root)

    def printed(app: Any, doctree: Any, docname: str) -> None:
        print_questions(doctree, questions, tables)

    def no_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
        context["script_files"] = []

    with patch_docutils(None), docutils_namespace():
        doctrees = out.parent / f".{builder}-doctrees"
        app = Sphinx(srcdir=root, confdir=None, outdir=out, doctreedir=doctrees,
                     buildername=builder, confoverrides=config, status=sys.stdout,
                     warning=sys.stderr, freshenv=False, parallel=1)  # fmt: skip
        _number_every_toctree(app, app.config)
        _multitoc_numbering(app)
        app.connect("doctree-resolved", printed)
        app.connect("html-page-context", no_scripts, priority=900)
        app.build(False, [])
        return app.statuscode


def main(argv: list[str] | None = None) -> int:
    """The child process's entry point: ``ROOT OUT BUILDER``."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  (see runner)
    root, out, builder = list(sys.argv[1:] if argv is None else argv)
    return run(Path(root).resolve(), Path(out).resolve(), builder)


def _build(root: Path, builder: str, progress: Any) -> Path:
    out = root / PACKAGE_WORK / builder
    progress(f"building the book with Sphinx's {builder} builder (in {out})")
    proc = subprocess.run([sys.executable, "-m", "peaceops.book.package", str(root), str(out),
                           builder], cwd=root, capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        fix = "Run 'peaceops build' to see what to fix."
        raise BuildError(
            f"Sphinx's {builder} build of the book failed.", [Problem("(book)", None, tail, fix)]
        )
    return out


# -- the PDF --------------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm; }
html, body { background: #fff; }
body { font-size: 11pt; margin: 0; }
.pk-title { page-break-after: always; text-align: center; padding-top: 70mm; }
.pk-title h1 { font-size: 26pt; } .pk-title p { font-size: 12pt; }
.pk-contents { page-break-after: always; }
.pk-contents ol { list-style: none; padding-left: 0; }
.pk-contents li.pk-part { font-weight: bold; margin-top: 1em; }
.pk-contents li.pk-chapter { margin-left: 1.5em; }
.pk-contents a { color: inherit; text-decoration: none; display: flex; gap: 0.4em; }
.pk-contents .pk-leader { flex: 1; border-bottom: 1px dotted #888; margin-bottom: 0.35em; }
.pk-part-title { page-break-before: always; page-break-after: always; padding-top: 80mm;
                 text-align: center; font-size: 22pt; font-weight: bold; }
.pk-chapter-start { page-break-before: always; }
a.headerlink, .toggle-button, .copybtn, button, .pq-feedback { display: none !important; }
figure, img, table, .pq-print { page-break-inside: avoid; }
img { max-width: 100%; }
.pq-print { border: 1px solid #999; padding: 0.5em 0.8em; margin: 0.8em 0; }
.pq-print ul { list-style: none; padding-left: 0.5em; }
.pq-lines { height: 6em; border-bottom: 1px dotted #999; }
.pq-answers { border-top: 2px solid #333; margin-top: 2em; page-break-before: always; }
.pq-answer-list { list-style: none; padding-left: 0; }
.pq-explanation { margin-left: 1.5em; font-size: 10pt; }
"""


def _chapters(root: Path) -> list[tuple[str, list[str]]]:
    """The toc's parts: (caption, chapter docnames)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [(part.get("caption", ""), [c["file"] for c in part.get("chapters", []) if "file" in c])
            for part in toc.get("parts", [])]  # fmt: skip


def print_page(root: Path, singlehtml: Path) -> Path:
    """A printable page from the singlehtml build: title page, contents, the parts and
    chapters (each on a new page), the book's styles, no script and no navigation."""
    from bs4 import BeautifulSoup

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    master = singlehtml / f"{toc['root']}.html"
    page = BeautifulSoup(master.read_text(encoding="utf-8"), "html.parser")
    article = page.select_one("article.bd-article") or page.select_one("[role=main]") or page.body
    book = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    links = page.find_all("link", rel="stylesheet")
    remote = ("http:", "https:", "//")
    styles = "".join(str(a) for a in links if not str(a.get("href", "")).startswith(remote))
    contents = []
    for caption, chapters in _chapters(root):
        if not chapters:
            continue
        anchor = article.find(id=f"document-{chapters[0]}")
        if anchor is None:
            continue
        part_id = "part-" + re.sub(r"\W+", "-", caption.lower()).strip("-")
        divider = page.new_tag("div", attrs={"class": "pk-part-title", "id": part_id})
        divider.string = caption
        anchor.insert_before(divider)
        contents.append(f'<li class="pk-part"><a href="#{part_id}">{html.escape(caption)}</a></li>')
        for index, chapter in enumerate(chapters):
            mark = article.find(id=f"document-{chapter}")
            heading = mark.find_next(re.compile(r"^h[1-6]$")) if mark else None
            if heading is None:
                continue
            if index:
                mark.insert_before(page.new_tag("div", attrs={"class": "pk-chapter-start"}))
            text = " ".join(heading.get_text(" ", strip=True).replace("#", "").split())
            contents.append(f'<li class="pk-chapter"><a href="#document-{chapter}">'
                            f"{html.escape(text)}</a></li>")  # fmt: skip
    title = html.escape(book.get("title", NAME))
    text = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{styles}<style>{PRINT_CSS}</style></head><body>"
        f'<section class="pk-title"><h1>{title}</h1><p>{html.escape(book.get("author", ""))}</p>'
        f"<p>\u00a9 {html.escape(str(book.get('copyright', '')))}</p></section>"
        f'<nav class="pk-contents"><h1>Contents</h1><ol>{"".join(contents)}</ol></nav>'
        f"<main>{article.decode_contents()}</main></body></html>"
    )
    text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S | re.I)
    out = master.with_name("print.html")  # beside the page: its images' paths still work
    out.write_text(text, encoding="utf-8")
    return out


def remote_resources(text: str) -> list[str]:
    """Every resource a page or file would load from another host (links to follow aside)."""
    tags = r"<(?:img|script|link|iframe|source|video|audio|object|embed)\b[^>]*?"
    found = re.findall(tags + r"""(?:src|href|data)=["']((?:https?:)?//[^"']+)""", text, re.I)
    found += re.findall(r"""url\(\s*["']?((?:https?:)?//[^)"']+)""", text, flags=re.I)
    found += re.findall(r"""@import\s+["']((?:https?:)?//[^"']+)""", text, flags=re.I)
    return found


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


#: An entry of the printable page's contents, with its page number if it has one.
_ENTRY = re.compile(
    r'(<li class="pk-(?:part|chapter)"><a href="#([^"]+)">)(.*?)'
    r'(?:<span class="pk-leader"></span><span class="pk-page">\d*</span>)?(</a>)'
)


def heading_pages(page: Path, pdf: Path) -> dict[str, int]:
    """The page of the PDF on which each entry of the contents starts (by its anchor):
    the first page, after the one before, whose text begins with the entry's title.
    Read with poppler's ``pdftotext``."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = [_flat(p) for p in text.split("\f")]
    found: dict[str, int] = {}
    at = 1
    for _, anchor, title, _ in _ENTRY.findall(page.read_text(encoding="utf-8")):
        probe = _flat(html.unescape(title))[:60]
        for number in range(at, len(pages)):
            if pages[number].startswith(probe):
                found[anchor] = number + 1
                at = number + 1
                break
    return found


def number_contents(page: Path, numbers: dict[str, int]) -> bool:
    """Write each entry's page number into the printable page's contents, with a dotted
    leader; return whether the page changed."""
    text = page.read_text(encoding="utf-8")

    def numbered(entry: re.Match) -> str:
        opening, anchor, title, closing = entry.groups()
        number = numbers.get(anchor, "")
        return (f'{opening}{title}<span class="pk-leader"></span>'
                f'<span class="pk-page">{number}</span>{closing}')  # fmt: skip

    new = _ENTRY.sub(numbered, text)
    if new != text:
        page.write_text(new, encoding="utf-8")
    return new != text


def package_pdf(
    root: Path | None = None, out: Path | None = None, progress: Any = lambda _: None
) -> Path:
    """Write the whole book as one PDF (``dist/peaceops.pdf`` unless ``out`` says)."""
    root = find_root(root)
    singlehtml = _build(root, "singlehtml", progress)
    page = print_page(root, singlehtml)
    remote = remote_resources(page.read_text(encoding="utf-8"))
    if remote:
        raise BuildError(f"the printable page would load {len(remote)} remote resource(s): "
                         f"{', '.join(sorted(set(remote))[:5])}")  # fmt: skip
    progress("printing it with Chromium")
    pdf = print_pdf(page, out or root / DIST_DIR / f"{NAME}.pdf")
    if shutil.which("pdftotext") is None:
        progress("no pdftotext (apt-get install poppler-utils): the contents have no page numbers")
        return pdf
    for _ in range(3):  # numbers that move a page (they should not) are found again
        if not number_contents(page, heading_pages(page, pdf)):
            break
        progress("printing it again with the contents' page numbers")
        print_pdf(page, pdf)
    return pdf


# -- the EPUB -------------------------------------------------------------------------


def check_epub(path: Path) -> list[str]:
    """What is wrong with an EPUB (empty: nothing): the container, the package document
    and no remote resource."""
    problems = []
    with zipfile.ZipFile(path) as epub:
        names = set(epub.namelist())
        if epub.namelist()[0] != "mimetype" or epub.read("mimetype") != b"application/epub+zip":
            problems.append("the first entry is not the 'mimetype' file")
        if "META-INF/container.xml" not in names:
            return [*problems, "no META-INF/container.xml"]
        container = epub.read("META-INF/container.xml").decode("utf-8")
        opf = re.search(r'full-path="([^"]+)"', container)
        if not opf or opf.group(1) not in names:
            return [*problems, "container.xml names no package document in the file"]
        for name in sorted(names):
            if name.endswith((".xhtml", ".html", ".css", ".opf", ".ncx")):
                for url in remote_resources(epub.read(name).decode("utf-8", "replace")):
                    problems.append(f"{name} loads {url}")
    return problems


def package_epub(
    root: Path | None = None, out: Path | None = None, progress: Any = lambda _: None
) -> Path:
    """Write the whole book as one EPUB (``dist/peaceops.epub`` unless ``out`` says)."""
    root = find_root(root)
    built = _build(root, "epub", progress) / f"{NAME}.epub"
    problems = check_epub(built)
    if problems:
        raise BuildError(f"the EPUB is not right: {'; '.join(problems[:5])}")
    target = out or root / DIST_DIR / f"{NAME}.epub"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built, target)
    return target


if __name__ == "__main__":
    sys.exit(main())
