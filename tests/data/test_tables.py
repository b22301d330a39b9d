"""The course's tables: valid, cited, consistent with each other and with FACT-CHECK.md."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from peaceops import data

TABLES = data.load_all()


def row(table: str, key: str, value: str) -> pd.Series:
    frame = TABLES[table]
    found = frame[frame[key] == value]
    assert len(found) == 1, f"{table}: expected one row with {key}={value}"
    return found.iloc[0]


def test_tables_are_big_enough_and_every_row_names_a_source() -> None:
    assert sum(len(t) for t in TABLES.values()) >= 150
    assert len(TABLES["un_operations"]) >= 70
    for name, frame in TABLES.items():
        assert (frame["source"].str.strip() != "").all(), name


def test_data_readme_describes_each_table() -> None:
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for name in data.COLUMNS:
        assert f"{name}.csv" in readme
    assert "CC BY 4.0" in readme and "aveat" in readme


@pytest.mark.parametrize(
    ("op_id", "start", "predecessor", "resolution"),
    [
        ("ATMIS", "2022-04-01", "AMISOM", "S/RES/2628 (2022)"),
        ("AUSSOM", "2025-01-01", "ATMIS", "S/RES/2767 (2024)"),
        ("EUFOR-ALTHEA", "2004-12-02", "SFOR", "S/RES/1575 (2004)"),
        ("IFOR", "1995-12-20", "UNPROFOR", "S/RES/1031 (1995)"),
        ("SFOR", "1996-12-20", "IFOR", "S/RES/1088 (1996)"),
    ],
)
def test_handovers_of_the_fact_check(op_id, start, predecessor, resolution) -> None:
    op = row("operations", "id", op_id)
    assert op["start"] == start
    assert op["predecessor"] == predecessor
    assert resolution in op["resolutions"]


def test_kfor_and_allied_force() -> None:
    kfor = row("operations", "id", "KFOR")
    assert kfor["start"] == "1999-06-12" and "S/RES/1244 (1999)" in kfor["resolutions"]
    allied = row("operations", "id", "ALLIED-FORCE")
    assert allied["kind"] == "air campaign"
    assert allied["start"] == "1999-03-24" and allied["resolutions"] == ""


def test_amis_handed_over_to_unamid() -> None:
    assert row("operations", "id", "AMIS")["successor"] == "UNAMID"
    unamid = row("un_operations", "id", "UNAMID")
    assert unamid["establishing_resolution"] == "S/RES/1769 (2007)"
    assert unamid["end"] == "2020-12-31"


def test_first_un_operations() -> None:
    assert row("un_operations", "id", "UNTSO")["start"].startswith("1948")
    assert row("un_operations", "id", "UNEF-I")["start"].startswith("1956")
    assert row("un_operations", "id", "MINUSMA")["end"] == "2023-12-31"


def test_ungomap_rests_on_an_exchange_of_letters() -> None:
    """UNGOMAP, set up by letters and later confirmed by resolution 622, with the UN's dates."""
    ungomap = row("un_operations", "id", "UNGOMAP")
    assert ungomap["name"] == "United Nations Good Offices Mission in Afghanistan and Pakistan"
    assert ungomap["region"] == "Asia and the Pacific"
    assert (ungomap["start"], ungomap["end"]) == ("1988-05-15", "1990-03-15")
    assert ungomap["establishing_resolution"] == (
        "exchange of letters (S/19834, S/19835, S/19836) confirmed by S/RES/622 (1988)"
    )
    assert "unscr622" in ungomap["source"].split(" ; ")


def test_un_table_has_every_operation_the_un_counts() -> None:
    """The UN counts 71 peacekeeping operations since 1948; each is one row."""
    un_ops = TABLES["un_operations"]
    assert len(un_ops) == 71
    assert un_ops["acronym"].is_unique


@pytest.mark.parametrize(
    "value",
    [
        "exchange of letters",
        "exchange of letters (S/19834)",
        "exchange of letters (S/19834; S/19836)",
        "exchange of letters (S/19834, S/19836) confirmed by resolution 622",
        "S/RES/622 (1988) confirmed",
    ],
)
def test_malformed_exchange_of_letters_is_refused(tmp_path: Path, value: str) -> None:
    """Letters need two or more symbols; a confirming resolution needs its full symbol."""
    folder = broken_copy(tmp_path)
    edit(folder / "un_operations.csv", 0, establishing_resolution=value)
    with pytest.raises(data.DataError) as err:
        data.load_all(folder)
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "establishing_resolution")}


