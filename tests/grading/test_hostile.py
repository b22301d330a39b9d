"""Hostile submissions: each trick a student could try, graded in one class with two
honest classmates, in parallel workers, the way an instructor runs it.

Every test ends the same way: the grader did not crash, no submission was lost, the
trickster scored no more than their answers earn, the classmates' scores are exactly
what theirs earn, and no file outside the sandbox changed. The tricks are written as a
student who knows the course's paths would write them (the real paths are put in).
"""

from __future__ import annotations

import hashlib
import json
import os
import site
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import make_quiz_course
from submissions import solution, submit

from peaceops.grading import autograde, quizzes, workflow
from peaceops.grading.example_class import answers_of
from peaceops.grading.sandbox import cgroup
from peaceops.grading.sandbox.limits import Limits

pytestmark = pytest.mark.slow
QUIZ = "frameworks"
SECRET = "peaceops-grader-secret-7c1d"
HOST_TMP = Path("/tmp") / f"peaceops-hostile-{os.getpid()}"
SITE = Path(site.getsitepackages()[0])


def trick(code: str, **paths: str) -> str:
    """A hostile answer cell: the trick, then a wrong answer to q01 unless it sets one."""
    return code.format(**paths).strip() + "\n"


def protected(course: Path) -> list[Path]:
    """The files no student may change: the course's own, the grader's, a classmate's."""
    quizzes_dir = course / "quizzes"
    files = [
        *quizzes_dir.glob("source/**/*"),
        *quizzes_dir.glob("release/**/*"),
        quizzes_dir / "quizzes.yml",
        quizzes_dir / "nbgrader_config.py",
        *course.glob("questions/*.yml"),
        *course.glob("data/*.csv"),
        *quizzes_dir.glob("submitted/*/*/*.ipynb"),
    ]
    return sorted(p for p in files if p.is_file())


