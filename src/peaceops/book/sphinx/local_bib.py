"""Sphinx extension: one reference list per page, even when pages cite the same work.

sphinxcontrib-bibtex warns about a duplicate citation when two pages' bibliographies
list the same entry, unless each page gives its citations and its bibliography a key
prefix of its own. Authors should not have to type that: they write
``{cite:p}`uncharter``` and a plain ``{bibliography}`` directive; on reading each page
this extension adds the page's own prefix to every citation key (in place, so build
errors still point at the right line), and its bibliography directive adds the matching
``:keyprefix:`` and ``:labelprefix:``.

Each entry of a reference list is written as a list item (``role="listitem"``) of the
``role="list"`` docutils wraps around it; docutils' own ``role="doc-biblioentry"`` is
deprecated in ARIA and leaves the list without list items (axe: aria-required-children).
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.directives import BibliographyDirective

#: Separates the page prefix from the key; stripped again in error messages.
SEPARATOR = "--"
_CITE = re.compile(r"(\{(?:foot)?cite(?::[a-z]+)?\}`)([^`]+)(`)")


def page_prefix(docname: str) -> str:
    """The key prefix of a page, e.g. ``book-frameworks-impact--``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-").lower() + SEPARATOR


def prefix_citations(text: str, prefix: str) -> str:
    """Add ``prefix`` to every citation key of a page's source (lines are unchanged)."""

    def cite(match: re.Match[str]) -> str:
        keys = ",".join(prefix + key.strip() for key in match.group(2).split(","))
        return match.group(1) + keys + match.group(3)

    return _CITE.sub(cite, text)


def label_prefix(prefix: str) -> str:
    """The label prefix of a page: its key prefix, unique per page (labels are not shown)."""
    return prefix


class PageBibliography(BibliographyDirective):
    """The bibliography directive, with the page's own key and label prefixes added."""

    def run(self):  # noqa: ANN201, D102
        prefix = page_prefix(self.state.document.settings.env.docname)
        self.options.setdefault("keyprefix", prefix)
        self.options.setdefault("labelprefix", label_prefix(prefix))
        return super().run()


class TitleCaseKeptStyle(PlainStyle):
    """pybtex's plain style, but titles keep the capitals they have in references.bib.

    The plain style lower-cases titles ("Just different hats? comparing UN ..."), which
    mangles the names of treaties, organisations and resolutions.
    """

    default_sorting_style = "author_year_title"

    def format_title(self, e, which_field, as_sentence=True):  # noqa: ANN001, D102
        title = field(which_field)
        return sentence[title] if as_sentence else title


def visit_citation(self, node: nodes.citation) -> None:
    """docutils' citation markup, with the entry's role made ``listitem``."""
    type(self).visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def depart_citation(self, node: nodes.citation) -> None:
    """Close the entry as docutils does."""
    type(self).depart_citation(self, node)


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    source[0] = prefix_citations(source[0], page_prefix(docname))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.setup_extension("sphinxcontrib.bibtex")
    register_plugin("pybtex.style.formatting", "peaceops", TitleCaseKeptStyle)
    app.add_directive("bibliography", PageBibliography, override=True)
    app.connect("source-read", _on_source_read)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