@pytest.mark.parametrize("value", ["", " ", "Iraq;Kuwait", "Iraq; ", "Iraq; Iraq", "Iraq;  Kuwait"])
def test_un_host_country_must_be_a_list_of_names(tmp_path: Path, value: str) -> None:
    """Every UN operation names where it was deployed: countries separated by '; '."""
    folder = broken_copy(tmp_path)
    edit(folder / "un_operations.csv", 0, host_country=value)
    with pytest.raises(data.DataError) as err:
        data.load_all(folder)
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "host_country")}


def test_un_hosts_of_operations_in_several_countries() -> None:
    un = TABLES["un_operations"]
    hosts = dict(zip(un["id"], un["host_country"], strict=True))
    assert (un["host_country"].str.strip() != "").all()
    assert hosts["UNIKOM"] == "Iraq; Kuwait" and hosts["UNMEE"] == "Ethiopia; Eritrea"
    assert hosts["ONUC"] == "Democratic Republic of the Congo" and hosts["UNTAG"] == "Namibia"
    assert hosts["MINURSO"] == "Western Sahara" and hosts["UNMOGIP"] == "India; Pakistan"


def test_memberships_match_the_fact_check() -> None:
    members = TABLES["memberships"]
    assert len(data.current_members(members, "NATO", "2024-03-06")) == 31
    assert len(data.current_members(members, "NATO", "2024-03-07")) == 32
    assert len(data.current_members(members, "SCO", "2024-07-04")) == 10
    assert row_of(members, "Belarus", "SCO")["joined"] == "2024-07-04"
    assert row_of(members, "Finland", "NATO")["joined"] == "2023-04-04"
    assert len(data.current_members(members, "EU", "2020-02-01")) == 27


def row_of(members: pd.DataFrame, state: str, organisation: str) -> pd.Series:
    found = members[(members["state"] == state) & (members["organisation"] == organisation)]
    assert len(found) >= 1, f"no {state} in {organisation}"
    return found.iloc[-1]


def broken_copy(tmp_path: Path) -> Path:
    for table in (ROOT / "data").glob("*.csv"):
        shutil.copy(table, tmp_path / table.name)
    return tmp_path


def edit(path: Path, row_index: int, **values: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, value in values.items():
        frame.loc[row_index, column] = value
    frame.to_csv(path, index=False)


def test_broken_operations_table_reports_every_bad_row(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    path = folder / "operations.csv"
    edit(path, 0, start="1999-13-40", source="")
    edit(path, 2, lead="WARSAW PACT", resolutions="S/RES/1244(1999)")
    edit(path, 3, successor="NO-SUCH-OPERATION")
    edit(path, 4, end="1900-01-01")
    with pytest.raises(data.DataError) as err:
        data.load_all(folder)
    found = {(p.row, p.column) for p in err.value.problems}
    assert {(2, "start"), (2, "source"), (4, "lead"), (4, "resolutions"), (5, "successor"),
            (6, "end")} <= found  # fmt: skip
    text = str(err.value)
    assert "data/operations.csv, row 4, column 'lead': 'WARSAW PACT': must be one of" in text


def test_broken_un_table_and_duplicate_ids(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    path = folder / "un_operations.csv"
    first = pd.read_csv(path, dtype=str, keep_default_na=False).loc[0, "id"]
    edit(path, 1, id=first, region="Atlantis", establishing_resolution="resolution 50")
    with pytest.raises(data.DataError) as err:
        data.load_all(folder)
    found = {(p.row, p.column) for p in err.value.problems}
    assert {(2, "id"), (3, "id"), (3, "region"), (3, "establishing_resolution")} <= found


def test_broken_memberships_table(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    path = folder / "memberships.csv"
    edit(path, 0, iso3="sweden", organisation="UN", joined="yesterday", left_kind="expelled")
    with pytest.raises(data.DataError) as err:
        data.load_all(folder)
    columns = {p.column for p in err.value.problems if p.row == 2}
    assert {"iso3", "organisation", "joined", "left_kind"} <= columns


def test_missing_or_malformed_files_are_named(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    (folder / "memberships.csv").unlink()
    (folder / "un_operations.csv").write_bytes(b"\xff\xfe not a csv")
    with pytest.raises(data.DataError) as err:
        data.load_all(folder)
    text = str(err.value)
    assert "memberships.csv" in text and "file not found" in text
    assert "un_operations.csv" in text and "UTF-8" in text


def test_wrong_header_is_reported(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    path = folder / "operations.csv"
    text = path.read_text(encoding="utf-8").replace("host_country", "country", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match="the header must be"):
        data.load_all(folder)


def test_partial_dates() -> None:
    assert data.earliest("2004") == pd.Timestamp("2004-01-01")
    assert data.latest("2004-02") == pd.Timestamp("2004-02-29")
    assert data.latest("1999-06-12") == pd.Timestamp("1999-06-12")