def digest(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def sandbox_processes() -> list[str]:
    """Processes of any sandbox still alive on this machine."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "/peaceops/runner.py" in text:
            found.append(text)
    return found


class Listener:
    """A TCP server on the host's loopback that records whoever connects."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


TRICKS: dict[str, str] = {
    # code that makes the tests pass: patched builtins, assertion switches, hooks
    "builtins": """
import builtins
builtins.type = lambda *a: str
builtins.sorted = lambda *a, **k: ["A"]
builtins.isinstance = lambda *a: True
builtins.abs = lambda x: 0
builtins.AssertionError = type("Never", (Exception,), {{}})
q01 = "Z"
""",
    "transformer": """
try:
    ip = get_ipython()
    ip.input_transformers_post.append(lambda ls: [l for l in ls if "assert" not in l])
    ip.ast_transformers.append(None)
except NameError:
    import sys
    sys.displayhook = lambda value: None
    sys.excepthook = lambda *a: None
q01: object = "Z"
""",
    "liar": """
class Liar(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
    def strip(self):
        return self
    def upper(self):
        return self
q01 = Liar("A")
q02 = Liar("B")
""",
    "partial_credit": """
import sys
table = {{"q01": "Z"}}
q01 = table["q01"]
print(1)
sys.stdout.write("1.0")
1
""",
    # reading what it must not
    "reader": """
import glob, os, re
found = []
for pattern in ["{course}/quizzes/source/**/*.ipynb", "{course}/quizzes/gradebook.db*",
                "{course}/questions/*.yml", "{course}/quizzes/submitted/**/*.ipynb",
                "{course}/quizzes/autograded/**/*.ipynb", "{course}/**/*.yml",
                "/work/*/questions/*.yml", "/tmp/**/*.ipynb", "/home/**/*.ipynb"]:
    found += glob.glob(pattern, recursive=True)
text = ""
for name in found[:200]:
    try:
        text += open(name, errors="ignore").read()
    except Exception:
        pass
key = re.search(r"q01\\.strip\\(\\)\\.upper\\(\\) == '(\\w)'", text)
q01 = key.group(1) if key else "Z"
print("course files seen:", sum("{course}" in name for name in found))
print("environment:", dict(os.environ))
""",
    # writing what it must not
    "writer": """
import os, sqlite3
try:
    db = sqlite3.connect("{course}/quizzes/gradebook.db")
    db.execute("update grade set manual_score = 99")
    db.execute("delete from submitted_assignment")
    db.commit()
except Exception as err:
    print("gradebook:", type(err).__name__)
for path in ["{course}/quizzes/source/{quiz}/{quiz}.ipynb",
             "{course}/quizzes/release/{quiz}/{quiz}.ipynb",
             "{course}/quizzes/quizzes.yml", "{course}/questions/frameworks.yml",
             "{course}/quizzes/submitted/alice/{quiz}/{quiz}.ipynb",
             "{course}/quizzes/autograded/alice/{quiz}/{quiz}.ipynb",
             "{site}/zz_peaceops_evil.pth", "{host_tmp}", "/root/evil", "/etc/evil"]:
    try:
        with open(path, "w") as handle:
            handle.write("import os; os._exit(3)")
        print("wrote", path)
    except Exception as err:
        print(path, type(err).__name__)
q01 = "Z"
""",
    # stopping the class
    "parent_killer": """
import os, signal
for pid in (os.getppid(), 1):
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except Exception as err:
            print(pid, sig, type(err).__name__)
q01 = "Z"
""",
    "everything_killer": """
import os, signal
q01 = "Z"
os.kill(-1, signal.SIGKILL)
""",
    "detached": """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(4)
        try:
            open("{course}/quizzes/gradebook.db", "w").write("gone")
        except Exception:
            pass
        open("{host_tmp}", "w").write("survived")
        os._exit(0)
    os._exit(0)
q01 = "Z"
""",
    "slow_cells": """
import time
time.sleep(1.8)
q01 = "Z"
""",
    "network": """
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    print("connected")
except OSError as err:
    print("refused:", err)
q01 = "Z"
""",
    "fork_bomb": """
import os, time
forked = 0
for _ in range(400):
    try:
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        forked += 1
    except OSError:
        break
print("forked", forked)
q01 = "Z"
""",
    "disk_filler": """
chunk = bytes(8 * 1024 * 1024)
for name in ("/tmp/fill", "fill"):
    try:
        with open(name, "wb") as handle:
            for _ in range(40):
                handle.write(chunk)
    except OSError as err:
        print(name, type(err).__name__, err.errno)
q01 = "Z"
""",
    "flood": """
import os
q01 = "Z"
os.write(1, b"x" * 40_000_000)
""",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    """A class of two honest students and every trick, graded once in parallel."""
    course = make_quiz_course(tmp_path_factory.mktemp("hostile"))
    env = {"PEACEOPS_CELL_TIMEOUT": "2", "PEACEOPS_NOTEBOOK_TIMEOUT": "6",
           "PEACEOPS_SANDBOX_SECRET": SECRET}  # fmt: skip
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    listener = Listener()
    workflow.release(course, QUIZ)
    quiz = workflow.quiz(course, QUIZ)
    counts = quizzes.data_counts(quiz)
    submit(course, QUIZ, "alice", solution(quiz))
    submit(course, QUIZ, "bob", answers_of(quiz, "alternate", counts))
    paths = {"course": str(course), "quiz": QUIZ, "site": str(SITE),
             "host_tmp": str(HOST_TMP), "port": str(listener.port)}  # fmt: skip
    for name, code in TRICKS.items():
        cells = {"q01": trick(code, **paths)}
        if name == "slow_cells":  # every answer cell just under the cell timeout
            cells = {i.var: f"import time\ntime.sleep(1.8)\n{i.var} = None"
                     for i in quiz.items if i.question.type != "written"}  # fmt: skip
        submit(course, QUIZ, name, cells)
    garbled = course / "quizzes" / "submitted" / "garbled" / QUIZ
    garbled.mkdir(parents=True)
    (garbled / f"{QUIZ}.ipynb").write_text('{"cells": [ not json', encoding="utf-8")
    before = digest(protected(course))
    started = time.monotonic()
    reports = {r.student: r for r in autograde.autograde(course, QUIZ, workers=2)}
    seconds = time.monotonic() - started
    time.sleep(5)  # the detached process would act after 4 s
    yield {
        "course": course,
        "quiz": quiz,
        "reports": reports,
        "before": before,
        "after": digest(protected(course)),
        "listener": listener,
        "seconds": seconds,
        "honest": {"alice": quiz.auto_points, "bob": expected_alternate(quiz)},
    }
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    HOST_TMP.unlink(missing_ok=True)


def expected_alternate(quiz: quizzes.Quiz) -> int:
    auto = [i for i in quiz.items if i.question.type != "written"]
    return sum(i.points for n, i in enumerate(auto, start=1) if n % 2 == 1)


def output_of(course: Path, student: str, grade_id: str) -> str:
    path = course / "quizzes" / "autograded" / student / QUIZ / f"{QUIZ}.ipynb"
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            texts = []
            for output in cell.get("outputs", []):
                text = output.get("text", output.get("evalue", ""))
                texts.append("".join(text) if isinstance(text, list) else text)
            return "".join(texts)
    raise AssertionError(f"{grade_id} not in {student}'s graded notebook")


def check_class(graded: dict, student: str, earned: float = 0) -> None:
    """The ending every trick must have."""
    reports = graded["reports"]
    assert set(reports) == {"alice", "bob", "garbled", *TRICKS}, "a submission was lost"
    assert reports[student].status == "graded", reports[student].notes
    assert reports[student].score <= earned, (student, reports[student])
    for name, points in graded["honest"].items():
        assert (reports[name].status, reports[name].score) == ("graded", points), name
    assert graded["after"] == graded["before"], "a file outside the sandbox changed"
    assert not HOST_TMP.exists(), "the sandbox wrote to the host's /tmp"
    assert not (SITE / "zz_peaceops_evil.pth").exists()
    assert sandbox_processes() == [], "a sandboxed process outlived its run"


@pytest.mark.parametrize("student", ["builtins", "transformer", "liar", "partial_credit"])
def test_code_that_makes_the_tests_pass_gains_nothing(graded: dict, student: str) -> None:
    check_class(graded, student)


def test_the_course_the_gradebook_and_classmates_cannot_be_read(graded: dict) -> None:
    check_class(graded, "reader")
    seen = output_of(graded["course"], "reader", "q01-answer")
    assert "course files seen: 0" in seen
    assert SECRET not in seen and "PEACEOPS" not in seen


def test_nothing_outside_the_sandbox_can_be_written(graded: dict) -> None:
    check_class(graded, "writer")
    said = output_of(graded["course"], "writer", "q01-answer")
    assert "gradebook: OperationalError" in said
    wrote = [line for line in said.splitlines() if line.startswith("wrote ")]
    # only the sandbox's own /tmp is writable (and it is not the host's: see check_class)
    assert wrote == [f"wrote {HOST_TMP}"], wrote


@pytest.mark.parametrize("student", ["parent_killer", "everything_killer", "detached"])
def test_a_student_cannot_stop_the_class_or_outlive_the_run(graded: dict, student: str) -> None:
    check_class(graded, student)


def test_a_notebook_has_a_time_limit_not_only_its_cells(graded: dict) -> None:
    check_class(graded, "slow_cells")
    notes = graded["reports"]["slow_cells"].notes
    assert "the notebook ran past its time limit; cells after that were not run" in notes
    # every notebook ran in parallel within its limit: the class did not wait 12 x 1.8 s
    assert graded["seconds"] < 60


def test_the_network_is_cut_even_on_loopback(graded: dict) -> None:
    check_class(graded, "network")
    assert graded["listener"].connections == 0
    assert "refused" in output_of(graded["course"], "network", "q01-answer")


def test_a_fork_bomb_is_capped(graded: dict) -> None:
    check_class(graded, "fork_bomb")
    said = output_of(graded["course"], "fork_bomb", "q01-answer")
    forked = int(said.split("forked ")[1].split()[0])
    probe = cgroup.Cgroup.create(f"peaceops-probe-{os.getpid()}", Limits())
    if probe is None:
        pytest.skip("no writable cgroup here: processes are bounded only by time and namespace")
    probe.destroy()
    assert forked < Limits().processes  # the notebook itself is one of them


def test_disk_and_output_floods_are_cut(graded: dict) -> None:
    check_class(graded, "disk_filler")
    said = output_of(graded["course"], "disk_filler", "q01-answer")
    assert said.count("OSError") == 2  # /tmp and its folder are both full at 100 MB
    check_class(graded, "flood")
    assert graded["reports"]["flood"].score == 0


def test_every_submission_has_a_row_in_the_export_with_a_score_or_a_reason(graded) -> None:
    import csv

    from peaceops.grading import results

    path = results.export(graded["course"], QUIZ)
    rows = {r["student"]: r for r in csv.DictReader(path.read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {"alice", "bob", "garbled", *TRICKS}
    assert rows["garbled"]["status"] == "not graded"
    assert "not valid notebook JSON" in rows["garbled"]["notes"]
    assert all(r["score"] or r["notes"] for r in rows.values())
    assert float(rows["alice"]["score"]) == graded["honest"]["alice"]


def test_an_interrupted_run_resumes_where_it_stopped(graded, monkeypatch) -> None:
    course = graded["course"]
    journal = autograde.journal_path(course / "quizzes", QUIZ)
    kept = [line for line in journal.read_text(encoding="utf-8").splitlines()
            if '"student": "alice"' not in line]  # fmt: skip
    journal.write_text("\n".join(kept) + "\n{torn line", encoding="utf-8")  # a crash mid-write
    graded_again = []
    real = autograde.grade_one

    def spy(root, context, student):
        graded_again.append(student)
        return real(root, context, student)

    monkeypatch.setattr(autograde, "grade_one", spy)
    reports = autograde.autograde(course, QUIZ, workers=1, resume=True)
    assert graded_again == ["alice", "garbled"]  # only what the journal lacks or left ungraded
    assert {r.student for r in reports} == {"alice", "bob", "garbled", *TRICKS}
    assert next(r for r in reports if r.student == "alice").score == graded["honest"]["alice"]
