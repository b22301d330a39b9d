"""The course's own data: cited tables in ``data/``, loaded into pandas and validated.

Each table has a pandera schema (types, ISO dates, allowed values, unique keys, the form
of resolution symbols, or of the exchange of letters that set up an operation without a
resolution) and checks across rows and tables (an end is not before its start; a
predecessor or successor names an operation that exists). A table that breaks them is
refused with every problem at once: file, row, column and what is wrong.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

DATA_DIR = Path(__file__).resolve().parents[3] / "data"

DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
SC_RESOLUTION = r"S/RES/\d{1,4} \(\d{4}\)"
GA_RESOLUTION = r"A/RES/(\d{1,4} \([A-Z0-9-]+\)|\d{2}/\d{1,3})"
SC_DOCUMENT = r"S/(\d{4,5}|\d{4}/\d{1,4})"
#: An operation set up without an establishing resolution (UNGOMAP): the Security Council
#: documents of the exchange of letters it rests on (two or more), and the resolution that
#: later confirmed the arrangement, if there was one. The resolution is not called
#: establishing, because it was not.
EXCHANGE_OF_LETTERS = (
    rf"exchange of letters \({SC_DOCUMENT}(, {SC_DOCUMENT})+\)( confirmed by {SC_RESOLUTION})?"
)
IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9-]*$"

LEADS = ("NATO", "EU", "AU", "ECOWAS", "SADC", "EAC", "CSTO", "PIF", "OAS", "AD-HOC")
KINDS = (
    "observer",
    "peacekeeping",
    "peace enforcement",
    "stabilisation",
    "training",
    "air campaign",
    "maritime",
)
REGIONS = ("Africa", "Americas", "Asia and the Pacific", "Europe", "Middle East")
ORGANISATIONS = ("NATO", "EU", "AU", "SCO", "CSTO", "ECOWAS")
LEFT_KINDS = ("withdrew", "suspended", "frozen")

#: Columns of each table, in file order.
COLUMNS = {
    "operations": [
        "id", "name", "acronym", "lead", "host_country", "start", "end", "resolutions",
        "predecessor", "successor", "kind", "source", "note",
    ],
    "un_operations": [
        "id", "acronym", "name", "region", "host_country", "start", "end",
        "establishing_resolution", "source", "note",
    ],
    "memberships": [
        "state", "iso3", "organisation", "joined", "left", "left_kind", "source", "note",
    ],
}  # fmt: skip


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one cell (or row) of a table."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, column '{self.column}': {self.message}"


class DataError(Exception):
    """A table failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        files = sorted({p.file for p in problems})
        super().__init__(
            f"{len(problems)} problem(s) in {', '.join(files)}:\n"
            + "\n".join(f"  {p}" for p in problems)
        )


def _check(fn, message: str) -> pa.Check:
    """An element-wise check whose failure message is ``message``."""
    return pa.Check(fn, element_wise=True, name=message, error=message)


def _optional(pattern: str, what: str) -> pa.Check:
    return _check(lambda v: v == "" or re.fullmatch(pattern, v) is not None, what)


def _required(pattern: str, what: str) -> pa.Check:
    return _check(lambda v: re.fullmatch(pattern, v) is not None, what)


def _one_of(values: tuple[str, ...], empty_ok: bool = False) -> pa.Check:
    allowed = set(values) | ({""} if empty_ok else set())
    return _check(lambda v: v in allowed, "must be one of: " + ", ".join(values))


def _list_of(pattern: str, what: str) -> pa.Check:
    def ok(value: str) -> bool:
        return value == "" or all(re.fullmatch(pattern, p) for p in value.split("; "))

    return _check(ok, what)


NON_EMPTY = _check(lambda v: v.strip() != "", "must not be empty")
HOST_LIST = _check(
    lambda v: (
        all(p and p == p.strip() and ";" not in p for p in v.split("; "))
        and len(set(v.split("; "))) == len(v.split("; "))
    ),
    "must be one or more country names separated by '; ', each named once",
)
IS_DATE = "is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
SOURCE = pa.Column(str, NON_EMPTY)


def _text(*checks: pa.Check) -> pa.Column:
    return pa.Column(str, list(checks))


