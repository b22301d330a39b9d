"""The table of deployments and its maps: every place lies in its country, bad rows are
refused with the line and what to fix, and each map draws every row where it belongs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from matplotlib.path import Path as MplPath

from peaceops import data
from peaceops.data import deployment_maps, deployments, geo, lanes, maps

ROOT = Path(__file__).resolve().parents[2]
TABLES = data.load_all()
TABLE = deployments.load(TABLES)


def inside(country: str, lon: float, lat: float) -> bool:
    """Whether a point lies in a host country's Natural Earth 1:50m polygons."""
    features = maps.features_for(country, geo.load("50m").countries())
    return any(
        MplPath(polygon[0]).contains_point((lon, lat))
        and not any(MplPath(hole).contains_point((lon, lat)) for hole in polygon[1:])
        for feature in features
        for polygon in feature.polygons
    )


def test_every_place_lies_in_its_host_country() -> None:
    hosts = deployments.hosts_of(TABLES)
    for row in TABLE.itertuples():
        assert inside(row.country, row.lon, row.lat), f"{row.place}: not in {row.country}"
        assert not inside(row.country, row.lat, row.lon), f"{row.place}: swap-proof?"
        if hosts[row.operation]:
            assert row.country in hosts[row.operation], row.place


def test_the_checks_would_catch_a_swapped_point() -> None:
    assert inside("Kosovo", 21.17, 42.67) and not inside("Kosovo", 42.67, 21.17)
    assert not inside("Bosnia and Herzegovina", 21.17, 42.67)  # Pristina is not in Bosnia


def test_rows_name_real_operations_dated_and_sourced() -> None:
    assert set(TABLE["operation"]) <= set(TABLES["operations"]["id"]) | set(
        TABLES["un_operations"]["id"]
    )
    safe = TABLE[TABLE["role"] == "safe area"]
    assert sorted(safe["place"]) == sorted(
        ["Srebrenica", "Sarajevo", "Tuzla", "Žepa", "Goražde", "Bihać"]
    )
    assert all(re.search(r"geonames|wikipedia", s) for s in TABLE["source"]), "coordinates"


def write_table(tmp_path: Path, edit) -> Path:
    """A copy of data/ whose deployments table has one row changed by ``edit``."""
    shutil.copytree(data.DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "deployments.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = edit(lines[2])
    path.write_text("".join(lines), encoding="utf-8")
    return tmp_path / "data"


@pytest.mark.parametrize(
    ("edit", "column", "fix"),
    [
        (lambda r: r.replace("UNPROFOR,", "UNPROFORCE,", 1), "operation", "is not an id"),
        (lambda r: r.replace("43.85,18.36", "143.85,18.36"), "lat", "out of range"),
        (lambda r: r.replace("43.85,18.36", "43.8512,18.36"), "lat", "two decimals"),
        (lambda r: r.replace("1993-05-06", "6 May 1993"), "as_of", "is not a date"),
        (lambda r: r.replace("Bosnia and Herzegovina", "Kosovo"), "country", "not a host"),
        (lambda r: re.sub(r"unscr824 ; geonames ; \S+,", ",", r), "source", "must not be"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_the_fix(tmp_path, edit, column, fix) -> None:
    data_dir = write_table(tmp_path, edit)
    with pytest.raises(data.DataError) as err:
        deployments.load(TABLES, data_dir)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("data/deployments.csv", 3, column)
    assert fix in problem.message
    assert "data/deployments.csv, row 3" in str(err.value)


@pytest.fixture(scope="module")
def balkans():
    return deployment_maps.balkans_deployment_map(TABLE)


def test_the_map_draws_every_row_at_its_point_with_its_label(balkans) -> None:
    rows = deployment_maps.ordered_rows(deployment_maps.DEPLOYMENT_MAPS["balkans"][1], TABLE)
    assert len(rows) == len(TABLE)  # the Balkans map shows every row of today's table
    points = deployment_maps.drawn_points(balkans)
    texts = [t for t, _, _ in lanes.drawn_texts(balkans)]
    for number, row in enumerate(rows.itertuples(), start=1):
        assert points[number] == (row.lon, row.lat), row.place
        assert str(number) in texts
        assert any(t.startswith(f"{number}  {row.place}: {row.label}") for t in texts), row
    assert "Circles: UNPROFOR, safe areas, as of 1993-04-16 to" in texts
    assert "Squares: KFOR, brigade HQs, as of 1999-06-17" in texts
    shaded = maps.shaded_keys(balkans)
    assert shaded == {"070", "Kosovo"}  # Bosnia and Herzegovina, Kosovo


def test_the_map_is_legible_and_light_like_the_theatre_maps(balkans) -> None:
    assert balkans.get_size_inches()[0] == lanes.WIDTH_IN
    texts = lanes.drawn_texts(balkans)
    assert min(size for _, _, size in texts) >= lanes.MIN_FONT_PT
    assert lanes.overlaps(balkans) == []
    page = balkans.bbox
    for text, box, _ in texts:
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, f"{text!r} cut off"
    svg = maps.render(balkans).svg
    assert "<text" not in svg and len(svg.encode()) < 150_000
    assert svg == maps.render(deployment_maps.balkans_deployment_map(TABLE)).svg


def test_a_row_outside_the_frame_is_refused_not_drawn_off_the_map() -> None:
    moved = TABLE.copy()
    moved.loc[0, "lon"] = 25.0
    with pytest.raises(ValueError, match="outside the frame"):
        deployment_maps.balkans_deployment_map(moved)


def test_the_map_is_on_the_balkans_page_with_caption_alt_text_and_source() -> None:
    text = (ROOT / "book/case-studies/balkans.md").read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S)
    (cell,) = [c for c in cells if "balkans_deployment_map()" in c]
    assert ":tags: [remove-input]" in cell
    caption = re.search(r'caption: "(.*)"', cell).group(1)
    assert deployment_maps.SOURCE_LINE in caption
    alt = re.search(r'alt: "(.*)"', cell).group(1)
    for place in TABLE["place"]:
        assert place in alt, place
