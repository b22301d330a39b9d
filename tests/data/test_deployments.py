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
            outside = deployments.OUTSIDE_HOSTS.get(row.operation, frozenset())
            assert row.country in hosts[row.operation] | outside, row.place


def test_only_the_named_places_lie_outside_their_operation_s_hosts() -> None:
    hosts = deployments.hosts_of(TABLES)
    outside = {
        (row.operation, row.place, row.country)
        for row in TABLE.itertuples()
        if hosts[row.operation] and row.country not in hosts[row.operation]
    }
    assert outside == {
        ("ARTEMIS", "Entebbe", "Uganda"),  # the force HQ, with an advanced position in Bunia
        ("EUFOR-RD-CONGO", "Libreville", "Gabon"),  # the on-call force
    }


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
    sectors = TABLE[TABLE["operation"] == "MINUSMA"]
    assert dict(zip(sectors["label"], sectors["place"], strict=True)) == {
        "Sector North HQ": "Kidal",
        "Sector West HQ": "Timbuktu",
        "Sector East HQ": "Gao",
        "Sector Centre HQ (launched 24 June 2019)": "Mopti",
    }
    assert set(sectors["as_of"]) == {"2019-06-24"}
    (brigade,) = TABLE[TABLE["operation"] == "MONUSCO"].itertuples()
    assert (brigade.place, brigade.role, brigade.as_of) == ("Goma", "brigade HQ", "2013-03-28")


def write_table(tmp_path: Path, edit, index: int = 2) -> Path:
    """A copy of data/ whose deployments table has its line ``index`` (0 is the header)
    changed by ``edit``."""
    shutil.copytree(data.DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "deployments.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[index] = edit(lines[index])
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


#: Each deployment map: its function, the first line of each operation's key entry, and
#: the Natural Earth ids of the countries it shades.
MAPS = {
    "balkans": (
        deployment_maps.balkans_deployment_map,
        ["Circles: UNPROFOR, safe areas, as of 1993-04-16 to",
         "Squares: KFOR, brigade HQs, as of 1999-06-17"],
        {"070", "Kosovo"},  # Bosnia and Herzegovina, Kosovo
    ),
    "drc": (
        deployment_maps.drc_deployment_map,
        ["Circles: ARTEMIS, forward HQs, force HQs, as of",
         "Squares: EUFOR-RD-CONGO, reserves, force HQs, as of",
         "Grey circles: MONUSCO, brigade HQs, as of 2013-03-28"],
        {"180", "800", "266"},  # the DRC, Uganda (Entebbe), Gabon (Libreville)
    ),
    "mali": (
        deployment_maps.mali_deployment_map,
        ["Circles: MINUSMA, sector HQs, as of 2019-06-24"],
        {"466"},  # Mali
    ),
}  # fmt: skip


@pytest.fixture(scope="module", params=sorted(MAPS))
def drawn(request):
    name = request.param
    return name, MAPS[name][0](TABLE)


def test_every_row_is_on_exactly_one_map() -> None:
    drawn_ops = [op for _, ops in deployment_maps.DEPLOYMENT_MAPS.values() for op in ops]
    assert len(drawn_ops) == len(set(drawn_ops))
    assert set(TABLE["operation"]) == set(drawn_ops)
    assert set(deployment_maps.DEPLOYMENT_MAPS) == set(MAPS)


def test_the_map_draws_every_row_at_its_point_with_its_label(drawn) -> None:
    name, fig = drawn
    operations = deployment_maps.DEPLOYMENT_MAPS[name][1]
    rows = deployment_maps.ordered_rows(operations, TABLE)
    assert len(rows) == TABLE["operation"].isin(operations).sum() > 0
    points = deployment_maps.drawn_points(fig)
    assert len(points) == len(rows)
    texts = [t for t, _, _ in lanes.drawn_texts(fig)]
    for number, row in enumerate(rows.itertuples(), start=1):
        assert points[number] == (row.lon, row.lat), row.place
        assert str(number) in texts
        assert any(t.startswith(f"{number}  {row.place}: {row.label}") for t in texts), row
    for heading in MAPS[name][1]:
        assert heading in texts, heading
    assert maps.shaded_keys(fig) == MAPS[name][2]


def test_each_operation_of_a_map_has_its_own_marker_style() -> None:
    fig = deployment_maps.drc_deployment_map(TABLE)
    rows = deployment_maps.ordered_rows(deployment_maps.DEPLOYMENT_MAPS["drc"][1], TABLE)
    numbers = {str(n): op for n, op in enumerate(rows["operation"], start=1)}
    styles = {}
    for text in fig.axes[0].texts:
        if text.get_text() in numbers:
            box = text.get_bbox_patch()
            style = (type(box.get_boxstyle()).__name__, box.get_facecolor())
            styles.setdefault(numbers[text.get_text()], set()).add(style)
    assert all(len(found) == 1 for found in styles.values()), styles
    assert len({next(iter(found)) for found in styles.values()}) == 3


def test_the_map_is_legible_and_light_like_the_theatre_maps(drawn) -> None:
    name, fig = drawn
    assert fig.get_size_inches()[0] == lanes.WIDTH_IN
    texts = lanes.drawn_texts(fig)
    assert min(size for _, _, size in texts) >= lanes.MIN_FONT_PT
    assert lanes.overlaps(fig) == []
    page = fig.bbox
    for text, box, _ in texts:
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, f"{text!r} cut off"
    svg = maps.render(fig).svg
    assert "<text" not in svg and len(svg.encode()) < 150_000
    assert svg == maps.render(MAPS[name][0](TABLE)).svg


def test_a_row_outside_the_frame_is_refused_not_drawn_off_the_map() -> None:
    moved = TABLE.copy()
    moved.loc[0, "lon"] = 25.0
    with pytest.raises(ValueError, match="outside the frame"):
        deployment_maps.balkans_deployment_map(moved)


@pytest.mark.parametrize(
    ("page", "name", "after"),
    [
        ("book/case-studies/balkans.md", "balkans", None),
        ("book/case-studies/case-studies.md", "drc", "maps.drc_map()"),
        ("book/case-studies/case-studies.md", "mali", "maps.sahel_map()"),
    ],
)
def test_the_map_is_on_its_page_with_caption_alt_text_and_source(page, name, after) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S)
    call = f"{name}_deployment_map()"
    (cell,) = [c for c in cells if call in c]
    assert ":tags: [remove-input]" in cell
    if after:  # placed after the theatre's own map
        assert text.index(after) < text.index(call)
    caption = re.search(r'caption: "(.*)"', cell).group(1)
    assert deployment_maps.SOURCE_LINE in caption
    alt = re.search(r'alt: "(.*)"', cell).group(1)
    rows = TABLE[TABLE["operation"].isin(deployment_maps.DEPLOYMENT_MAPS[name][1])]
    for place in rows["place"]:
        assert place in alt, place
    for date in rows["as_of"]:
        year, month, day = date.split("-")
        assert re.search(rf"{int(day)} \w+ {year}", caption), f"{date} not in the caption"


def test_a_place_outside_the_hosts_not_named_in_outside_hosts_is_refused(tmp_path) -> None:
    lines = (data.DATA_DIR / "deployments.csv").read_text(encoding="utf-8").splitlines()
    (index,) = [i for i, line in enumerate(lines) if ",Libreville,Gabon," in line]
    data_dir = write_table(tmp_path, lambda r: r.replace(",Gabon,", ",Cameroon,"), index)
    with pytest.raises(data.DataError) as err:
        deployments.load(TABLES, data_dir)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (index + 1, "country")
    assert "OUTSIDE_HOSTS" in problem.message