SCHEMAS = {
    "operations": pa.DataFrameSchema(
        {
            "id": pa.Column(str, [_required(IDENTIFIER, "is not an id (letters, digits, -)")],
                            unique=True),
            "name": _text(NON_EMPTY),
            "acronym": _text(),
            "lead": _text(_one_of(LEADS)),
            "host_country": _text(NON_EMPTY),
            "start": _text(_required(DATE, IS_DATE)),
            "end": _text(_optional(DATE, IS_DATE)),
            "resolutions": _text(_list_of(SC_RESOLUTION, "must be 'S/RES/NNNN (YYYY)', "
                                                         "several separated by '; '")),
            "predecessor": _text(_optional(IDENTIFIER, "is not an id")),
            "successor": _text(_optional(IDENTIFIER, "is not an id")),
            "kind": _text(_one_of(KINDS)),
            "source": SOURCE,
            "note": _text(),
        },
        strict=True,
        ordered=True,
    ),
    "un_operations": pa.DataFrameSchema(
        {
            "id": pa.Column(str, [_required(IDENTIFIER, "is not an id (letters, digits, -)")],
                            unique=True),
            "acronym": _text(NON_EMPTY),
            "name": _text(NON_EMPTY),
            "region": _text(_one_of(REGIONS)),
            "host_country": _text(NON_EMPTY, HOST_LIST),
            "start": _text(_required(DATE, IS_DATE)),
            "end": _text(_optional(DATE, IS_DATE)),
            "establishing_resolution": _text(
                _required(f"{SC_RESOLUTION}|{GA_RESOLUTION}|{EXCHANGE_OF_LETTERS}",
                          "must be 'S/RES/NNNN (YYYY)', a General Assembly symbol or "
                          "'exchange of letters (S/NNNNN, S/NNNNN)', optionally followed "
                          "by ' confirmed by S/RES/NNNN (YYYY)'")
            ),
            "source": SOURCE,
            "note": _text(),
        },
        strict=True,
        ordered=True,
    ),
    "memberships": pa.DataFrameSchema(
        {
            "state": _text(NON_EMPTY),
            "iso3": _text(_required(r"[A-Z]{3}", "must be an ISO 3166-1 alpha-3 code")),
            "organisation": _text(_one_of(ORGANISATIONS)),
            "joined": _text(_optional(DATE, IS_DATE)),
            "left": _text(_optional(DATE, IS_DATE)),
            "left_kind": _text(_one_of(LEFT_KINDS, empty_ok=True)),
            "source": SOURCE,
            "note": _text(),
        },
        strict=True,
        ordered=True,
        unique=["iso3", "organisation", "joined"],
    ),
}  # fmt: skip


def earliest(date: str) -> pd.Timestamp:
    """The first day a partial ISO date can mean ('2004' -> 2004-01-01)."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return pd.Timestamp(parts[0], parts[1], parts[2])


def latest(date: str) -> pd.Timestamp:
    """The last day a partial ISO date can mean ('2004-02' -> 2004-02-29)."""
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return pd.Timestamp(year, month, day)


def _line(index: object) -> int | None:
    """The file line of a data row: the header is line 1."""
    try:
        return int(index) + 2  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def read_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Read a table's CSV as text (empty cells are ''), without validating it."""
    path = (data_dir or DATA_DIR) / f"{name}.csv"
    if not path.is_file():
        raise DataError([RowProblem(str(path), None, "-", "file not found")])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise DataError(
            [RowProblem(str(path), None, "-", f"not a readable UTF-8 CSV file ({err})")]
        ) from err


