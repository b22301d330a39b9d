"""Where missions were deployed: ``data/deployments.csv``, loaded and validated.

One row is one place at one date: a safe area a resolution declared, a brigade's or a
sector's headquarters. Each row names its operation (an ``id`` of ``operations.csv`` or
``un_operations.csv``), the date the source describes (``as_of``, ISO, partial allowed),
the place and the country it lies in, its latitude and longitude (decimal degrees, at
most two decimals, from a named gazetteer), its role (one of :data:`ROLES`), a label,
the lead or contributing nation where the source names one, its sources (keys of
``references.bib`` or URLs, for the deployment fact and for the coordinates) and a note.

``country`` is checked against the operation's row where that row names host countries
(the ``host_country`` column of ``operations.csv``, and of ``un_operations.csv`` where
the table has one), or must be one of the few places outside them that
:data:`OUTSIDE_HOSTS` names (a force headquarters or a reserve a source places in a
neighbouring country); the tests check that each point lies inside that country's
Natural Earth boundary. A
table that breaks a rule is refused with every problem at once, each with the file, the
line, the column and what to fix, as :mod:`peaceops.data.tables` does for the tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from peaceops.data.tables import DATA_DIR, DATE, DataError, RowProblem, load_all

FILE = "data/deployments.csv"
COLUMNS = [
    "operation", "as_of", "place", "country", "lat", "lon", "role", "label", "nation",
    "source", "note",
]  # fmt: skip
#: What a place was to the operation.
ROLES = ("safe area", "force HQ", "forward HQ", "sector HQ", "brigade HQ", "reserve")
#: Countries outside an operation's host countries where a source places part of it,
#: each allowed by name (data/README.md gives the sources): Operation Artemis's force
#: headquarters at Entebbe and EUFOR RD Congo's on-call force at Libreville.
OUTSIDE_HOSTS: dict[str, frozenset[str]] = {
    "ARTEMIS": frozenset({"Uganda"}),
    "EUFOR-RD-CONGO": frozenset({"Gabon"}),
}
#: Decimal degrees with at most two decimals (about a kilometre: a town, not a building).
DEGREES = r"-?\d{1,3}(\.\d{1,2})?"


def read(data_dir: Path | None = None) -> pd.DataFrame:
    """The deployments table as text (empty cells are ''), not validated."""
    path = (data_dir or DATA_DIR) / "deployments.csv"
    if not path.is_file():
        raise DataError([RowProblem(FILE, None, "-", "file not found")])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise DataError([RowProblem(FILE, None, "-", f"not a readable UTF-8 CSV ({err})")]) from err


def hosts_of(tables: dict[str, pd.DataFrame]) -> dict[str, set[str] | None]:
    """Each operation id of the tables and its host countries (None: the row names none)."""
    known: dict[str, set[str] | None] = {op: None for op in tables["un_operations"]["id"]}
    un = tables["un_operations"]
    if "host_country" in un.columns:  # should the UN table gain the column
        for op, host in zip(un["id"], un["host_country"], strict=True):
            known[op] = {h.strip() for h in host.split(";") if h.strip()} or None
    for op, host in zip(tables["operations"]["id"], tables["operations"]["host_country"],
                        strict=True):  # fmt: skip
        known[op] = {h.strip() for h in host.split(";") if h.strip()}
    return known


def _coordinate(value: str, limit: float, line: int, column: str) -> list[RowProblem]:
    if not re.fullmatch(DEGREES, value):
        return [RowProblem(FILE, line, column, f"'{value}' is not decimal degrees with at "
                           "most two decimals (e.g. 44.11)")]  # fmt: skip
    if abs(float(value)) > limit:
        return [RowProblem(FILE, line, column, f"'{value}' is out of range (-{limit:g} to "
                           f"{limit:g}); are latitude and longitude swapped?")]  # fmt: skip
    return []


def problems_in(frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> list[RowProblem]:
    """Every problem of the deployments table, in reading order (line 1 is the header)."""
    if list(frame.columns) != COLUMNS:
        return [RowProblem(FILE, 1, "-", f"the header must be: {','.join(COLUMNS)}")]
    hosts = hosts_of(tables)
    problems: list[RowProblem] = []
    for index, row in frame.iterrows():
        line = int(index) + 2  # type: ignore[call-overload]
        found: list[RowProblem] = []

        def bad(column: str, message: str, line: int = line, found: list = found) -> None:
            found.append(RowProblem(FILE, line, column, message))

        operation = row["operation"]
        if operation not in hosts:
            bad("operation", f"'{operation}' is not an id of data/operations.csv or "
                "data/un_operations.csv")  # fmt: skip
        if not re.fullmatch(DATE, row["as_of"]):
            bad("as_of", f"'{row['as_of']}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        for column in ("place", "country", "label"):
            if not row[column].strip():
                bad(column, "must not be empty")
        allowed = hosts.get(operation)
        outside = OUTSIDE_HOSTS.get(operation, frozenset())
        if allowed and row["country"].strip() and row["country"] not in allowed | outside:
            bad("country", f"'{row['country']}' is not a host country of {operation} "
                f"(its row names: {'; '.join(sorted(allowed))}); a place outside them "
                "must be named in OUTSIDE_HOSTS with its source")  # fmt: skip
        found += _coordinate(row["lat"], 90, line, "lat")
        found += _coordinate(row["lon"], 180, line, "lon")
        if row["role"] not in ROLES:
            bad("role", f"'{row['role']}' must be one of: {', '.join(ROLES)}")
        if not row["source"].strip():
            bad("source", "must not be empty: give the source of the deployment and of the "
                "coordinates (references.bib keys or URLs, separated by ' ; ')")  # fmt: skip
        problems += found
    return problems


def load(tables: dict[str, pd.DataFrame] | None = None,
         data_dir: Path | None = None) -> pd.DataFrame:  # fmt: skip
    """The deployments table, validated against the operations tables, with ``lat`` and
    ``lon`` as floats; a bad table raises :class:`DataError` listing every problem."""
    frame = read(data_dir)
    problems = problems_in(frame, tables or load_all(data_dir))
    if problems:
        raise DataError(problems)
    return frame.assign(lat=frame["lat"].astype(float), lon=frame["lon"].astype(float))
