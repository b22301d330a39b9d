"""Measure the book's build times against the targets, in one run.

Usage: uv run python benchmarks/build_speed.py

Copies the book to a temporary folder, then times: a clean build (nothing cached), a
rebuild with nothing changed, and a rebuild after editing one page. Prints each time
beside its target. Targets (issue 3): clean build <= 180 s, rebuild after one edit <= 15 s.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from peaceops import book

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"clean build": 180.0, "rebuild, nothing changed": 15.0, "rebuild after one edit": 15.0}


def copy_book(target: Path) -> None:
    """Copy what the build reads (config, toc, bibliography, pages, bank, data) to ``target``."""
    for name in ("_config.yml", "_toc.yml", "references.bib"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("book", "notebooks", "questions", "data"):
        shutil.copytree(ROOT / folder, target / folder)


def timed(label: str, root: Path) -> float:
    print(f"{label} ...", end=" ", flush=True)
    started = time.perf_counter()
    book.build(root)
    seconds = time.perf_counter() - started
    print(f"{seconds:.1f} s", flush=True)
    return seconds


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_book(root)
        results = {"clean build": timed("clean build", root)}
        results["rebuild, nothing changed"] = timed("rebuild, nothing changed", root)
        pages = [book.page_path(root, n) for n in book.toc_files(root)]
        chapters = [p for p in pages if p.suffix == ".md" and "book" in p.parts]
        edited = chapters[len(chapters) // 2]
        edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edited sentence.\n")
        results["rebuild after one edit"] = timed(f"rebuild after editing {edited.name}", root)
    print()
    print(f"{'measure':<28}{'seconds':>9}{'target':>9}  verdict")
    ok = True
    for label, seconds in results.items():
        target = TARGETS[label]
        verdict = "ok" if seconds <= target else "TOO SLOW"
        ok &= seconds <= target
        print(f"{label:<28}{seconds:>9.1f}{target:>9.0f}  {verdict}")
    print(f"\n{len(pages)} pages; 2 cores; Python {sys.version.split()[0]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
