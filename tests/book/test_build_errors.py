"""A broken page stops `peaceops build` with the file, the line and a fix; nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_mini_book

from peaceops import book, cli

pytestmark = pytest.mark.slow

GOOD_PAGE = """# A small page

## First section

Peacekeeping rests on the UN Charter {cite:p}`uncharter`.

## References

```{bibliography}
:filter: docname in docnames
```
"""


@pytest.fixture
def mini_book(tmp_path: Path) -> Path:
    """A two-page book with the course's own configuration, built once successfully."""
    make_mini_book(
        tmp_path,
        {"book/intro.md": "# Intro\n\nWelcome.\n", "book/page.md": GOOD_PAGE},
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/page\n",
    )
    book.build(tmp_path)
    return tmp_path


def built_page(root: Path) -> str:
    return (root / book.HTML_DIR / "book" / "page.html").read_text(encoding="utf-8")


def run_cli(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["build", "--root", str(root)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_unknown_citation_key(mini_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = built_page(mini_book)
    page = mini_book / "book" / "page.md"
    page.write_text(GOOD_PAGE.replace("{cite:p}`uncharter`", "{cite:p}`nosuchkey2099`"))
    code, out = run_cli(mini_book, capsys)
    assert code == 1
    assert "book/page.md:5" in out
    assert "nosuchkey2099" in out and "How to fix: Add an entry with key 'nosuchkey2099'" in out
    assert "Traceback" not in out
    assert built_page(mini_book) == before, "the earlier good build was replaced"


def test_bad_myst_directive(mini_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = mini_book / "book" / "page.md"
    page.write_text(GOOD_PAGE + "\n```{notadirective}\nbody\n```\n")
    code, out = run_cli(mini_book, capsys)
    assert code == 1
    assert "book/page.md:13" in out and "Unknown directive type" in out
    assert "How to fix: Use a directive that exists" in out
    assert "Traceback" not in out


def test_heading_levels_skipped(mini_book: Path) -> None:
    page = mini_book / "book" / "page.md"
    page.write_text(GOOD_PAGE.replace("## First section", "#### First section"))
    with pytest.raises(book.BuildError) as err:
        book.build(mini_book)
    [problem] = [p for p in err.value.problems if p.file == "book/page.md"]
    assert problem.line == 3 and "heading levels in order" in problem.hint


def test_toc_entry_without_file(mini_book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = built_page(mini_book)
    toc = mini_book / "_toc.yml"
    toc.write_text(toc.read_text() + "  - file: book/missing-page\n")
    code, out = run_cli(mini_book, capsys)
    assert code == 1
    assert "_toc.yml:5" in out and "'book/missing-page' has no file" in out
    assert "How to fix: Create book/missing-page.md" in out
    assert built_page(mini_book) == before


def test_a_fixed_page_builds_again_and_unchanged_errors_are_not_forgotten(mini_book: Path) -> None:
    """After a failed build, every page is re-read: a fix elsewhere cannot hide an error."""
    (mini_book / "book" / "intro.md").write_text("# Intro\n\nSee {cite:p}`nosuchkey2099`.\n")
    with pytest.raises(book.BuildError):
        book.build(mini_book)
    (mini_book / "book" / "page.md").write_text(GOOD_PAGE + "\nAn edit elsewhere.\n")
    with pytest.raises(book.BuildError) as err:
        book.build(mini_book)
    assert any(p.file == "book/intro.md" for p in err.value.problems)
    (mini_book / "book" / "intro.md").write_text("# Intro\n\nFixed.\n")
    result = book.build(mini_book)
    assert "An edit elsewhere." in built_page(mini_book)
    assert result.pages == 2


def test_wrong_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_cli(tmp_path / "nowhere", capsys)
    assert code == 1 and "no such folder" in out and "Traceback" not in out
    code, out = run_cli(tmp_path, capsys)
    assert code == 1 and "not inside the course" in out


def test_malformed_toc_yaml(mini_book: Path) -> None:
    (mini_book / "_toc.yml").write_text("format: jb-book\nroot: [unclosed\n")
    with pytest.raises(book.BuildError) as err:
        book.build(mini_book)
    assert err.value.problems[0].file == "_toc.yml"
    assert "not valid YAML" in str(err.value)


def test_malformed_question_bank_stops_the_build_naming_file_and_id(
    mini_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = built_page(mini_book)
    (mini_book / "questions").mkdir()
    (mini_book / "questions" / "page.yml").write_text(
        "chapter: book/page\nquestions:\n  - id: page-one\n    objective: 1\n    type: single\n"
        "    prompt: Which?\n    explanation: Because.\n    options: [A, B]\n    answer: C\n"
        "    feedback: {A: no, B: no}\n"
    )
    code, out = run_cli(mini_book, capsys)
    assert code == 1
    assert "questions/page.yml: question 'page-one': answer 'C' is not among its options" in out
    assert "Traceback" not in out
    assert built_page(mini_book) == before
