"""Autograde one class with stock nbgrader and with peaceops, in one run, and compare.

Usage: uv run python benchmarks/grading_speed.py [--students 200] [--dask-workers 0]

Makes two fresh copies of the course, releases the `frameworks` quiz in each, fills both
with the same N generated submissions (right, partly right, wrong, blank and broken, in
turn), then times:

- stock nbgrader: `nbgrader autograde frameworks` (its command line, its kernel, same
  configuration otherwise);
- peaceops: `peaceops quiz autograde frameworks` (a sandbox per submission, workers in
  parallel, one per core).

Prints seconds per submission of each, the ratio, the peak memory of each, and checks
that every student's score is the same in both gradebooks. With `--dask-workers K`, also
grades the class on a Dask LocalCluster of K worker processes (the path a cluster of
machines takes) and projects the time of 10,000 submissions from it.
Targets: peaceops at least 10 times faster than stock; the same score for everyone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peaceops.grading import autograde, example_class, quizzes, workflow

ROOT = Path(__file__).resolve().parents[1]
QUIZ = "frameworks"
TARGET_RATIO = 10.0
KINDS = ("right", "partly", "wrong", "blank", "broken")


def prepare(root: Path, students: int) -> None:
    """A released quiz with ``students`` submissions of each kind in turn."""
    workflow.copy_course(ROOT, root)
    workflow.release(root, QUIZ)
    quiz = workflow.quiz(root, QUIZ)
    counts = quizzes.data_counts(quiz)
    released = json.loads((root / "quizzes/release" / QUIZ / f"{QUIZ}.ipynb").read_text())
    for number in range(students):
        kind = KINDS[number % len(KINDS)]
        how = {"right": "right", "partly": 6, "wrong": "wrong", "blank": "blank"}.get(kind, 4)
        answers = example_class.answers_of(quiz, how, counts)
        if kind == "broken":  # runs, but raises in two cells and loops in none
            answers["q02"] = "q02 = undefined_name"
            answers["q03"] = "q03 = 1 / 0"
        notebook = example_class.fill(released, answers)
        folder = root / "quizzes/submitted" / f"s{number:04d}" / QUIZ
        folder.mkdir(parents=True)
        (folder / f"{QUIZ}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds the command took and the peak memory (MB) of its largest process."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    started = time.perf_counter()
    script = (
        "import resource,subprocess,sys;r=subprocess.run(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);sys.exit(r.returncode)"
    )
    done = subprocess.run([sys.executable, "-c", script, *command], cwd=cwd, env=env,
                          check=True, capture_output=True, text=True)  # fmt: skip
    return time.perf_counter() - started, int(done.stdout.split()[-1]) / 1024


def scores(root: Path) -> dict[str, float]:
    """Every student's total in a course's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(workflow.db_url(root)) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(QUIZ)}


def dask_seconds(root: Path, workers: int) -> float:
    """Grade the class again on a Dask LocalCluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster, \
            Client(cluster) as client:  # fmt: skip
        started = time.perf_counter()
        autograde.autograde(root, QUIZ, executor=client.get_executor())
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200, help="submissions to grade")
    parser.add_argument("--dask-workers", type=int, default=0, help="also grade on Dask")
    args = parser.parse_args()
    n = args.students
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        stock, ours = Path(tmp, "stock"), Path(tmp, "ours")
        for root in (stock, ours):
            root.mkdir()
            prepare(root, n)
        print(f"Autograding {n} submissions of '{QUIZ}' with each ...", flush=True)
        plain, plain_mb = timed(
            [str(bin_dir / "nbgrader"), "autograde", QUIZ, "--force"], stock / "quizzes"
        )
        print(f"  stock nbgrader: {plain:.1f} s", flush=True)
        mine, mine_mb = timed(
            [str(bin_dir / "peaceops"), "quiz", "autograde", QUIZ, "--root", str(ours)], ours
        )
        print(f"  peaceops:       {mine:.1f} s", flush=True)
        theirs, ours_scores = scores(stock), scores(ours)
        everyone = set(theirs) | set(ours_scores)
        differ = {s: (theirs.get(s), ours_scores.get(s))
                  for s in everyone if theirs.get(s) != ours_scores.get(s)}  # fmt: skip
        dask = dask_seconds(ours, args.dask_workers) if args.dask_workers else None
    ratio = plain / mine
    print()
    print(f"{'measure':<44}{'value':>10}{'target':>10}  verdict")
    rows = [
        ("stock nbgrader, s per submission", plain / n, None),
        ("peaceops, s per submission", mine / n, None),
        ("peaceops faster by (times)", ratio, TARGET_RATIO),
        ("peak memory, stock nbgrader process, MB", plain_mb, None),
        ("peak memory, largest peaceops process, MB", mine_mb, None),
        ("students whose scores differ", len(differ), 0),
    ]
    if dask is not None:
        rows += [
            (f"Dask LocalCluster ({args.dask_workers} workers), s per submission", dask / n, None),
            ("projected 10,000 on that cluster, min", dask / n * 10_000 / 60, None),
        ]
    ok = True
    for label, value, target in rows:
        good = target is None or (value >= target if "faster" in label else value <= target)
        ok &= good
        shown = "" if target is None else f"{target:g}"
        verdict = "" if target is None else "ok" if good else "MISSED"
        print(f"{label:<44}{value:>10.2f}{shown:>10}  {verdict}")
    if differ:
        print("scores that differ (stock, peaceops):", dict(sorted(differ.items())[:10]))
    print(f"\n{n} submissions ({', '.join(KINDS)} in turn); {os.cpu_count()} cores; "
          f"Python {sys.version.split()[0]}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
