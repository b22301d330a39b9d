"""Every page of the built book passes axe-core (WCAG 2.0 and 2.1, A and AA) and logs no error.

axe-core is vendored (tests/vendor/axe.min.js; see tests/vendor/README.md) and injected
into each page of the built site, served on 127.0.0.1 with every request to another host
aborted: each page of the toc, plus the search page and the general index when the book
links them. A page fails on any critical or serious violation; the message lists the page,
each rule with its help text and the first elements at fault, those inside an exercise or
a self-check (the exercise markup) marked as such. A page also fails on any console error
or uncaught exception, the theme's old "THEBE_JS_URL has already been declared" among them.

On a phone (375 px wide), a wide table scrolls sideways inside a named, focusable region
that a hint and a faded edge announce, and the arrow keys scroll it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_offline
from conftest import ROOT

from peaceops.course.toc import toc_files

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Elements of the exercise and self-check markup (the exercise pages' generator owns them).
EXERCISE_MARKUP = ".peaceops-selfcheck, .peaceops-exercise, [data-question-id]"
#: Targets listed per rule in a failure message.
SHOWN = 5
#: A page with a table wider than a phone (six columns).
WIDE_TABLE_PAGE = "book/future/emerging-regional.html"

RUN_AXE = """async ([tags, exerciseMarkup]) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => {
        const one = n.target.length === 1 && typeof n.target[0] === "string";
        const element = one ? document.querySelector(n.target[0]) : null;
        return {
          target: n.target.flat().join(" >>> "),
          exercise: Boolean(element && element.closest(exerciseMarkup)),
        };
      }),
    }));
}"""


def site_pages() -> list[str]:
    """The toc's pages, then the search page and the index (kept if the book links them)."""
    return [name + ".html" for name in toc_files(ROOT)] + ["search.html", "genindex.html"]


def linked(built_html: Path, name: str) -> bool:
    """Whether the root page links ``name`` (the search page and the index are optional)."""
    root_page = built_html / (toc_files(ROOT)[0] + ".html")
    return (built_html / name).is_file() and name in root_page.read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, [TAGS, EXERCISE_MARKUP])


def describe(name: str, violations: list[dict]) -> str:
    """One failure message: the page, then each rule, its help and its first targets."""
    count = sum(len(v["nodes"]) for v in violations)
    lines = [f"{name}: {count} critical or serious axe violation(s)"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}")
        for node in v["nodes"][:SHOWN]:
            owner = "  [exercise markup]" if node["exercise"] else ""
            lines.append(f"      {node['target']}{owner}")
        if len(v["nodes"]) > SHOWN:
            lines.append(f"      ... and {len(v['nodes']) - SHOWN} more")
    return "\n".join(lines)


def console_errors(page) -> list[str]:
    """Console errors and uncaught exceptions of the page since it was opened."""
    errors = [
        f"console: {m.text} ({m.location.get('url', '')})"
        for m in page.console_messages()
        if m.type == "error"
    ]
    return errors + [f"uncaught: {error}" for error in page.page_errors()]


@pytest.mark.parametrize("name", site_pages())
def test_page_has_no_serious_axe_violation_and_no_console_error(
    browser, site: str, built_html: Path, name: str
) -> None:
    if name in ("search.html", "genindex.html") and not linked(built_html, name):
        pytest.skip(f"the book does not link {name}")
    page, _ = open_offline(browser, site + name)
    try:
        violations = run_axe(page)
        errors = console_errors(page)
    finally:
        page.context.close()
    assert not violations, describe(name, violations)
    assert not errors, f"{name} logged errors:\n" + "\n".join(errors)


def dark_mode_pages() -> list[str]:
    """The root page, the first exercise page, a page with a table, the search page."""
    names = toc_files(ROOT)
    exercises = [n + ".html" for n in names if "/exercises/" in n][:1]
    return [names[0] + ".html", *exercises, WIDE_TABLE_PAGE, "search.html"]


@pytest.mark.parametrize("name", dark_mode_pages())
def test_page_has_no_serious_axe_violation_in_dark_mode(browser, site: str, name: str) -> None:
    """The theme's dark colours (chosen by the reader's system setting) keep the contrast."""
    page, _ = open_offline(browser, site + name)
    try:
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
        violations = run_axe(page)
    finally:
        page.context.close()
    assert not violations, describe(name + " (dark)", violations)


TABLES_CONSISTENT = """() => [...document.querySelectorAll(
    ".bd-article .pst-scrollable-table-container")].filter((b) => {
  const wide = b.scrollWidth > b.clientWidth + 1;
  const marked = b.getAttribute("tabindex") === "0" && b.getAttribute("role") === "region";
  return wide !== marked;
}).length === 0"""


def test_wide_table_shows_on_a_phone_that_it_scrolls(browser, site: str) -> None:
    page, _ = open_offline(browser, site + WIDE_TABLE_PAGE)
    try:
        page.set_viewport_size({"width": 375, "height": 740})
        box = page.locator(".bd-article .pst-scrollable-table-container").first
        page.wait_for_function(TABLES_CONSISTENT, timeout=5000)
        sizes = box.evaluate("(b) => [b.scrollWidth, b.clientWidth]")
        assert sizes[0] > sizes[1], f"the table fits a phone ({sizes}): pick a wider one"
        assert box.get_attribute("role") == "region"
        assert box.get_attribute("tabindex") == "0"
        assert "scrolls sideways" in (box.get_attribute("aria-label") or "")
        assert box.get_attribute("data-overflow") == "start"
        hint = page.locator(".bd-article p.peaceops-scroll-hint").first
        assert hint.is_visible() and "Scroll sideways" in hint.inner_text()
        mask = box.evaluate("(b) => getComputedStyle(b).maskImage")
        assert mask and mask != "none", "no faded edge on the side that has more to show"

        box.focus()
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        # the scroll event that moves the marker comes a frame after the scroll itself
        page.wait_for_function(
            "(b) => b.scrollLeft > 0 && ['middle', 'end'].includes(b.dataset.overflow)",
            arg=box.element_handle(),
            timeout=2000,
        )

        violations = run_axe(page)
        assert not violations, describe(WIDE_TABLE_PAGE + " (375 px)", violations)

        # Back on a wide screen, a table that fits is no longer a region or a tab stop.
        page.set_viewport_size({"width": 1600, "height": 900})
        page.wait_for_function(TABLES_CONSISTENT, timeout=5000)
    finally:
        page.context.close()
