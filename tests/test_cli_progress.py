"""`peaceops build` shows the build's progress: what it shows, on a terminal and in a log."""

from __future__ import annotations

import io

from peaceops.book.builder import Step
from peaceops.cli.progress import BuildDisplay

FIRST_BUILD = [
    Step("prepare", seconds=0.1),
    Step("note", detail="updated notebooks/impact.ipynb from the question bank", seconds=0.4),
    Step("start", detail="fresh", seconds=0.5),
    Step("read", 0, 3, detail="1 notebooks", seconds=2.0),
    Step("read", 1, 3, "book/intro", seconds=2.1),
    Step("execute", 0, 1, "book/figures", "running", seconds=2.2),
    Step("execute", 1, 1, "book/figures", "ran in 3.10 s", seconds=5.3),
    Step("read", 2, 3, "book/figures", seconds=5.3),
    Step("read", 3, 3, "book/reference", seconds=5.4),
    Step("resolve", seconds=5.5),
    Step("write", 0, 3, seconds=9.0),
    *(Step("write", n, 3, f"page{n}", seconds=9.0 + n) for n in (1, 2, 3)),
    Step("finish", seconds=12.5),
    Step("publish", detail="published", seconds=13.0),
]


def shown(steps: list[Step], **options: bool) -> str:
    stream = io.StringIO()
    display = BuildDisplay(stream, **options)
    for step in steps:
        display(step)
    display.close()
    return stream.getvalue()


def test_in_a_log_every_phase_and_notebook_gets_a_line_with_counts_and_time() -> None:
    out = shown(FIRST_BUILD, live=False)
    lines = out.splitlines()
    assert "\r" not in out and "\x1b" not in out
    assert lines[0] == "  [   0.1 s] regenerating the glossary and the exercise notebooks"
    assert lines[1] == "  [   0.4 s] updated notebooks/impact.ipynb from the question bank"
    assert lines[2] == "  [   0.5 s] starting Sphinx, every page again"
    assert "  [   2.0 s] reading 3 pages (1 notebooks)" in lines
    assert "  [   5.3 s] notebook 1/1 book/figures: ran in 3.10 s" in lines
    assert "  [   5.5 s] read 3 pages, ran 1 notebooks" in lines
    assert "  [   5.5 s] resolving references and bibliographies" in lines
    assert "  [  12.0 s] writing pages 3/3" in lines
    assert len(lines) < 14, "a log gets a line per phase, not one per page"


def test_on_a_terminal_one_line_is_updated_in_place() -> None:
    out = shown(FIRST_BUILD, live=True)
    assert "\r\x1b[K  [   2.2 s] reading pages 1/3, notebooks run 0/1 (running book/figures)" in out
    kept = [line.rsplit("\r\x1b[K", 1)[-1] for line in out.split("\n") if line]
    assert "  [   5.5 s] read 3 pages, ran 1 notebooks" in kept
    assert kept[-1] == "  [  12.0 s] writing pages 3/3", "the last page count stays on screen"


def test_a_rebuild_with_nothing_to_do_says_so() -> None:
    steps = [
        Step("read", 0, 0, detail="0 notebooks", seconds=2.5),
        Step("resolve", seconds=2.6),
        Step("finish", seconds=3.0),
        Step("publish", detail="unchanged", seconds=3.1),
    ]
    out = shown(steps, live=False)
    assert "no page changed: nothing to read" in out
    assert "nothing to publish: _build/html is current" in out
    assert "writing" not in out


def test_verbose_shows_sphinx_output_and_no_live_line() -> None:
    stream = io.StringIO()
    display = BuildDisplay(stream, verbose=True)
    assert not display.live
    display.output("reading sources... [ 50%] book/intro")
    assert "    reading sources... [ 50%] book/intro\n" in stream.getvalue()
    quiet = io.StringIO()
    BuildDisplay(quiet).output("reading sources... [ 50%] book/intro")
    assert quiet.getvalue() == ""
