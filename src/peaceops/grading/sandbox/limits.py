"""What one submission's run may use, and what came back from it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError as err:
        raise ValueError(f"{name}={value!r} is not a number of seconds or megabytes") from err


#: The environment variable that sets each limit.
ENVIRONMENT = {
    "memory_mb": "PEACEOPS_MEMORY_LIMIT_MB",
    "cpu_seconds": "PEACEOPS_CPU_LIMIT_S",
    "wall_seconds": "PEACEOPS_NOTEBOOK_TIMEOUT",
    "cell_seconds": "PEACEOPS_CELL_TIMEOUT",
    "processes": "PEACEOPS_PROCESS_LIMIT",
    "file_mb": "PEACEOPS_FILE_LIMIT_MB",
    "disk_mb": "PEACEOPS_DISK_LIMIT_MB",
    "output_chars": "PEACEOPS_OUTPUT_LIMIT_CHARS",
    "result_bytes": "PEACEOPS_RESULT_LIMIT_BYTES",
}


@dataclass(frozen=True)
class Limits:
    """The bounds of one notebook's run in the sandbox.

    Each has an environment variable (``ENVIRONMENT``) so that an instructor can widen a
    bound for a quiz that needs it.
    """

    memory_mb: int = 2048  # address space of each process
    cpu_seconds: int = 60  # CPU time of each process
    wall_seconds: float = 60.0  # the whole notebook, start to finish
    cell_seconds: float = 15.0  # one cell
    processes: int = 32  # processes and threads at once (where cgroups allow)
    file_mb: int = 50  # the largest file it may write
    disk_mb: int = 100  # all it may write (its working folder and /tmp, in memory)
    output_chars: int = 20_000  # kept of each cell's stdout and of its stderr
    result_bytes: int = 8 * 1024 * 1024  # all the runner may report

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by the environment variables that are set."""
        base = cls()
        values = {}
        for name, variable in ENVIRONMENT.items():
            default = getattr(base, name)
            values[name] = type(default)(_env_number(variable, default))
        return cls(**values)

    def for_runner(self) -> dict:
        """The limits the runner applies to itself inside the sandbox."""
        return {
            "memory_mb": self.memory_mb,
            "cpu_seconds": self.cpu_seconds,
            "file_mb": self.file_mb,
            "processes": self.processes,
            "cell_seconds": self.cell_seconds,
            "output_chars": self.output_chars,
        }


@dataclass
class RunResult:
    """What the sandbox gave back: the runner's lines and why the run ended."""

    lines: list[bytes] = field(default_factory=list)
    returncode: int | None = None
    timed_out: bool = False
    too_much_output: bool = False
    stderr: str = ""
    seconds: float = 0.0
    received: int = 0
    pending: bytes = b""

    def take(self, chunk: bytes, limit: int) -> bool:
        """Add bytes of the runner's output, keeping whole lines; False (and
        ``too_much_output``) once ``limit`` bytes in all have come."""
        self.received += len(chunk)
        if self.received > limit:
            self.too_much_output = True
            return False
        self.pending += chunk
        *complete, self.pending = self.pending.split(b"\n")
        self.lines += [line for line in complete if line.strip()]
        return True

    def finish(self) -> None:
        """Keep a last line that had no newline (the runner's output is over)."""
        if self.pending.strip():
            self.lines.append(self.pending)
        self.pending = b""
