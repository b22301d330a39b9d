"""Beyond one machine: the gradebook on a real PostgreSQL server and grading spread over
a Dask cluster (a LocalCluster of worker processes), through the same code as local
grading; and stock nbgrader gives every honest submission the same score as peaceops.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import make_quiz_course

from peaceops.grading import autograde, example_class, quizzes, results, workflow

pytestmark = pytest.mark.slow
QUIZ = "frameworks"
KINDS = {"right": "right", "partly": 6, "wrong": "wrong", "blank": "blank", "broken": 4}
REQUIRED = bool(os.environ.get("CI") or os.environ.get("PEACEOPS_REQUIRE_SERVICES"))


def missing(what: str) -> None:
    """Skip where a service is not installed; fail where CI promised it."""
    (pytest.fail if REQUIRED else pytest.skip)(f"{what} is not installed here")


def fill_class(course: Path) -> dict[str, float]:
    """One submission of each kind; return the points each earns."""
    workflow.release(course, QUIZ)
    quiz = workflow.quiz(course, QUIZ)
    counts = quizzes.data_counts(quiz)
    released = json.loads((course / "quizzes/release" / QUIZ / f"{QUIZ}.ipynb").read_text())
    auto = [i for i in quiz.items if i.question.type != "written"]
    expected = {}
    for student, how in KINDS.items():
        answers = example_class.answers_of(quiz, how, counts)
        if student == "broken":  # the first four right, then code that raises
            answers["q05"] = "q05 = undefined_name"
            answers["q06"] = "q06 = 1 / 0"
        notebook = example_class.fill(released, answers)
        folder = course / "quizzes/submitted" / student / QUIZ
        folder.mkdir(parents=True)
        (folder / f"{QUIZ}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
        right = {"right": len(auto), "partly": 6, "broken": 4}.get(student, 0)
        expected[student] = float(sum(i.points for i in auto[:right]))
    return expected


def item_scores(url: str) -> dict[tuple[str, str], float | None]:
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        return {(g.student.id, g.name): g.score
                for s in gb.assignment_submissions(QUIZ)
                for nb in s.notebooks for g in nb.grades}  # fmt: skip


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of Debian's package, in a folder of its own, for this module."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        missing("PostgreSQL (apt-get install postgresql)")
    bindir = found[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="peaceops-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = folder / "data"

    def pg(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, cwd=folder)

    pg(str(bindir / "initdb"), "-D", str(data), "-U", "peaceops", "--auth=trust")
    options = f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
    pg(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(folder / "log"),
       "start")  # fmt: skip
    pg(str(bindir / "createdb"), "-h", str(folder), "-p", str(port), "-U", "peaceops", "peaceops")
    yield f"postgresql+psycopg2://peaceops@/peaceops?host={folder}&port={port}"
    pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    shutil.rmtree(folder, ignore_errors=True)


def test_a_class_on_postgresql_graded_by_a_dask_cluster(postgres, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PEACEOPS_DB_URL", postgres)
    course = make_quiz_course(tmp_path / "course")
    expected = fill_class(course)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        reports = autograde.autograde(course, QUIZ, executor=client.get_executor())
    assert {r.student: (r.status, r.score) for r in reports} == {
        s: ("graded", points) for s, points in expected.items()
    }
    assert not (course / "quizzes" / "gradebook.db").exists()  # nothing went to SQLite
    exported = results.export(course, QUIZ)
    rows = {r["student"]: r for r in csv.DictReader(exported.read_text().splitlines())}
    assert {s: float(r["score"]) for s, r in rows.items()} == expected


def test_an_unreachable_server_gradebook_is_refused_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_DB_URL", "postgresql+psycopg2://nobody@/x?host=/nonexistent")
    course = make_quiz_course(tmp_path / "course")
    with pytest.raises(Exception, match="Cannot reach the gradebook at .*PEACEOPS_DB_URL"):
        workflow.release(course, QUIZ)


def test_stock_nbgrader_gives_every_honest_submission_the_same_score(tmp_path):
    import sys

    stock, ours = tmp_path / "stock", tmp_path / "ours"
    for root in (stock, ours):
        make_quiz_course(root)
        fill_class(root)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = {**os.environ, "PATH": f"{nbgrader.parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PEACEOPS_DB_URL", None)
    subprocess.run([str(nbgrader), "autograde", QUIZ, "--force"], cwd=stock / "quizzes",
                   env=env, check=True, capture_output=True)  # fmt: skip
    autograde.autograde(ours, QUIZ, workers=2)
    theirs, mine = item_scores(workflow.db_url(stock)), item_scores(workflow.db_url(ours))
    assert len(theirs) == len(KINDS) * len(workflow.quiz(ours, QUIZ).items)  # every graded cell
    assert mine == theirs
