"""Start nbgrader's formgrader on the course and say exactly where it is.

The formgrader is nbgrader's own (a JupyterLab extension); what this adds:

- the address printed is the formgrader's, with its token, not JupyterLab's launcher;
- a quiz released without an exchange (the LMS route) shows as *released*, not *draft*
  under a warning about a missing exchange: when the configured exchange does not exist,
  a course-local one (``quizzes/.exchange``) records what ``release/`` holds;
- the server's log goes to ``quizzes/reports/formgrade.log``, not the terminal, unless
  asked for.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from peaceops.grading.workflow import GradingError, course_dir, nbgrader_api

LOCAL_EXCHANGE = ".exchange"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def exchange_root(root: Path) -> Path:
    """The exchange the formgrader will use: the configured one, or the course's own."""
    configured = Path(os.environ.get("PEACEOPS_EXCHANGE", "/srv/nbgrader/exchange"))
    return configured if configured.is_dir() else course_dir(root) / LOCAL_EXCHANGE


def record_releases(root: Path, exchange: Path) -> list[str]:
    """Put every quiz in ``release/`` into a course-local exchange's outbound folder."""
    if exchange.parent != course_dir(root):
        return []  # a real exchange: what it holds is what was released through it
    exchange.mkdir(exist_ok=True)
    os.environ["PEACEOPS_EXCHANGE"] = str(exchange)
    recorded = []
    api = None
    for folder in sorted((course_dir(root) / "release").glob("*/")):
        if (exchange / "peaceops" / "outbound" / folder.name).is_dir():
            continue
        api = api or nbgrader_api(root)
        result = api.release_assignment(folder.name)
        if result.get("success"):
            recorded.append(folder.name)
    return recorded


def start(
    root: Path, port: int | None = None, log: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """Start the formgrader; return the server process and the formgrader's address.

    ``log`` receives the server's output (None: the terminal). Waits until the server
    answers, so the address works when it is printed.
    """
    course = course_dir(root)
    exchange = exchange_root(root)
    record_releases(root, exchange)
    port = port or free_port()
    token = secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}", "--ServerApp.default_url=/formgrader",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "PEACEOPS_EXCHANGE": str(exchange)}
    output = None
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        output = log.open("w", encoding="utf-8")
    proc = subprocess.Popen(command, cwd=course, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}/formgrader?token={token}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                        timeout=5):  # fmt: skip
                return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                where = f"; see {log}" if log else ""
                raise GradingError(f"the formgrader did not start{where}") from None
            time.sleep(0.3)
