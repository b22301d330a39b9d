"""The instructor's workflow on nbgrader's API: the course, release and the exchange.

Every step works on the nbgrader course in ``quizzes/`` (its ``nbgrader_config.py``, its
gradebook) and goes through ``nbgrader.apps.NbGraderAPI``; what peaceops adds is care:
the gradebook is checked before and copied after each step, and a released copy is
checked for leaks before a student can see it. Autograding is in ``autograde``; what
follows it (marks, feedback, export, item analysis) is in ``results``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from peaceops import data
from peaceops.grading import gradebook, kernel
from peaceops.grading.collect import quiz_of
from peaceops.grading.items import solution_lines, test_source
from peaceops.grading.quizzes import (
    QUIZ_DIR,
    Quiz,
    data_count,
    load_quizzes,
    write_sources,
)

LEAK_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME")
Progress = Callable[[str], None]


class GradingError(Exception):
    """A step cannot go on; the message says what to fix."""


def quiet(_: str) -> None:
    pass


# -- the course and nbgrader's API -----------------------------------------------------


def copy_course(root: Path, target: Path) -> Path:
    """A fresh course in ``target`` with this checkout's bank, data and quiz definitions.

    For trying the workflow (and for tests and benchmarks) without touching the real
    gradebook: nothing generated or graded is copied.
    """
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(root / name, target / name)
    for name in ("questions", "data"):
        shutil.copytree(root / name, target / name)
    (target / QUIZ_DIR).mkdir(exist_ok=True)
    for name in ("nbgrader_config.py", "quizzes.yml"):
        shutil.copy(root / QUIZ_DIR / name, target / QUIZ_DIR / name)
    return target


def course_dir(root: Path) -> Path:
    """The nbgrader course folder of a checkout."""
    return root / QUIZ_DIR


def db_path(root: Path) -> Path:
    """The SQLite gradebook (the default)."""
    return course_dir(root) / "gradebook.db"


def db_url(root: Path) -> str:
    """The gradebook's address: ``PEACEOPS_DB_URL`` (a PostgreSQL server, say), else SQLite."""
    return os.environ.get("PEACEOPS_DB_URL") or f"sqlite:///{db_path(root)}"


def uses_sqlite(root: Path) -> bool:
    """Whether the gradebook is the SQLite file beside the course."""
    return db_url(root).startswith("sqlite:")


def nbgrader_api(root: Path):  # -> NbGraderAPI (imported lazily: it is slow to import)
    """nbgrader's API configured by ``quizzes/nbgrader_config.py``."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    course = course_dir(root)
    if not (course / "nbgrader_config.py").is_file():
        raise GradingError(f"{course}/nbgrader_config.py is missing: is {root} the course root?")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = db_url(root)
    # nbgrader's own SQLAlchemy use warns about its session on every autograde: noise.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    # nbgrader's own kernel (used by `nbgrader validate`) runs with memory and file limits.
    kernels = course / ".kernels"
    kernel.install(kernels)
    paths = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
    if str(kernels) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(kernels), *filter(None, paths)])
    config.Execute.kernel_name = kernel.NAME
    # Autograding runs each submission in a sandbox and judges the answers outside it.
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
    )

    from peaceops.grading.engine.execute import SandboxExecute, SaveAutoGradesOnce

    config.Autograde.autograde_preprocessors = [
        SandboxExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGradesOnce,
        AssignLatePenalties, CheckCellMetadata,
    ]  # fmt: skip
    config.SandboxExecute.release_root = str(course / "release")
    from peaceops.grading.engine import speedups

    speedups.apply()
    # nbgrader runs the `alembic` command to create a gradebook: find it beside Python.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    return NbGraderAPI(config=config)


def quiz(root: Path, quiz_id: str) -> Quiz:
    """A quiz by id, with a clear error naming the quizzes there are."""
    quizzes = {q.id: q for q in load_quizzes(root)}
    if quiz_id not in quizzes:
        raise GradingError(
            f"no quiz '{quiz_id}' in {QUIZ_DIR}/quizzes.yml; the quizzes are: {', '.join(quizzes)}"
        )
    return quizzes[quiz_id]


def check_result(result: dict, step: str) -> str:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise GradingError(f"nbgrader could not {step}: " + " | ".join(detail[-4:]))
    return result.get("log", "")


def check_gradebook(root: Path) -> None:
    """Refuse a corrupt SQLite gradebook, or a server gradebook that cannot be reached."""
    if uses_sqlite(root):
        gradebook.check(db_path(root))
    else:
        gradebook.check_server(db_url(root))


class Guarded:
    """Check the gradebook before a step; keep a good copy after it succeeds (SQLite: a
    server database has backups of its own)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __enter__(self) -> None:
        check_gradebook(self.root)

    def __exit__(self, kind, *_: object) -> None:
        if kind is None and uses_sqlite(self.root):
            gradebook.keep_good_copy(db_path(self.root))


