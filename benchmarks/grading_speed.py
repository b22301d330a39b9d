"""Autograde a class with peaceops and with plain nbgrader, in one run, and compare.

Usage: uv run python benchmarks/grading_speed.py [--students N]

Makes two fresh copies of the course, releases the `frameworks` quiz in each, fills both
with the same N submissions (the example class, repeated), then times:

- plain nbgrader: `nbgrader autograde frameworks` (its command line, same configuration);
- peaceops: `peaceops quiz autograde frameworks`, which adds the checks of each
  submission, the literal-answer cross-check, the report and the gradebook copy.

Prints the time per submission of each, the overhead of peaceops and the projected time
for a class of 30 and of 300. Targets: overhead <= 25 %; a class of 30 in <= 3 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peaceops.grading import example_class, quizzes, workflow

ROOT = Path(__file__).resolve().parents[1]
QUIZ = "frameworks"
TARGET_OVERHEAD, TARGET_CLASS_OF_30 = 0.25, 180.0


def prepare(root: Path, students: int) -> None:
    """A released quiz with ``students`` submissions made from the example class."""
    workflow.copy_course(ROOT, root)
    workflow.release(root, QUIZ)
    quiz = workflow.quiz(root, QUIZ)
    counts = quizzes.data_counts(quiz)
    released = json.loads((root / "quizzes/release" / QUIZ / f"{QUIZ}.ipynb").read_text())
    ways = list(example_class.STUDENTS.values())
    for number in range(students):
        notebook = example_class.fill(released, example_class.answers_of(
            quiz, ways[number % len(ways)], counts))  # fmt: skip
        folder = root / "quizzes/submitted" / f"s{number:04d}" / QUIZ
        folder.mkdir(parents=True)
        (folder / f"{QUIZ}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10, help="submissions to grade")
    n = parser.parse_args().students
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        stock, ours = Path(tmp, "stock"), Path(tmp, "ours")
        for root in (stock, ours):
            root.mkdir()
            prepare(root, n)
        print(f"Autograding {n} submissions of '{QUIZ}' twice ...", flush=True)
        plain = timed([str(bin_dir / "nbgrader"), "autograde", QUIZ, "--force"], stock / "quizzes")
        print(f"  plain nbgrader: {plain:.1f} s", flush=True)
        mine = timed(
            [str(bin_dir / "peaceops"), "quiz", "autograde", QUIZ, "--root", str(ours)], ours
        )
        print(f"  peaceops:       {mine:.1f} s", flush=True)
        ours_report = (ours / "quizzes/reports" / f"{QUIZ}-autograde.csv").read_text()
        assert ours_report.count(",graded,") == n, "peaceops did not grade every submission"
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    overhead = mine / plain - 1
    per = mine / n
    print()
    print(f"{'measure':<38}{'value':>10}{'target':>10}  verdict")
    rows = [
        ("plain nbgrader, s per submission", plain / n, None),
        ("peaceops, s per submission", per, None),
        ("peaceops overhead", overhead * 100, TARGET_OVERHEAD * 100),
        ("projected class of 30, s", per * 30, TARGET_CLASS_OF_30),
        ("projected class of 300, min", per * 300 / 60, None),
        ("peak memory of a grading process, MB", peak, None),
    ]
    ok = True
    for label, value, target in rows:
        verdict = "" if target is None else ("ok" if value <= target else "TOO SLOW")
        ok &= target is None or value <= target
        shown = "" if target is None else f"{target:.0f}"
        print(f"{label:<38}{value:>10.1f}{shown:>10}  {verdict}")
    print(f"\n{n} submissions; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
