"""nbgrader's Execute step, replaced: run the student's cells in a sandbox, judge outside.

nbgrader's autograde stays what it is (sanitise the submission, restore locked cells
from the gradebook, save scores, write the autograded notebook that formgrader and
feedback read); only its ``Execute`` preprocessor is swapped for ``SandboxExecute``:

1. every code cell of the submission runs in order, in one namespace, in a fresh sandbox
   (``peaceops.grading.sandbox``); a test cell contributes only its visible part, the
   released form check the student has seen, so the hidden tests never enter the
   sandbox;
2. the runner reports, after each cell, the answer variables as plain data;
3. each test cell (visible and hidden parts, as nbgrader restored them) is run here, in
   a fresh namespace holding the answers as they stood when that cell ran; a failure
   becomes the cell's error output, so nbgrader's own ``SaveAutoGrades`` scores it.
"""

from __future__ import annotations

import ast
import builtins
import functools
import json
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from nbgrader.utils import is_grade, is_solution
from traitlets import Bool, Unicode

from peaceops.grading.engine.judge import BadResult, Verdict, decode, judge
from peaceops.grading.sandbox import bubblewrap, warm
from peaceops.grading.sandbox.limits import Limits, RunResult

HIDDEN = "### BEGIN HIDDEN TESTS"


def is_test(cell) -> bool:
    """A locked, graded code cell: nbgrader's "autograder tests" cell."""
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def visible_part(source: str) -> str:
    """A test cell without its hidden tests (what the released notebook shows)."""
    return source.split(HIDDEN)[0]


@functools.lru_cache(maxsize=256)
def free_names(source: str) -> frozenset[str]:
    """The names a test cell reads but does not define: the answers it judges (a test
    cell's source is the same for every student, so each is parsed once per worker)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    loaded, stored = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    return frozenset(loaded - stored - set(dir(builtins)))


def job_for(nb, limits: Limits) -> tuple[bytes, list[int]]:
    """The runner's job: the code cells (tests reduced to their visible part), the names."""
    cells, where, names = [], [], set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_test(cell):
            names |= free_names(cell.source)
            cells.append(visible_part(cell.source))
        else:
            cells.append(cell.source)
        where.append(index)
    job = {"cells": cells, "names": sorted(names), "limits": limits.for_runner()}
    return json.dumps(job).encode(), where


def parse(result: RunResult, count: int) -> tuple[dict[int, dict], list[str]]:
    """The runner's records by cell position, and notes on anything malformed."""
    records: dict[int, dict] = {}
    notes: list[str] = []
    for line in result.lines:
        try:
            record = json.loads(line)
            position = record["cell"]
            if type(position) is not int or not 0 <= position < count:
                raise ValueError("no such cell")
            if not isinstance(record.get("outputs"), list) or not isinstance(
                record.get("answers"), dict
            ):
                raise ValueError("missing fields")
            records[position] = record
        except (ValueError, KeyError, TypeError):
            notes.append("the notebook wrote lines the grader could not read; they were ignored")
    return records, sorted(set(notes))


def stopped_output(result: RunResult, limits: Limits) -> dict:
    """The error shown in a cell the sandbox never reached, saying why."""
    if result.timed_out:
        name, why = "TimeoutError", f"the notebook ran past its {limits.wall_seconds:g} s limit"
    elif result.too_much_output:
        name, why = "OutputLimit", "Output truncated: the notebook printed more than allowed"
    else:
        name, why = "NotebookStopped", f"the notebook's process ended (code {result.returncode})"
    return {"output_type": "error", "ename": name, "evalue": f"{why}; this cell was not run",
            "traceback": [f"{name}: {why}; this cell was not run"]}  # fmt: skip


def nb_output(raw: dict) -> dict:
    """An output the runner reported, as an nbformat output (only the fields we allow)."""
    from nbformat.v4 import new_output

    kind = raw.get("output_type")
    if kind == "stream" and raw.get("name") in ("stdout", "stderr"):
        return new_output("stream", name=raw["name"], text=str(raw.get("text", "")))
    if kind == "execute_result":
        return new_output("execute_result", data={"text/plain": str(raw.get("text", ""))})
    return new_output(
        "error",
        ename=str(raw.get("ename", "Error")),
        evalue=str(raw.get("evalue", "")),
        traceback=[str(t) for t in raw.get("traceback", [])][:40],
    )


def verdict_for(cell, record: dict | None) -> Verdict:
    """Judge one test cell on the answers as they stood when it ran."""
    if record is None:
        return Verdict(False, "NotRun", "the cell was not reached", ("NotRun",))
    wanted = free_names(cell.source)
    answers = {}
    try:
        for name in wanted:
            if name in record["answers"]:
                answers[name] = decode(record["answers"][name])
    except (BadResult, ValueError, OverflowError) as err:
        return Verdict(False, "BadAnswer", f"the answer could not be read: {err}", ())
    return judge(cell.source, answers)


class SandboxExecute(NbGraderPreprocessor):
    """Replaces nbgrader's Execute: the student's code in a sandbox, the tests outside."""

    release_root = Unicode("", help="the course's release/ folder (data files)").tag(config=True)
    warm = Bool(True, help="fork each run from a warm sandbox (False: a new one per run)").tag(
        config=True
    )

    def preprocess(self, nb, resources):
        limits = Limits.from_env()
        quiz = resources["nbgrader"]["assignment"]
        folder = Path(self.release_root) / quiz
        files = [p for p in sorted(folder.glob("*")) if p.is_file() and p.suffix != ".ipynb"]
        job, where = job_for(nb, limits)
        result = (warm.run if self.warm else bubblewrap.run)(job, files, limits)
        records, notes = parse(result, len(where))
        stopped = stopped_output(result, limits)
        for position, index in enumerate(where):
            cell = nb.cells[index]
            record = records.get(position)
            cell.execution_count = position + 1
            if is_test(cell):
                verdict = verdict_for(cell, record)
                cell.outputs = [] if verdict.passed else [self._error(verdict, record, stopped)]
            elif record is None:
                cell.outputs = [nb_output(stopped)]
            else:
                cell.outputs = [nb_output(o) for o in record["outputs"][:20]]
        resources.setdefault("peaceops", {})["notes"] = notes
        return nb, resources

    @staticmethod
    def _error(verdict: Verdict, record: dict | None, stopped: dict) -> dict:
        if record is None:
            return nb_output(stopped)
        error = {"output_type": "error", "ename": verdict.ename, "evalue": verdict.evalue,
                 "traceback": list(verdict.traceback)}  # fmt: skip
        return nb_output(error)


class SaveAutoGradesOnce(SaveAutoGrades):
    """nbgrader's SaveAutoGrades with one commit per notebook instead of one per cell.

    The scores and comments are decided by nbgrader's own ``SaveAutoGrades`` code (its
    ``determine_grade`` and checksum rule); only the forty-odd commits of a quiz, each a
    disk sync, become one, made when the whole notebook is scored.
    """

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = Gradebook(self.db_url)
        with self.gradebook:
            session = self.gradebook.db
            session.commit = lambda: None  # each cell's commit waits for the notebook's
            try:
                nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
            finally:
                del session.commit
            session.commit()
        return nb, resources
