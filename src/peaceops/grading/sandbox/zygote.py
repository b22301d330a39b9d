"""A warm runner inside a long-lived sandbox: modules imported once, a fork per submission.

Executed inside the sandbox (standard library and ``runner`` only). It imports the
modules students' notebooks use (pandas, numpy) once, makes itself undumpable (so that a
student's process, of the same user, can neither trace it nor read its memory or file
descriptors), then loops:

1. fork a child; the child closes the control pipe, reads *one* job from stdin, runs it
   in a fresh working folder (``/peaceops-work/job``, with links to the quiz's data files in
   ``/data``) and writes its lines to stdout;
2. when the child exits, kill every other process of the sandbox (``kill(-1)``: whatever
   the student left behind), empty every writable folder, and only then write ``done``
   on the control pipe.

The grader sends the next job only after ``done``, so no process of one student is alive
when the next student's job enters the sandbox, and the zygote itself never reads a job.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import shutil
import signal
import sys
import time

# -I leaves the script's folder off the path; the runner sits beside this file (read-only)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
runner = importlib.import_module("runner")

WORK = "/peaceops-work"  # a path no Python installation uses
WRITABLE = (WORK, "/tmp", "/dev/shm")


def mount_points() -> set[str]:
    """Every mount point of the sandbox (read once, before any job runs)."""
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        return {line.split()[4] for line in handle if len(line.split()) > 4}


MOUNTS = mount_points()
PR_SET_DUMPABLE = 4


def empty(folder: str) -> None:
    """Remove everything inside ``folder`` (never the folder itself), whatever its modes."""
    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if path in MOUNTS or any(m.startswith(path + "/") for m in MOUNTS):
            continue  # a read-only bind (a data file, a Python under /tmp): never walked into
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
        if os.path.isdir(path) and not os.path.islink(path):
            for base, dirs, _files in os.walk(path):
                for d in dirs:
                    with contextlib.suppress(OSError):
                        os.chmod(os.path.join(base, d), 0o700)
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


def child() -> None:
    """Run one job in a fresh folder; never returns."""
    try:
        job_dir = f"{WORK}/job"
        os.makedirs(job_dir)
        for name in os.listdir("/data"):
            os.symlink(f"/data/{name}", f"{job_dir}/{name}")
        os.chdir(job_dir)
        line = sys.stdin.buffer.readline()
        runner.run_job(runner.json.loads(line), os.fdopen(os.dup(1), "w", encoding="utf-8"))
    finally:
        os._exit(0)


def wait_until_alone(seconds: float = 2.0) -> None:
    """Wait until the killed processes are gone (reaped by the sandbox's init), not only
    signalled, so that the next job starts in a sandbox holding nothing but the zygote."""
    me = str(os.getpid())
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        others = [p for p in os.listdir("/proc") if p.isdigit() and p not in ("1", me)]
        if not others:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        time.sleep(0.002)


def main() -> None:
    control_fd = int(sys.argv[1])
    for name in sys.argv[2:]:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    control = os.fdopen(control_fd, "w", encoding="utf-8")
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    while True:
        control.write("ready\n")
        control.flush()
        pid = os.fork()
        if pid == 0:
            os.close(control_fd)
            child()
        os.waitpid(pid, 0)
        # whatever the student left: killed, reaped, its files removed
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        wait_until_alone()
        for folder in WRITABLE:
            empty(folder)
        control.write("done\n")
        control.flush()


if __name__ == "__main__":
    main()
