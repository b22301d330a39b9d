"""A control group per sandbox, where the machine allows one: a cap on processes and memory.

rlimits bound each process; a fork bomb multiplies processes, so the whole sandbox needs
a cap of its own. Where the grader may write to the pids (and memory) controllers of
cgroup v1 or to cgroup v2, each run gets a group of its own that is destroyed (and every
process left in it killed) when the run ends. Where it may not (an unprivileged
account), the run still has its wall-clock limit and its PID namespace, which end every
process it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from peaceops.grading.sandbox.limits import Limits

ROOT = Path("/sys/fs/cgroup")


class Cgroup:
    """The folders of one run's control group (one per controller under cgroup v1)."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    @classmethod
    def create(cls, name: str, limits: Limits) -> Cgroup | None:
        """Make the group with its limits; None where this machine does not allow it."""
        mb = 1024 * 1024
        memory = str(limits.memory_mb * 2 * mb)  # all processes together; each has memory_mb
        pids = str(limits.processes + 2)  # and bubblewrap's own two
        plans = [
            [(ROOT / "pids" / name, {"pids.max": pids}),
             (ROOT / "memory" / name, {"memory.limit_in_bytes": memory})],
            [(ROOT / "unified" / name, {"pids.max": pids, "memory.max": memory})],
            [(ROOT / name, {"pids.max": pids, "memory.max": memory})],
        ]  # fmt: skip
        for plan in plans:
            made: list[Path] = []
            try:
                for folder, settings in plan:
                    if not folder.parent.is_dir():
                        raise OSError("no such controller")
                    folder.mkdir()
                    made.append(folder)
                    for key, value in settings.items():
                        if (folder / key).exists():
                            (folder / key).write_text(value)
                if not any((f / "pids.max").exists() for f in made):
                    raise OSError("no pids controller")
                return cls(made)
            except OSError:
                for folder in made:
                    _remove(folder)
        return None

    def join_self(self) -> None:
        """Move the calling process into the group (called in the child before exec)."""
        pid = str(os.getpid())
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(pid)

    def destroy(self) -> None:
        """Kill whatever is left in the group, then remove it."""
        for folder in self.folders:
            _remove(folder)


def _remove(folder: Path) -> None:
    for _ in range(50):
        try:
            pids = (folder / "cgroup.procs").read_text().split()
        except OSError:
            pids = []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.02)
