"""Run a student's notebook cells inside the sandbox and report outputs and answers as data.

This file is executed *inside* the sandbox by a fresh Python (``python -I runner.py``); it
uses the standard library only and imports nothing of peaceops. It reads one job from
stdin (JSON: the code cells in order, the answer variables to report, the limits),
applies the limits to itself, runs the cells in one namespace as a kernel would, and
writes one JSON line per cell to stdout: the cell's outputs and the answer variables as
they stand after it, encoded as plain data (builtin types, numpy scalars by dtype,
anything else as the name of its type).

Nothing here is trusted by the grader: a hostile notebook can rewrite this code while it
runs. The grader treats every line as a claim about the student's own answers, parses it
with limits, and judges the answers outside the sandbox with the keys the sandbox never
sees. What the runner protects is the honest student: their outputs and errors are
recorded as a kernel would record them.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import resource
import signal
import sys
import traceback

MAX_ITEMS = 10_000
MAX_TEXT = 100_000
MAX_DEPTH = 12


class CellTimeout(BaseException):
    """A cell ran past its time (a BaseException, so ``except Exception`` does not hide it)."""


def apply_limits(limits: dict) -> None:
    """Memory, CPU, file size, processes and open files for this process and its children."""
    mb = 1024 * 1024
    wanted = {
        resource.RLIMIT_AS: limits["memory_mb"] * mb,
        resource.RLIMIT_CPU: limits["cpu_seconds"],
        resource.RLIMIT_FSIZE: limits["file_mb"] * mb,
        resource.RLIMIT_NPROC: limits["processes"],
        resource.RLIMIT_NOFILE: 256,
        resource.RLIMIT_CORE: 0,
    }
    for kind, value in wanted.items():
        # a limit the platform does not allow lowering: the sandbox still bounds it
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (value, value))


class Capture(io.TextIOBase):
    """A bounded text stream: keeps the first ``limit`` characters, counts the rest."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n... Output truncated: {self.dropped} more characters not shown\n"
        return out


def encode(value: object, depth: int = 0, budget: list[int] | None = None) -> object:
    """A value as tagged plain data; containers and scalars by exact type only."""
    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return {"other": "too large"}
    kind = type(value)
    if value is None or kind is bool or kind is int:
        return {"int": str(value)} if kind is int else value
    if kind is float:
        return {"float": repr(value)}
    if kind is str:
        return value if len(value) <= MAX_TEXT else {"other": "too long str"}
    if kind in (list, tuple, set, frozenset):
        items = list(value)
        if len(items) > MAX_ITEMS:
            return {"other": f"too long {kind.__name__}"}
        return {kind.__name__: [encode(v, depth + 1, budget) for v in items]}
    if kind is dict:
        pairs = list(dict.items(value))
        if len(pairs) > MAX_ITEMS:
            return {"other": "too long dict"}
        return {"dict": [[encode(k, depth + 1, budget), encode(v, depth + 1, budget)]
                         for k, v in pairs]}  # fmt: skip
    numpy = sys.modules.get("numpy")
    if numpy is not None and kind in _numpy_scalars(numpy):
        return {"numpy": kind.__name__, "value": str(value.item())}
    return {"other": f"{kind.__module__}.{kind.__qualname__}"}


def _numpy_scalars(numpy) -> tuple:
    names = ("bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
             "uint64", "float16", "float32", "float64")  # fmt: skip
    return tuple(getattr(numpy, n) for n in names if hasattr(numpy, n))


def compile_cell(source: str):
    """Compile a cell as a kernel would: the value of a final expression is shown."""
    lines = [
        "pass  # IPython magic or shell command: not run by the grader"
        if line.lstrip().startswith(("%", "!"))
        else line
        for line in source.splitlines()
    ]
    tree = ast.parse("\n".join(lines), "<cell>", "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, "<cell>", "exec")
    return body, (compile(last, "<cell>", "eval") if last is not None else None)


def run_cell(source: str, namespace: dict, timeout: float, limit: int) -> list[dict]:
    """Run one cell; return its outputs in nbformat's shape."""
    out, err = Capture(limit), Capture(limit)
    outputs: list[dict] = []
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        body, last = compile_cell(source)
        exec(body, namespace)
        if last is not None:
            value = eval(last, namespace)
            if value is not None:
                text = repr(value)
                outputs.append({"output_type": "execute_result", "text": text[:limit]})
    except CellTimeout:
        outputs.append(_error("TimeoutError", f"the cell ran longer than {timeout:g} s"))
    except BaseException as exc:  # the student's error, recorded as a kernel would
        if isinstance(exc, SystemExit | KeyboardInterrupt):
            name = type(exc).__name__
            outputs.append(_error(name, "the cell tried to stop the notebook"))
        else:
            outputs.append(_error(type(exc).__name__, str(exc)[:limit], exc))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout, sys.stderr = old
    streams = [{"output_type": "stream", "name": n, "text": c.text()}
               for n, c in (("stdout", out), ("stderr", err)) if c.size or c.dropped]  # fmt: skip
    return streams + outputs


def _error(name: str, message: str, exc: BaseException | None = None) -> dict:
    lines = []
    if exc is not None:
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:]
    return {"output_type": "error", "ename": name, "evalue": message,
            "traceback": [ln.rstrip("\n") for ln in lines] or [f"{name}: {message}"]}  # fmt: skip


def _on_alarm(signum, frame) -> None:
    raise CellTimeout()


def run_job(job: dict, channel) -> None:
    """Apply the job's limits, run its cells, and write a line per cell to ``channel``."""
    limits = job["limits"]
    apply_limits(limits)
    signal.signal(signal.SIGALRM, _on_alarm)
    dumps = json.dumps
    namespace: dict = {"__name__": "__main__"}
    for index, cell in enumerate(job["cells"]):
        outputs = run_cell(cell, namespace, limits["cell_seconds"], limits["output_chars"])
        answers = {name: encode(namespace[name]) for name in job["names"] if name in namespace}
        channel.write(dumps({"cell": index, "outputs": outputs, "answers": answers}) + "\n")
        channel.flush()


def main() -> None:
    """One job from stdin, its lines to stdout (the cold sandbox: one Python per job)."""
    job = json.loads(sys.stdin.read())
    sys.stdin.close()
    run_job(job, os.fdopen(os.dup(1), "w", encoding="utf-8"))


if __name__ == "__main__":
    main()
