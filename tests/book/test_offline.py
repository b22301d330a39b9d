"""In a real browser with every request to another host blocked, the book still works.

Drives Debian's chromium with Playwright. Pages are served from 127.0.0.1; any request
to another host is aborted and recorded, and so is any local request that fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import open_offline, serve
from conftest import ROOT, chapter_pages, make_mini_book

from peaceops import book
from peaceops.course.toc import toc_files

pytestmark = [pytest.mark.slow, pytest.mark.browser]

@pytest.mark.parametrize("name", toc_files(ROOT))
def test_page_loads_nothing_from_other_hosts(browser, site: str, name: str) -> None:
    page, visit = open_offline(browser, site + name + ".html")
    assert page.locator("article h1").first.is_visible()
    assert not visit.blocked, f"{name} tried to load from other hosts: {visit.blocked}"
    assert not visit.failed, f"{name} had failed requests: {visit.failed}"
    page.context.close()


@pytest.mark.parametrize("page_source", chapter_pages(), ids=lambda p: p.path.stem)
def test_self_check_reveals_its_answer_offline(browser, site: str, page_source) -> None:
    name = page_source.path.relative_to(ROOT).with_suffix(".html")
    page, visit = open_offline(browser, site + str(name))
    section = page.locator("section#self-check")
    answer = section.locator("details").first
    body = answer.locator(".sd-summary-content, :scope > div").first
    assert not body.is_visible(), "the answer shows before the learner asks for it"
    answer.locator("summary").click()
    body.wait_for(state="visible", timeout=5000)
    assert len(body.inner_text().split()) >= 25
    assert not visit.blocked
    page.context.close()


@pytest.mark.parametrize("page_source", chapter_pages(), ids=lambda p: p.path.stem)
def test_interactive_self_check_answers_wrong_then_right_offline(
    browser, site: str, page_source
) -> None:
    """Answer the first bank self-check of a page wrongly, then rightly, with no kernel."""
    import json

    name = page_source.path.relative_to(ROOT).with_suffix(".html")
    page, visit = open_offline(browser, site + str(name))
    block = page.locator("section#self-check .peaceops-selfcheck").first
    key = json.loads(block.get_attribute("data-question"))
    feedback = block.locator(".pq-feedback")
    block.locator(".pq-check").click()
    assert feedback.inner_text().startswith("Not yet:")
    if key["type"] in ("single", "multiple"):
        right = [key["answer"]] if key["type"] == "single" else key["answer"]
        options = block.locator("input")
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        wrong = next(v for v in values if v not in right)
        options.nth(values.index(wrong)).check()
        block.locator(".pq-check").click()
        assert feedback.inner_text().startswith("Not quite.")
        assert key["feedback"][wrong][:30] in feedback.inner_text()
        for i, value in enumerate(values):
            if value in right:
                options.nth(i).check()
            elif key["type"] == "multiple":
                options.nth(i).uncheck()
    else:
        box = block.locator("input[type=text]")
        box.fill("not an answer")
        block.locator(".pq-check").click()
        assert feedback.inner_text().startswith("Not yet:")
        box.fill(str(key["answer"]) if key["type"] == "date" else f"{key['answer']:g}")
    block.locator(".pq-check").click()
    assert feedback.inner_text().startswith("Right.")
    assert key["explanation"][:30] in feedback.inner_text()
    assert not visit.blocked
    page.context.close()


WIDGET_NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Widgets offline\n"]},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "import ipywidgets as w\n",
                "w.VBox([w.IntSlider(value=1995, min=1948, max=2025, description='Year'),\n",
                "        w.Button(description='Check', icon='check')])\n",
            ],
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_widgets_render_from_vendored_files(browser, tmp_path: Path) -> None:
    """A page with saved widget state renders its widgets, icon font included, offline."""
    make_mini_book(
        tmp_path,
        {"book/widgets.ipynb": json.dumps(WIDGET_NOTEBOOK)},
        "format: jb-book\nroot: book/widgets\n",
    )
    html = book.build(tmp_path).html_dir
    server, url = serve(html)
    try:
        page, visit = open_offline(browser, url + "book/widgets.html")
        page.locator(".widget-slider").first.wait_for(state="visible", timeout=15000)
        assert page.locator("button.widget-button").first.is_visible()
        icon_font = page.evaluate(
            "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert any("Font Awesome" in family or "FontAwesome" in family for family in icon_font), (
            icon_font
        )
        assert not visit.blocked, f"widget page tried to load from other hosts: {visit.blocked}"
        assert not visit.failed, f"widget page had failed requests: {visit.failed}"
        page.context.close()
    finally:
        server.shutdown()


def test_exercise_page_renders_its_widgets_offline(browser, site: str) -> None:
    from peaceops import bank

    asked = len(bank.by_chapter(bank.load_bank())["book/frameworks/framework"])
    page, visit = open_offline(browser, site + "notebooks/framework.html")
    page.locator(".peaceops-exercise").first.wait_for(state="visible", timeout=20000)
    assert page.locator(".peaceops-exercise").count() == asked
    assert page.get_by_text("Score: 0 /").first.is_visible()
    assert page.locator("button:has-text('Show answer')").count() == asked
    assert not visit.blocked, f"exercise page tried to load from other hosts: {visit.blocked}"
    assert not visit.failed, f"exercise page had failed requests: {visit.failed}"
    page.context.close()
