"""nbgrader configuration of the peaceops quizzes; every path is relative to this folder.

`peaceops quiz ...` loads this file, and so does plain `nbgrader ...` run in this folder.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "peaceops"
c.CourseDirectory.root = str(HERE)
# The gradebook: SQLite beside this file (peaceops keeps a last good copy beside it), or
# a server database named by PEACEOPS_DB_URL (postgresql://user@host:5432/peaceops).
c.CourseDirectory.db_url = os.environ.get("PEACEOPS_DB_URL") or f"sqlite:///{HERE / 'gradebook.db'}"
# The exchange for JupyterHub courses; PEACEOPS_EXCHANGE points it elsewhere.
c.Exchange.root = os.environ.get("PEACEOPS_EXCHANGE", "/srv/nbgrader/exchange")

# The released answer cell keeps only its blank line (q01 = None), not nbgrader's
# "raise NotImplementedError()", so a blank quiz runs and scores 0.
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "Write your answer here."

# Hostile or careless submissions: a cell that runs too long is interrupted and the
# rest of the notebook still runs; long outputs are cut; deleted graded cells come back.
c.Execute.timeout = int(os.environ.get("PEACEOPS_CELL_TIMEOUT", "15"))
c.Execute.interrupt_on_timeout = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
c.OverwriteCells.add_missing_cells = True

# An exam's private assessment pool, kept outside the repository (see
# questions/assessment/README.md): "add" to the sample pool, or "replace" it.
# c.Peaceops.pool = "/path/to/private/pool"
# c.Peaceops.pool_mode = "add"
