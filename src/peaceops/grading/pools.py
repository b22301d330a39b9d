"""Which assessment pools the graded quizzes draw from: the sample one, a private one, both.

The sample pool is ``questions/assessment/`` (public, in the repository). An instructor
names a private pool (a folder kept outside the repository, a private repository's
checkout) with ``PEACEOPS_POOL`` (folders separated by ``:``), the ``--pool`` option of
``peaceops quiz``, or ``c.Peaceops.pool`` in ``quizzes/nbgrader_config.py``. By default a
private pool *adds to* the sample pool; ``replace`` mode (``PEACEOPS_POOL_MODE=replace``
or ``c.Peaceops.pool_mode``) uses it alone. A private pool may carry its own
``quizzes.yml``, which then takes the place of the course's quiz definitions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SAMPLE = Path("questions") / "assessment"
MODES = ("add", "replace")


class PoolError(ValueError):
    """The pool settings are wrong; the message says which and how to fix them."""


@dataclass(frozen=True)
class Pools:
    """The folders the quizzes draw from, and the quiz definitions to use."""

    folders: tuple[Path, ...]
    definitions: Path


def _configured(root: Path) -> tuple[list[str], str]:
    """``c.Peaceops.pool`` and ``c.Peaceops.pool_mode`` from the course's nbgrader config."""
    config_file = root / "quizzes" / "nbgrader_config.py"
    if not config_file.is_file():
        return [], ""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    section = config.get("Peaceops", {})
    pool = section.get("pool", [])
    return ([pool] if isinstance(pool, str) else list(pool)), str(section.get("pool_mode", ""))


def pools(root: Path) -> Pools:
    """The pools and quiz definitions in force for the course at ``root``."""
    env = os.environ.get("PEACEOPS_POOL", "")
    private = [p for p in env.split(os.pathsep) if p]
    mode = os.environ.get("PEACEOPS_POOL_MODE", "")
    if not private:
        private, configured_mode = _configured(root)
        mode = mode or configured_mode
    mode = mode or "add"
    if mode not in MODES:
        raise PoolError(f"pool mode '{mode}' is not one of {', '.join(MODES)}")
    folders = [Path(p).expanduser() for p in private]
    for folder in folders:
        if not folder.is_dir():
            raise PoolError(f"the assessment pool {folder} does not exist: fix PEACEOPS_POOL, "
                            "--pool or c.Peaceops.pool in quizzes/nbgrader_config.py")  # fmt: skip
    if mode == "replace" and not folders:
        raise PoolError("pool mode 'replace' needs a private pool (PEACEOPS_POOL or --pool)")
    sample = root / SAMPLE
    if mode == "add" and sample.is_dir() and any(sample.glob("*.yml")):
        folders.insert(0, sample)
    definitions = root / "quizzes" / "quizzes.yml"
    for folder in folders:
        if (folder / "quizzes.yml").is_file():
            definitions = folder / "quizzes.yml"
    return Pools(tuple(folders), definitions)
