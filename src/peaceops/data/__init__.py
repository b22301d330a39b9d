"""Layer 1, the course's cited tables: loading with schemas (``tables``) and figures.

``from peaceops import data`` gives the tables' API; ``peaceops.data.figures`` (which
needs matplotlib) is imported on its own. Imports only ``peaceops.course``.
"""

from peaceops.data.tables import (
    COLUMNS,
    DATA_DIR,
    DATE_COLUMN,
    SCHEMAS,
    DataError,
    RowProblem,
    current_members,
    earliest,
    latest,
    load,
    load_all,
    problems_in,
    read_table,
    select_rows,
)

__all__ = [
    "COLUMNS",
    "DATA_DIR",
    "DATE_COLUMN",
    "SCHEMAS",
    "DataError",
    "RowProblem",
    "current_members",
    "earliest",
    "latest",
    "load",
    "load_all",
    "problems_in",
    "read_table",
    "select_rows",
]
