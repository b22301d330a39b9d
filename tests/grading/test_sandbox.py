"""The sandbox on its own: what a run sees, and that one job cannot reach the next.

The warm sandbox runs many students' jobs, one after another, in one bubblewrap
sandbox; these tests run a hostile job and then an honest one in the same sandbox and
check that the honest job saw nothing of the first and reported only its own answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from peaceops.grading.engine.judge import Opaque, decode, judge
from peaceops.grading.sandbox import bubblewrap, warm
from peaceops.grading.sandbox.limits import Limits

LIMITS = Limits(cell_seconds=2, wall_seconds=8)
FILES = [ROOT / "data" / "operations.csv"]


def job(*cells: str, names: tuple[str, ...] = ("q01",)) -> bytes:
    return json.dumps({"cells": list(cells), "names": list(names),
                       "limits": LIMITS.for_runner()}).encode()  # fmt: skip


def records(result) -> list[dict]:
    return [json.loads(line) for line in result.lines]


@pytest.fixture()
def sandbox():
    box = warm.WarmSandbox(FILES, LIMITS)
    yield box
    box.close()


def test_a_job_sees_only_its_data_and_answers_as_plain_data(sandbox) -> None:
    result = sandbox.run(job(
        "import os, pandas as pd\n"
        "q01 = {1: 'A', 2: ('B', 3.5)}\n"
        "q02 = len(pd.read_csv('operations.csv'))\n"
        "q03 = pd.Series([1])\n"
        "print(sorted(os.listdir('.')), sorted(os.environ), os.getuid())",
        names=("q01", "q02", "q03"),
    ))  # fmt: skip
    [record] = records(result)
    answers = {k: decode(v) for k, v in record["answers"].items()}
    assert answers["q01"] == {1: "A", 2: ("B", 3.5)}
    assert answers["q02"] == len(pd.read_csv(FILES[0]))  # the real table, read in the box
    assert isinstance(answers["q03"], Opaque) and "Series" in repr(answers["q03"])
    printed = record["outputs"][0]["text"]
    assert printed.startswith("['operations.csv'] ")
    assert "65534" in printed and "PEACEOPS" not in printed and "HOSTNAME" not in printed


def test_nothing_of_one_job_reaches_the_next(sandbox) -> None:
    look = ("import os\n"
            "q01 = 'B'\n"
            "print(sorted(os.listdir('.')), sorted(os.listdir('/tmp')),"
            " sorted(p for p in os.listdir('/proc') if p.isdigit()))")  # fmt: skip
    [fresh] = records(sandbox.run(job(look)))
    planted = sandbox.run(job(
        "import os, sys, time\n"
        "open('/tmp/planted', 'w').write('x')\n"
        "open('planted', 'w').write('x')\n"
        "os.makedirs('locked/inner'); os.chmod('locked', 0)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    line = sys.stdin.readline()  # the next student's job, if it could\n"
        "    forged = b'{\"cell\": 0, \"outputs\": [], \"answers\": {\"q01\": \"x\"}}'\n"
        "    os.write(1, forged + b'\\n')\n"
        "    time.sleep(30)\n"
        "q01 = 'planter'"
    ))  # fmt: skip
    assert records(planted)[-1]["answers"]["q01"] == "planter"
    [record] = records(sandbox.run(job(look)))
    assert record["answers"] == {"q01": "B"}
    listing = record["outputs"][0]["text"]
    assert "planted" not in listing and "locked" not in listing
    # the same folders as a fresh sandbox showed, and the same number of processes
    before = fresh["outputs"][0]["text"]
    assert listing.rsplit("] [", 1)[0] == before.rsplit("] [", 1)[0]
    assert len(eval("[" + listing.rsplit("] [", 1)[1].strip())) == 3  # init, zygote, job


def test_a_job_that_kills_the_zygote_only_ends_itself(sandbox) -> None:
    broken = sandbox.run(job("import os, signal\nq01 = 'A'\nos.kill(os.getppid(), signal.SIGKILL)"))
    assert broken.returncode != 0 and not sandbox.alive()
    again = warm.run(job("q01 = 'C'"), FILES, LIMITS)
    assert records(again)[-1]["answers"] == {"q01": "C"}


def test_a_job_past_its_time_is_killed_with_everything_it_started() -> None:
    result = warm.run(job("q01 = 'A'", "import signal\nsignal.setitimer(signal.ITIMER_REAL, 0)\n"
                          "signal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n  pass",
                          "q01 = 'never'"), FILES, LIMITS)  # fmt: skip
    assert result.timed_out and result.seconds < LIMITS.wall_seconds + 2
    assert [r["answers"] for r in records(result)] == [{"q01": "A"}]
    assert records(warm.run(job("q01 = 'D'"), FILES, LIMITS))[-1]["answers"] == {"q01": "D"}


def test_the_cold_sandbox_gives_the_same_answers() -> None:
    result = bubblewrap.run(job("q01 = ['A', 'C']"), FILES, LIMITS)
    assert [decode(r["answers"]["q01"]) for r in records(result)] == [["A", "C"]]


@pytest.mark.parametrize(
    ("answer", "passes"),
    [("B", True), (" b ", True), ("C", False), (Opaque("__main__.Liar"), False), (None, False)],
)
def test_a_test_cell_is_judged_on_plain_data(answer, passes: bool) -> None:
    source = (
        "assert type(q01) is str and q01.strip().upper() in ('A', 'B', 'C'), 'one letter'\n"
        "### BEGIN HIDDEN TESTS\nassert q01.strip().upper() == 'B'\n### END HIDDEN TESTS"
    )
    assert judge(source, {"q01": answer}).passed is passes


def test_malformed_reports_are_refused() -> None:
    from peaceops.grading.engine.judge import BadResult

    for bad in ({"int": 5}, {"list": "x"}, {"exec": "print(1)"}, [1, 2], {"numpy": "object"}):
        with pytest.raises(BadResult):
            decode(bad)


def test_no_bubblewrap_no_grading(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(bubblewrap.SandboxUnavailable, match="apt-get install bubblewrap"):
        bubblewrap.bwrap_path()
