"""The kernel that runs students' notebooks during autograding, with resource limits.

nbgrader runs every submission in a fresh IPython kernel. This module starts that kernel
under limits, so that a careless or hostile notebook cannot take the grading machine down
with it: its address space (``PEACEOPS_MEMORY_LIMIT_MB``, 4096 by default) and the size
of any file it writes (``PEACEOPS_FILE_LIMIT_MB``, 100). A cell that goes past them fails
with ``MemoryError`` or ``OSError`` and the rest of the notebook is still graded; time is
limited per cell by nbgrader's own timeout (``PEACEOPS_CELL_TIMEOUT``).

``install(folder)`` writes the kernel spec (``peaceops-grader``) that nbgrader is pointed
at; ``python -m peaceops.grading.kernel -f CONNECTION_FILE`` is what the spec runs.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

NAME = "peaceops-grader"
MB = 1024 * 1024


def limits() -> dict[int, int]:
    """The resource limits of a grading kernel, from the environment."""
    memory = int(os.environ.get("PEACEOPS_MEMORY_LIMIT_MB", "4096"))
    files = int(os.environ.get("PEACEOPS_FILE_LIMIT_MB", "100"))
    return {resource.RLIMIT_AS: memory * MB, resource.RLIMIT_FSIZE: files * MB}


def install(folder: Path) -> Path:
    """Write the ``peaceops-grader`` kernel spec under ``folder/kernels/``; return its dir."""
    spec_dir = folder / "kernels" / NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "peaceops.grading.kernel", "-f", "{connection_file}"],
        "display_name": "Python 3 (peaceops grading, limited)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return spec_dir


def main() -> None:
    """Apply the limits, then run an ordinary IPython kernel."""
    for kind, value in limits().items():
        resource.setrlimit(kind, (value, value))
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
