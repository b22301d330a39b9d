"""In a real browser with every request to another host blocked, the book still works.

Drives Debian's chromium with Playwright. Pages are served from 127.0.0.1; any request
to another host is aborted and recorded, and so is any local request that fails.
"""

from __future__ import annotations

import json

import pytest
from browser import open_offline
from conftest import ROOT, chapter_pages

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
def test_chapter_self_check_answers_in_the_page_offline(browser, site: str, page_source) -> None:
    """The bank questions of a chapter's Self-check answer in the page, with no kernel."""
    name = page_source.path.relative_to(ROOT).with_suffix(".html")
    page, visit = open_offline(browser, site + str(name))
    blocks = page.locator("section#self-check [data-question-id]")
    assert blocks.count() >= 1
    first = blocks.first
    key = json.loads(first.locator("script.pq-key").text_content())
    first.get_by_role("button", name="Check", exact=True).click()
    assert first.get_attribute("data-result") == "incomplete"
    assert first.locator(".pq-feedback").inner_text().startswith("Not yet:")
    first.get_by_role("button", name="Show answer", exact=True).click()
    assert key["explanation"][:30] in first.locator(".pq-feedback").inner_text()
    assert not visit.blocked and not visit.failed
    page.context.close()