def problems_in(name: str, frame: pd.DataFrame, file: str) -> list[RowProblem]:
    """Every schema and row-level problem of one table (cross-table checks excluded)."""
    problems: list[RowProblem] = []
    expected = COLUMNS[name]
    if list(frame.columns) != expected:
        return [RowProblem(file, 1, "-", f"the header must be: {','.join(expected)}")]
    try:
        SCHEMAS[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for case in err.failure_cases.itertuples():
            column = case.column if isinstance(case.column, str) else "-"
            message = str(case.check)
            if message.startswith("field_uniqueness") or "duplicate" in message:
                message = f"'{case.failure_case}' appears more than once"
            elif message.startswith("multiple_fields_uniqueness"):
                message = "this state, organisation and date appear more than once"
            else:
                message = f"'{case.failure_case}' {message}".replace("' must", "': must")
            problems.append(RowProblem(file, _line(case.index), column, message))
    problems += _date_order_problems(frame, file)
    return problems


def _date_order_problems(frame: pd.DataFrame, file: str) -> list[RowProblem]:
    begin, end = ("joined", "left") if "joined" in frame.columns else ("start", "end")
    found = []
    for index, row in frame.iterrows():
        a, b = row[begin], row[end]
        if (
            re.fullmatch(DATE, a or "-")
            and re.fullmatch(DATE, b or "-")
            and latest(b) < earliest(a)
        ):
            found.append(RowProblem(file, _line(index), end, f"'{b}' is before {begin} '{a}'"))
    return found


def _link_problems(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[RowProblem]:
    ops = tables["operations"]
    known = set(ops["id"]) | set(tables["un_operations"]["id"])
    own = dict(zip(ops["id"], ops.index, strict=True))
    problems = []
    for index, row in ops.iterrows():
        for column, back in (("predecessor", "successor"), ("successor", "predecessor")):
            target = row[column]
            if not target:
                continue
            if target not in known:
                problems.append(
                    RowProblem(
                        files["operations"],
                        _line(index),
                        column,
                        f"'{target}' is not an id of any operation",
                    )
                )
            elif target in own and ops.at[own[target], back] not in ("", row["id"]):
                problems.append(RowProblem(
                    files["operations"], _line(index), column,
                    f"'{target}' names '{ops.at[own[target], back]}' as its {back}, "
                    f"not '{row['id']}'"))  # fmt: skip
    return problems


def _reading_order(problem: RowProblem) -> tuple[str, int, int]:
    columns = COLUMNS.get(Path(problem.file).stem, [])
    position = columns.index(problem.column) if problem.column in columns else len(columns)
    return problem.file, problem.row or 0, position


def load(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load one table, validated on its own (links to other tables are not checked)."""
    frame = read_table(name, data_dir)
    file = f"data/{name}.csv"
    problems = problems_in(name, frame, file)
    if problems:
        raise DataError(problems)
    return frame


def load_all(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate every table and the links between them; all problems at once."""
    tables, files, problems = {}, {}, []
    for name in COLUMNS:
        files[name] = f"data/{name}.csv"
        try:
            tables[name] = read_table(name, data_dir)
        except DataError as err:
            problems += err.problems
            continue
        problems += problems_in(name, tables[name], files[name])
    headers_ok = all(
        name in tables and list(tables[name].columns) == COLUMNS[name] for name in COLUMNS
    )
    if headers_ok:
        problems += _link_problems(tables, files)
    if problems:
        problems.sort(key=_reading_order)
        raise DataError(problems)
    return tables


#: The date column of each table that a span of years filters on.
DATE_COLUMN = {"operations": "start", "un_operations": "start", "memberships": "joined"}


def select_rows(
    tables: dict[str, pd.DataFrame],
    table: str,
    where: dict[str, str],
    years: tuple[int, ...] = (),
) -> pd.DataFrame:
    """The rows of a table whose columns equal ``where`` and whose year is within ``years``.

    This is the rule a data question's answer is counted by, in the exercise widgets
    and in the quizzes alike.
    """
    frame = tables[table]
    for column, value in where.items():
        frame = frame[frame[column] == value]
    if years:
        first, last = years
        year = frame[DATE_COLUMN[table]].str[:4].astype(int)
        frame = frame[(year >= first) & (year <= last)]
    return frame


def current_members(memberships: pd.DataFrame, organisation: str, on: str) -> pd.DataFrame:
    """Members of an organisation on an ISO date: joined by then and not withdrawn.

    A suspended state or one that froze its participation is still a member.
    """
    day = pd.Timestamp(on)
    rows = memberships[memberships["organisation"] == organisation]
    joined = rows["joined"].map(lambda d: d != "" and earliest(d) <= day)
    withdrawn = (rows["left_kind"] == "withdrew") & rows["left"].map(
        lambda d: d != "" and earliest(d) <= day
    )
    return rows[joined & ~withdrawn]


def main() -> int:
    """Validate every table; print a summary, or every problem with file, row and column."""
    try:
        tables = load_all()
    except DataError as err:
        print(err)
        return 1
    for name, frame in tables.items():
        print(f"data/{name}.csv: {len(frame)} rows, valid")
    return 0
