"""A warm sandbox per worker: one bubblewrap sandbox whose zygote forks a child per job.

Starting Python and importing pandas costs about a quarter of a second per submission;
the zygote (``zygote.py``) pays it once per worker. Each job still runs in a process of
its own, in a fresh folder, and nothing of it survives the job (see ``zygote.py`` for
how). When a job breaks the sandbox (it killed or stopped the zygote, or ran past its
time), the whole sandbox is killed and the next job gets a new one.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import subprocess
import time
from pathlib import Path

from peaceops.grading.sandbox import bubblewrap
from peaceops.grading.sandbox.cgroup import Cgroup
from peaceops.grading.sandbox.limits import Limits, RunResult

ZYGOTE = Path(__file__).with_name("zygote.py")
#: Imported once by the zygote: what quiz notebooks import.
PRELOAD = ("pandas", "numpy")


class WarmSandbox:
    """One long-lived sandbox for the jobs of one quiz in one worker process."""

    def __init__(self, files: list[Path], limits: Limits) -> None:
        self.limits = limits
        self.group = Cgroup.create(f"peaceops-warm-{os.getpid()}-{id(self)}", limits)
        read, write = os.pipe()
        mounts = ["--ro-bind", str(ZYGOTE), "/peaceops/zygote.py", "--dir", "/data"]
        for path in files:
            mounts += ["--ro-bind", str(path), f"/data/{path.name}"]
        self.proc = subprocess.Popen(
            bubblewrap.command([], limits, workdir="/peaceops-work", mounts=tuple(mounts),
                               script="/peaceops/zygote.py",
                               script_args=(str(write), *PRELOAD)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            pass_fds=(write,),
            start_new_session=True,
            preexec_fn=self.group.join_self if self.group else None,  # noqa: PLW1509
        )  # fmt: skip
        os.close(write)
        self.control = os.fdopen(read, "rb", buffering=0)
        self.pending = b""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _control_line(self, deadline: float) -> bytes | None:
        """The zygote's next word ("ready" or "done"), or None at the deadline or its death."""
        selector = selectors.DefaultSelector()
        selector.register(self.control, selectors.EVENT_READ)
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(timeout=left):
                return None
            chunk = os.read(self.control.fileno(), 64)
            if not chunk:
                return None
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line

    def run(self, job: bytes) -> RunResult:
        """Run one job; the sandbox is left clean for the next, or closed if it broke."""
        limits, result = self.limits, RunResult()
        started = time.monotonic()
        if self._control_line(started + 30) != b"ready":
            self.close()
            raise bubblewrap.SandboxUnavailable("the warm sandbox did not start")
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(job.rstrip(b"\n") + b"\n")
        self.proc.stdin.flush()
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ, "out")
        selector.register(self.control, selectors.EVENT_READ, "control")
        finished = False
        deadline = started + limits.wall_seconds
        while not finished:
            left = deadline - time.monotonic()
            if left <= 0:
                result.timed_out = True
                break
            for key, _ in selector.select(timeout=min(left, 0.5)):
                if key.data == "control":
                    finished = True  # "done", or the zygote died: either way the job is over
                    continue
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    finished = True
                    continue
                if not result.take(chunk, limits.result_bytes):
                    finished = True
                    break
        if finished and not result.too_much_output:
            line = self._control_line(time.monotonic() + 5)
            finished = line == b"done"
            self._drain(result)
        if not finished or result.timed_out or result.too_much_output:
            self.close()  # a broken or stopped zygote: the next job gets a new sandbox
            result.returncode = -9
        else:
            result.returncode = 0
        result.seconds = time.monotonic() - started
        return result

    def _drain(self, result: RunResult) -> None:
        """Lines still in the pipe once the job's processes are gone."""
        assert self.proc.stdout
        os.set_blocking(self.proc.stdout.fileno(), False)
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.proc.stdout.fileno(), 65536):
                if not result.take(chunk, self.limits.result_bytes):
                    break
        os.set_blocking(self.proc.stdout.fileno(), True)
        result.finish()

    def close(self) -> None:
        """Kill the sandbox and everything in it."""
        bubblewrap.kill(self.proc)
        with contextlib.suppress(OSError):
            self.control.close()
        if self.group:
            self.group.destroy()
            self.group = None


_POOL: dict[tuple, WarmSandbox] = {}


def run(job: bytes, files: list[Path], limits: Limits) -> RunResult:
    """Run a job in this process's warm sandbox for these files and limits (made on demand)."""
    key = (tuple(str(p) for p in files), limits)
    sandbox = _POOL.get(key)
    if sandbox is None or not sandbox.alive():
        for other in _POOL.values():
            other.close()  # one quiz at a time per worker
        _POOL.clear()
        sandbox = _POOL[key] = WarmSandbox(files, limits)
    return sandbox.run(job)
