"""Measure the book's build times against their targets, in one run.

Usage: uv run python benchmarks/build_speed.py

Copies the checkout to a temporary folder (so nothing is cached), then times, through the
same ``peaceops.book.build`` that ``peaceops build`` runs: the first build (every page
read, every notebook run), a rebuild with nothing changed, and a rebuild after editing
one chapter. Prints each time beside its target, and where each build spent its time
(from the build's own progress steps). Exits 1 when a target is missed.

Targets: first build <= 180 s (issue 3); no-change rebuild <= 10 s (issue 14); rebuild
after one edit <= 15 s (issue 3).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from peaceops import book
from peaceops.book.builder import Step
from peaceops.course.toc import page_path, toc_files

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"first build": 180.0, "rebuild, nothing changed": 10.0, "rebuild after one edit": 15.0}
#: Left out of the copy: the environment, earlier builds, caches, a class's quiz work.
SKIP = (".venv", "_build", ".git", ".pytest_cache", ".ruff_cache", "__pycache__",
        ".ipynb_checkpoints", "release", "submitted", "autograded", "feedback")  # fmt: skip


def copy_book(target: Path) -> None:
    """Copy the checkout, without builds and caches, to ``target`` (a build starts cold)."""
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*SKIP), dirs_exist_ok=True)


class Phases:
    """When each phase of a build started, from its progress steps."""

    def __init__(self) -> None:
        self.starts: dict[str, float] = {}
        self.notebooks_run = 0
        self.pages_read = 0
        self.pages_written = 0
        self.notes: list[str] = []

    def __call__(self, step: Step) -> None:
        if step.phase == "note":
            self.notes.append(step.detail)
        phase = "read" if step.phase == "execute" else step.phase
        self.starts.setdefault(phase, step.seconds)
        if step.phase == "execute" and step.detail.startswith("ran in"):
            self.notebooks_run += 1
        if step.phase == "read":
            self.pages_read = step.done
        if step.phase == "write":
            self.pages_written = step.done

    def summary(self, total: float) -> str:
        order = ["note", "read", "resolve", "write", "finish"]
        marks = sorted((t, p) for p, t in self.starts.items() if p in order)
        names = {"note": "regenerate", "read": "read pages and run notebooks",
                 "resolve": "resolve references", "write": "write pages",
                 "finish": "publish"}  # fmt: skip
        parts = [f"start {marks[0][0]:.1f} s" if marks else ""]
        for (start, phase), (end, _) in zip(marks, [*marks[1:], (total, "")], strict=True):
            parts.append(f"{names[phase]} {end - start:.1f} s")
        counts = (f"{self.pages_read} pages read, {self.notebooks_run} notebooks run, "
                  f"{self.pages_written} pages written")  # fmt: skip
        notes = "".join(f"    note: {note}\n" for note in self.notes)
        return f"{notes}    {counts}\n    " + "; ".join(p for p in parts if p)


def timed(label: str, root: Path) -> float:
    print(f"{label} ...", flush=True)
    phases = Phases()
    started = time.perf_counter()
    book.build(root, progress=phases)
    seconds = time.perf_counter() - started
    print(f"  {seconds:.1f} s\n{phases.summary(seconds)}", flush=True)
    return seconds


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_book(root)
        results = {"first build": timed("first build", root)}
        results["rebuild, nothing changed"] = timed("rebuild, nothing changed", root)
        pages = [page_path(root, name) for name in toc_files(root)]
        chapters = [p for p in pages if p and p.suffix == ".md" and "exercises" not in p.parts]
        edited = chapters[len(chapters) // 2]
        edited.write_text(edited.read_text(encoding="utf-8") + "\nAn edited sentence.\n")
        label = f"rebuild after editing {edited.relative_to(root)}"
        results["rebuild after one edit"] = timed(label, root)
    print()
    print(f"{'measure':<28}{'seconds':>9}{'target':>9}  verdict")
    ok = True
    for label, seconds in results.items():
        target = TARGETS[label]
        ok &= seconds <= target
        verdict = "ok" if seconds <= target else "TOO SLOW"
        print(f"{label:<28}{seconds:>9.1f}{target:>9.0f}  {verdict}")
    print(f"\n{len(pages)} pages; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
