"""The reference pages: a generated glossary that chapters link to, and a bibliography."""

from __future__ import annotations

import re

from conftest import ROOT, anatomy_pages

from peaceops.book import glossary


def test_glossary_is_current() -> None:
    """The committed glossary is exactly what the chapters' key terms generate."""
    assert glossary.is_current(ROOT), "book/reference/glossary.md is stale: run peaceops glossary"


def test_every_key_term_links_to_the_glossary() -> None:
    for page in anatomy_pages():
        lines = page.section("Key terms").splitlines()
        titles = [lines[i] for i in range(len(lines) - 1) if lines[i + 1].startswith(": ")]
        assert titles, f"{page.path.name}: no key terms"
        for title in titles:
            assert re.fullmatch(r"\{term\}`[^`]+`", title.strip()), (
                f"{page.path.name}: key term '{title}' does not link to the glossary"
            )


def test_glossary_keeps_the_first_definition_and_lists_every_page() -> None:
    terms = {t.name.lower(): t for t in glossary.collect(ROOT)}
    assert len(terms) >= 20
    regional = terms["regional arrangement"]
    assert len(regional.pages) >= 2 and regional.definition
    assert "Taught in" in glossary.render(list(terms.values()))


def test_key_terms_parser_reads_roles_and_continuation_lines() -> None:
    text = "{term}`Mandate`\n: The tasks a body gives\n  an operation.\n\nPlain term\n: Defined.\n"
    assert glossary.key_terms(text) == [
        ("Mandate", "The tasks a body gives an operation."),
        ("Plain term", "Defined."),
    ]
