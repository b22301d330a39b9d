"""The learning record: answers kept in the browser, restored on reload, shown on the
Progress page with what to review, and moved between devices as a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import open_offline

from peaceops import bank

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHAPTER = "book/frameworks/framework"
EXERCISES = "book/exercises/framework.html"
PROGRESS = "book/reference/progress.html"


def singles() -> list[bank.Question]:
    return [q for q in bank.by_chapter(bank.load_bank())[CHAPTER] if q.type == "single"]


def answer(page, q: bank.Question, right: bool) -> None:
    block = page.locator(f'[data-question-id="{q.id}"]')
    option = q.answer if right else next(o for o in q.options if o != q.answer)
    block.get_by_label(option, exact=True).check()
    block.get_by_role("button", name="Check", exact=True).click()
    assert block.get_attribute("data-result") == ("right" if right else "wrong")


def summary(page) -> str:
    return page.locator(".pq-progress-summary").inner_text()


def test_answers_survive_a_reload_and_show_on_the_progress_page(
    browser, site: str, tmp_path: Path
) -> None:
    good, bad = singles()[:2]
    page, visit = open_offline(browser, site + EXERCISES)
    answer(page, good, right=True)
    answer(page, bad, right=False)
    page.reload()
    kept = page.locator(f'[data-question-id="{good.id}"]')
    assert kept.get_attribute("data-result") == "right"
    assert kept.get_by_label(good.answer, exact=True).is_checked()
    assert page.locator(f'[data-question-id="{bad.id}"]').get_attribute("data-result") == "wrong"

    page.goto(site + PROGRESS)
    total = len(bank.by_chapter(bank.load_bank())[CHAPTER])
    row = page.locator(f'tr[data-chapter="{CHAPTER}"]')
    assert row.locator("td").nth(0).inner_text() == f"2 of {total}"
    assert row.locator("td").nth(1).inner_text() == f"1 of {total}"
    missed = page.locator(".pq-review-missed a")
    assert missed.count() == 1 and missed.first.get_attribute("href").endswith(f"#pq-{bad.id}")
    assert page.locator(".pq-review-due a").count() == 0  # the right one comes back tomorrow

    # a right answer comes back for review when it is due
    page.evaluate(
        """id => { const r = window.peaceopsRecord.load(); r.questions[id].due = '2000-01-01';
                   window.peaceopsRecord.save(r); }""",
        good.id,
    )
    page.reload()
    assert page.locator(".pq-review-due a").first.get_attribute("href").endswith(f"#pq-{good.id}")

    # export, reset, import: the record moves as a file
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my record").click()
    saved = tmp_path / "record.json"
    download.value.save_as(saved)
    assert set(json.loads(saved.read_text())["questions"]) == {good.id, bad.id}
    page.get_by_role("button", name="Reset my record").click()
    page.get_by_role("button", name="Yes, erase").click()
    assert summary(page).startswith("You have answered 0 of")
    broken = tmp_path / "broken.json"
    broken.write_text('{"not": "a record"}')
    page.get_by_label("Import a record file").set_input_files(broken)
    page.get_by_text("Not imported:").wait_for(timeout=2000)
    page.get_by_label("Import a record file").set_input_files(saved)
    page.get_by_text("Imported a record of 2 questions.").wait_for(timeout=2000)
    assert summary(page).startswith("You have answered 2 of")
    assert not visit.blocked and not visit.failed
    page.context.close()


def test_the_record_works_from_a_downloaded_copy(browser, built_html: Path) -> None:
    """Opened from file:// (a downloaded copy of the site), answers are judged and kept."""
    good = singles()[0]
    context = browser.new_context()
    page = context.new_page()
    page.goto((built_html / EXERCISES).as_uri())
    answer(page, good, right=True)
    page.reload()
    block = page.locator(f'[data-question-id="{good.id}"]')
    assert block.get_attribute("data-result") == "right"
    context.close()
