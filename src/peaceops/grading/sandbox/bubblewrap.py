"""Run the notebook runner under Debian's bubblewrap, one fresh sandbox per submission.

What the student's code sees: a read-only Python runtime (the interpreter and its
site-packages), its quiz's data files (read-only) in a small writable working folder held
in memory, a private /tmp of the same kind, and nothing else: no course folder, no
gradebook, no bank, no other student, no environment variables, no network (a network
namespace of its own, with nothing listening), no other process (a PID namespace of its
own, whose processes all die when the run ends), an unprivileged user with no
capabilities. Limits: memory, CPU and file size by rlimits inside; processes and memory
of the whole sandbox by a cgroup where the machine lets us make one; wall time and output
size by this module, which kills the sandbox when either is exceeded.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from peaceops.grading.sandbox.cgroup import Cgroup
from peaceops.grading.sandbox.limits import Limits, RunResult

RUNNER = Path(__file__).with_name("runner.py")
_counter = itertools.count()


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot make namespaces on this machine."""


def bwrap_path() -> str:
    """The bubblewrap executable, or a clear error saying how to install it."""
    found = shutil.which("bwrap")
    if not found:
        raise SandboxUnavailable(
            "bubblewrap is not installed: run 'apt-get install bubblewrap' (Debian/Ubuntu). "
            "peaceops never grades a notebook outside a sandbox."
        )
    return found


def python_roots() -> list[str]:
    """The folders the sandbox needs to run this Python: its prefix and base prefix."""
    roots = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    return sorted(r for r in roots if not r.startswith("/usr/"))


def command(workdir_files: list[Path], limits: Limits, workdir: str = "/quiz",
            mounts: tuple[str, ...] = (), script: str = "/peaceops/runner.py",
            script_args: tuple[str, ...] = ()) -> list[str]:  # fmt: skip
    """The bubblewrap command line: Python running ``script`` (the runner by default; the
    job goes to its stdin), with ``mounts`` (more bubblewrap arguments) before the root is
    made read-only."""
    mb = 1024 * 1024
    args = [
        bwrap_path(),
        "--unshare-all",
        "--unshare-user",
        "--uid", "65534",
        "--gid", "65534",
        "--hostname", "sandbox",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--clearenv",
        "--setenv", "PATH", "/usr/bin:/bin",
        "--setenv", "HOME", "/tmp",
        "--setenv", "LANG", "C.UTF-8",
        "--setenv", "MPLBACKEND", "Agg",
        "--setenv", "OPENBLAS_NUM_THREADS", "1",
        "--setenv", "OMP_NUM_THREADS", "1",
        "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
        "--ro-bind-try", "/etc/localtime", "/etc/localtime",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(limits.disk_mb * mb), "--tmpfs", "/tmp",
        "--size", str(limits.disk_mb * mb), "--tmpfs", workdir,
    ]  # fmt: skip
    for root in python_roots():
        args += ["--ro-bind", root, root]
    for path in workdir_files:
        args += ["--ro-bind", str(path), f"{workdir}/{path.name}"]
    args += ["--ro-bind", str(RUNNER), "/peaceops/runner.py", "--chdir", workdir, *mounts]
    args += ["--remount-ro", "/"]  # only the working folder and /tmp are writable, bounded
    return [*args, sys.executable, "-I", script, *script_args]


def run(job: bytes, files: list[Path], limits: Limits) -> RunResult:
    """Run the runner on ``job`` in a fresh sandbox; always returns, never leaves a process."""
    result = RunResult()
    started = time.monotonic()
    group = Cgroup.create(f"peaceops-{os.getpid()}-{next(_counter)}", limits)
    proc = subprocess.Popen(
        command(files, limits),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        close_fds=True,
        preexec_fn=group.join_self if group else None,  # noqa: PLW1509 (no threads here)
    )
    try:
        _talk(proc, job, limits, result, started)
    finally:
        kill(proc)
        if group:
            group.destroy()
        result.returncode = proc.returncode
        result.seconds = time.monotonic() - started
    return result


def _talk(proc: subprocess.Popen, job: bytes, limits: Limits, result: RunResult,
          started: float) -> None:  # fmt: skip
    assert proc.stdin and proc.stdout and proc.stderr
    try:
        proc.stdin.write(job)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ, "out")
    selector.register(proc.stderr, selectors.EVENT_READ, "err")
    errors = b""
    open_streams = 2
    while open_streams:
        left = limits.wall_seconds - (time.monotonic() - started)
        if left <= 0:
            result.timed_out = True
            return
        for key, _ in selector.select(timeout=min(left, 0.5)):
            chunk = os.read(key.fileobj.fileno(), 65536)
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
                continue
            if key.data == "err":
                errors = (errors + chunk)[-4096:]
                continue
            if not result.take(chunk, limits.result_bytes):
                return
    result.stderr = errors.decode("utf-8", "replace")
    try:
        proc.wait(timeout=max(0.1, limits.wall_seconds - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        result.timed_out = True


def kill(proc: subprocess.Popen) -> None:
    """Kill bubblewrap and with it the sandbox's PID namespace (every process inside)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream:
            stream.close()
