"""Each chapter has an exercise page in the book that asks every practice question."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import ROOT, chapter_pages

from peaceops import bank


def test_every_chapter_has_its_exercise_page_as_a_section_and_links_to_it() -> None:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    sections = {
        ch["file"]: [s["file"] for s in ch.get("sections", [])]
        for part in toc["parts"]
        for ch in part["chapters"]
    }
    practised = bank.by_chapter(bank.load_bank())
    for page in chapter_pages():
        chapter = str(page.path.relative_to(ROOT).with_suffix(""))
        stem = page.path.stem
        assert chapter in practised, f"{chapter}: no practice question in questions/"
        assert sections[chapter] == [f"book/exercises/{stem}"], (
            f"{chapter}: its exercise page book/exercises/{stem} must be its section in _toc.yml"
        )
        text = (ROOT / "book" / "exercises" / f"{stem}.md").read_text(encoding="utf-8")
        assert re.search(rf"```{{exercises}} {re.escape(chapter)}\n```", text), (
            f"book/exercises/{stem}.md must ask the questions of {chapter}"
        )
        assert f"</notebooks/{stem}.ipynb>" in text, f"{stem}: no download of its notebook"
        assert f"</book/exercises/{stem}>" in page.text, f"{stem}: no link to its exercises"


def test_exercise_pages_ask_every_practice_question_once(built_html: Path) -> None:
    from bs4 import BeautifulSoup

    for chapter, questions in bank.by_chapter(bank.load_bank()).items():
        stem = chapter.rsplit("/", 1)[-1]
        page = built_html / "book" / "exercises" / f"{stem}.html"
        if not page.is_file():  # a scenario page asks its decision points itself
            page = built_html / f"{chapter}.html"
        html = page.read_text(encoding="utf-8")
        asked = [s["data-question-id"] for s in
                 BeautifulSoup(html, "html.parser").select("[data-question-id]")]  # fmt: skip
        assert asked == [q.id for q in questions], f"{stem}: the page must ask its questions"


def test_the_progress_page_lists_every_chapter_and_question(built_html: Path) -> None:
    import json

    from bs4 import BeautifulSoup

    html = (built_html / "book" / "reference" / "progress.html").read_text(encoding="utf-8")
    script = BeautifulSoup(html, "html.parser").select_one("script.pq-manifest")
    manifest = json.loads(script.string)
    practised = bank.by_chapter(bank.load_bank())
    assert [c["id"] for c in manifest["chapters"]] == list(practised)
    for chapter in manifest["chapters"]:
        assert [q["id"] for q in chapter["questions"]] == [q.id for q in practised[chapter["id"]]]
        assert (built_html / "book" / "reference" / chapter["url"]).resolve().is_file()