# -- release ---------------------------------------------------------------------------


def leaks(notebook_path: Path, quiz_obj: Quiz, tables: dict) -> list[str]:
    """What a released notebook gives away: solution markers, hidden tests, mark schemes."""
    text = notebook_path.read_text(encoding="utf-8")
    found = [f"contains '{m}'" for m in LEAK_MARKERS if m in text]
    for item in quiz_obj.items:
        q = item.question
        if q.type == "written":
            secrets = [q.explanation, *(c.criterion for c in q.mark_scheme)]
        else:
            count = data_count(item, tables) if q.type == "data" else None
            source = test_source(item, count)
            secrets = [source.split("### BEGIN HIDDEN TESTS\n")[1].split("\n###")[0]]
            secrets += solution_lines(item)
        for secret in secrets:
            if json.dumps(secret)[1:-1] in text:
                found.append(f"{item.var} shows {secret[:60]!r}")
    return found


def release(root: Path, quiz_id: str, exchange: bool = False, progress: Progress = quiet) -> Path:
    """Generate the quiz from the bank and make the student version in ``release/``."""
    quiz_obj = quiz(root, quiz_id)
    progress(f"Writing source/{quiz_id}/ from the question bank...")
    write_sources(root, [quiz_obj])
    with Guarded(root):
        api = nbgrader_api(root)
        progress("Generating the student version (nbgrader generate_assignment)...")
        check_result(api.generate_assignment(quiz_id, force=True, create=True), "generate the quiz")
        released = course_dir(root) / "release" / quiz_id / f"{quiz_id}.ipynb"
        found = leaks(released, quiz_obj, data.load_all())
        if found:
            released.unlink()
            raise GradingError(
                f"the released {quiz_id} would leak answers ({'; '.join(found)}); "
                "it was deleted. Report this as a bug."
            )
        if exchange:
            progress("Copying it to the nbgrader exchange...")
            check_result(api.release_assignment(quiz_id), "release to the exchange")
    return released.parent


# -- the nbgrader exchange ----------------------------------------------------------


def collect_exchange(root: Path, quiz_id: str) -> list[str]:
    """Collect submissions from the nbgrader exchange; return the students collected."""
    import nbformat

    quiz(root, quiz_id)
    with Guarded(root):
        check_result(nbgrader_api(root).collect(quiz_id), "collect from the exchange")
    course = course_dir(root)
    students = []
    for path in sorted(course.glob(f"submitted/*/{quiz_id}/*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
            ok = quiz_of(nb) == quiz_id
        except Exception:  # a broken file is reported by autograde, never dropped
            ok = False
        students.append(path.parent.parent.name + ("" if ok else " (check this file)"))
    return students


def student_ids(text: str) -> list[str]:
    """Student ids from a comma- or space-separated list."""
    return [s for s in re.split(r"[,\s]+", text) if s]
