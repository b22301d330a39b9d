"""The book's maps: TopoJSON decoded by hand, maps drawn from the tables, light, offline.

The decoder is checked on a tiny topology written here (quantised, delta-encoded, with a
reversed arc, a hole and a feature with no geometry); the vendored Natural Earth files
are checked to hold every host country of both tables (alliance, regional and coalition
operations; UN operations); each map is drawn and measured (legible like the figures,
shaded countries exactly the tables' hosts, a theatre map's key read back and compared
with both tables, SVG under a budget) and drawn again under an audit hook that proves it
opens no socket and reads no file outside ``data/geo``; each page's caption and alt text
are checked against what its map shows.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from peaceops import data
from peaceops.data import figures, geo, lanes, maps

ROOT = Path(__file__).resolve().parents[2]
TABLES = data.load_all()
#: The tables the world map reads.
BOTH = ("operations", "un_operations")
DRAW = {
    "world_map": maps.world_map,
    "balkans_map": maps.balkans_map,
    "somalia_map": maps.somalia_map,
    "drc_map": maps.drc_map,
    "sahel_map": maps.sahel_map,
}
#: The page that shows each map.
PAGES = {
    "world_map": "book/frameworks/impact.md",
    "balkans_map": "book/case-studies/balkans.md",
    "somalia_map": "book/case-studies/case-studies.md",
    "drc_map": "book/case-studies/case-studies.md",
    "sahel_map": "book/case-studies/case-studies.md",
}
#: Bytes of one map's SVG (a page may weigh 1.5 MB in all; case-studies shows three).
SVG_BUDGET = 150_000

# A topology of two unit squares side by side sharing the arc x = 1 (arc 0), the left
# one with a square hole, quantised on a 0.5-degree grid from (10, 20) and delta-encoded.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "001", "properties": {"name": "Left"},
                 "arcs": [[0, 1], [3]]},
                {"type": "MultiPolygon", "properties": {"name": "Right"},
                 "arcs": [[[-1, 2]]]},
                {"type": None, "id": "003", "properties": {"name": "Nowhere"}},
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 2]],  # (11, 20) -> (11, 21)
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (11, 21) -> (10, 21) -> (10, 20) -> (11, 20)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (11, 20) -> (12, 20) -> (12, 21) -> (11, 21)
        [[1, 1], [0, 1], [1, 0], [0, -1], [-1, 0]],  # the hole: from (10.5, 20.5), closed
    ],
}  # fmt: skip


def test_the_decoder_reads_a_quantised_delta_encoded_topology() -> None:
    topology = geo.Topology(TINY)
    assert topology.arcs[0].tolist() == [[11, 20], [11, 21]]
    assert topology.arcs[1].tolist() == [[11, 21], [10, 21], [10, 20], [11, 20]]
    left, right, nowhere = topology.countries()
    assert (left.id, left.name, left.key) == ("001", "Left", "001")
    assert (right.id, right.key) == (None, "Right")
    assert nowhere.polygons == ()
    exterior, hole = left.polygons[0]
    # arc 0 then arc 1, the shared point written once: a closed ring
    assert exterior.tolist() == [[11, 20], [11, 21], [10, 21], [10, 20], [11, 20]]
    assert hole.tolist() == [[10.5, 20.5], [10.5, 21], [11, 21], [11, 20.5], [10.5, 20.5]]
    # arc 0 reversed (index -1 is ~0), then arc 2
    assert right.polygons[0][0].tolist() == [[11, 21], [11, 20], [12, 20], [12, 21], [11, 21]]
    assert abs(geo.ring_area(exterior)) == 1 and left.bounds() == (10, 20, 11, 21)


def test_a_topology_without_transform_is_read_as_it_is() -> None:
    plain = {"type": "Topology", "arcs": [[[0, 0], [3, 0], [3, 4], [0, 0]]],
             "objects": {"countries": {"type": "Polygon", "arcs": [[0]]}}}  # fmt: skip
    (only,) = geo.Topology(plain).countries()
    assert only.polygons[0][0].tolist() == [[0, 0], [3, 0], [3, 4], [0, 0]]
    assert geo.ring_area(only.polygons[0][0]) == 6
    with pytest.raises(geo.TopologyError):
        geo.Topology({"type": "FeatureCollection"})
    with pytest.raises(geo.TopologyError):
        geo.Topology(plain).countries("land")


def test_simplifying_keeps_shared_borders_shared() -> None:
    line = np.array([[0, 0], [1, 0.01], [2, 0], [3, 1], [4, 0]], dtype=float)
    assert geo.douglas_peucker(line, 0.1).tolist() == [[0, 0], [2, 0], [3, 1], [4, 0]]
    assert geo.douglas_peucker(line, 5).tolist() == [[0, 0], [4, 0]]
    simple = geo.Topology(TINY).simplified(0.1)
    left, right, _ = simple.countries()
    shared = {tuple(p) for p in left.polygons[0][0]} & {tuple(p) for p in right.polygons[0][0]}
    assert shared == {(11.0, 20.0), (11.0, 21.0)}


def test_clipping_and_the_antimeridian() -> None:
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], dtype=float)
    clipped = geo.clip_ring(square, (1, 1, 10, 10))
    assert abs(geo.ring_area(clipped)) == pytest.approx(9)
    assert len(geo.clip_ring(square, (5, 5, 6, 6))) == 0
    # an island astride 180 degrees, as Natural Earth writes Fiji: -179 jumps to 179
    island = np.array([[179, -1], [-179, -1], [-179, 1], [179, 1], [179, -1]], dtype=float)
    parts = geo.in_box((island,), (-180, -90, 180, 90))
    assert len(parts) == 2
    assert sorted(abs(geo.ring_area(p[0])) for p in parts) == pytest.approx([2, 2])
    assert all(p[0][:, 0].min() >= -180 and p[0][:, 0].max() <= 180 for p in parts)


def test_equal_earth_projection() -> None:
    points = geo.equal_earth(np.array([[0.0, 0.0], [180.0, 0.0], [-180.0, 0.0], [0.0, 90.0]]))
    assert points[0].tolist() == [0, 0]
    assert points[1, 0] == pytest.approx(2.70663, abs=1e-5) and points[2, 0] == -points[1, 0]
    # the pole: l = asin(sqrt(3)/2 * sin 90) = pi/3, y = l (A1 + A2 l^2 + l^6 (A3 + A4 l^2))
    pole = np.pi / 3 * (1.340264 - 0.081106 * (np.pi / 3) ** 2
                        + (np.pi / 3) ** 6 * (0.000893 + 0.003796 * (np.pi / 3) ** 2))  # fmt: skip
    assert points[3, 1] == pytest.approx(pole) and pole == pytest.approx(1.31736, abs=1e-5)


def test_vendored_boundaries_hold_every_host_country() -> None:
    assert sorted(p.name for p in geo.GEO_DIR.glob("*.json")) == sorted(geo.SCALES.values())
    for scale, count in (("110m", 177), ("50m", 241)):
        countries = geo.load(scale).countries()
        assert len(countries) == count
        assert all(c.id is None or re.fullmatch(r"\d{3}", c.id) for c in countries)
        for host in maps.hosts_in_tables(TABLES, BOTH):
            assert maps.features_for(host, countries), (scale, host)
    names = {c.key: c.name for c in geo.load("110m").countries()}
    assert names["706"] == "Somalia" and names["180"] == "Dem. Rep. Congo"
    assert names["070"] == "Bosnia and Herz." and names["466"] == "Mali"


def rows_hosted_by(country: str, table: str = "operations") -> set[str]:
    ops = TABLES[table]
    hosts = ops["host_country"].str.split("; ")
    return set(ops.loc[hosts.map(lambda h: country in h), "id"])


def hosted_by(country: str) -> set[str]:
    """The operations of both tables a country hosted, each table's ids kept apart."""
    return {(t, i) for t in BOTH for i in rows_hosted_by(country, t)}


def test_counts_come_from_both_tables() -> None:
    counts = maps.country_counts(TABLES)
    assert counts["706"] == len(hosted_by("Somalia")) == 8  # 6 others, UNOSOM I and II
    assert counts["Somaliland"] == counts["706"]
    assert counts["180"] == len(hosted_by("Democratic Republic of the Congo"))
    assert counts["Kosovo"] == len(hosted_by("Kosovo") | hosted_by(
        "Federal Republic of Yugoslavia"))  # fmt: skip
    assert counts["024"] == len(rows_hosted_by("Angola", "un_operations")) == 4
    assert maps.country_counts(TABLES, ("operations",))["706"] == 6
    for table in BOTH:
        hosts = maps.hosts_in_tables(TABLES, (table,))
        assert sum(len(v) for v in hosts.values()) == sum(
            len(h.split("; ")) for h in TABLES[table]["host_country"]
        )


def test_a_country_with_un_operations_only_is_shaded_on_the_world_map() -> None:
    un_only = {"Angola", "Croatia", "Namibia", "Cyprus", "Western Sahara", "Georgia"}
    assert not un_only & set(maps.hosts_in_tables(TABLES))
    assert un_only <= set(maps.hosts_in_tables(TABLES, ("un_operations",)))
    countries = geo.load("110m").countries()
    shaded = maps.shaded_keys(maps.world_map(TABLES))
    for host in un_only:
        assert {f.key for f in maps.features_for(host, countries)} <= shaded, host
    assert {"024", "191", "516", "196", "N. Cyprus", "732", "268"} <= shaded


def test_world_map_key_gives_the_un_and_other_counts_of_the_tables() -> None:
    texts = [t for t, _, _ in lanes.drawn_texts(maps.world_map(TABLES))]
    entries = {}
    for text in texts:
        if m := re.fullmatch(r"\s*(.+): (\d+) \(UN (\d+), other (\d+)\)", text):
            entries[m.group(1)] = tuple(int(n) for n in m.group(2, 3, 4))
    low = maps.classes(maps.country_counts(TABLES))[-1][0]
    assert low == 5 and any(t == "Darkest shade, 5 or more:" for t in texts)
    expected = {}
    for host in set(maps.hosts_in_tables(TABLES, BOTH)):
        un = len(rows_hosted_by(host, "un_operations"))
        other = len(rows_hosted_by(host, "operations"))
        if un + other >= low:
            expected[host] = (un + other, un, other)
    assert entries == expected
    assert entries["Haiti"] == (10, 6, 4) and entries["Croatia"] == (5, 5, 0)


@pytest.fixture(scope="module", params=list(DRAW))
def drawn(request):
    return request.param, DRAW[request.param](TABLES)


def expected_shaded(name: str) -> set[str]:
    countries = geo.load("50m").countries()
    if name == "world_map":
        countries = geo.load("110m").countries()
        hosts = maps.hosts_in_tables(TABLES, BOTH)
        return {f.key for host in hosts for f in maps.features_for(host, countries)}
    theatre = maps.THEATRES[name.removesuffix("_map")][1]
    return {f.key for host in theatre for f in maps.features_for(host, countries)}


def test_shaded_countries_match_the_tables(drawn) -> None:
    name, fig = drawn
    assert maps.shaded_keys(fig) == expected_shaded(name)
    if name == "world_map":
        colour = {p.get_gid(): p.get_facecolor() for p in fig.axes[0].patches if p.get_gid()}
        classes = maps.classes(maps.country_counts(TABLES))
        assert classes == [(1, 1), (2, 2), (3, 4), (5, 10)]
        assert colour["country-332"] == matplotlib.colors.to_rgba(maps.SHADES[-1])  # Haiti 10
        assert colour["country-706"] == matplotlib.colors.to_rgba(maps.SHADES[-1])  # 8
        assert colour["country-466"] == matplotlib.colors.to_rgba(maps.SHADES[2])  # Mali 4
        assert colour["country-024"] == matplotlib.colors.to_rgba(maps.SHADES[2])  # Angola 4
        assert colour["country-076"] == matplotlib.colors.to_rgba(maps.LAND)  # Brazil: none
        return
    theatre = maps.THEATRES[name.removesuffix("_map")][1]
    entries = theatre_key(fig)
    assert [number for number, _, _, _ in entries.values()] == list(range(1, len(theatre) + 1))
    for host in theatre:
        _, count, un, other = entries[host]
        in_order = {t: [i for i in TABLES[t]["id"] if i in rows_hosted_by(host, t)] for t in BOTH}
        assert (un, other) == (in_order["un_operations"], in_order["operations"]), host
        assert count == len(hosted_by(host)) == len(un) + len(other), host


def theatre_key(fig) -> dict[str, tuple[int, int, list[str], list[str]]]:
    """A theatre map's key read back from the drawn text: for each host, its number, the
    count it gives, and the ids it lists as UN and as other operations."""
    lines = [t for t, _, _ in lanes.drawn_texts(fig) if re.match(r"\d+  |     \S", t)]
    text = re.sub(r"\s+", " ", " ".join(lines))
    entries = {}
    for m in re.finditer(r"(\d+) (.+?) \((\d+)\): (.+?)(?= \d+ [A-Z]|$)", text):
        groups = dict(g.split(": ") for g in m.group(4).split("; "))
        assert set(groups) <= {"UN", "other"}, m.group()
        ids = {word: groups[word].split(", ") if word in groups else [] for word in ("UN", "other")}
        entries[m.group(2)] = (int(m.group(1)), int(m.group(3)), ids["UN"], ids["other"])
    return entries


#: Hosts of the tables that lie in a theatre map's frame but belong to another theatre.
LEFT_GREY = {
    "balkans": [],
    "somalia": ["Ethiopia", "Rwanda", "South Sudan"],
    "drc": ["Angola", "Burundi", "Cameroon", "Rwanda"],
    "sahel": ["Central African Republic", "Western Sahara"],
}


def test_theatre_maps_show_un_operations_and_shade_un_only_hosts() -> None:
    fig = maps.balkans_map(TABLES)
    # Croatia hosted UN operations only: it is shaded, numbered and keyed as UN
    assert not rows_hosted_by("Croatia") and rows_hosted_by("Croatia", "un_operations")
    assert "191" in maps.shaded_keys(fig)
    number, count, un, other = theatre_key(fig)["Croatia"]
    assert (count, other) == (5, []) and {"UNPROFOR", "UNCRO", "UNTAES"} <= set(un)
    assert theatre_key(maps.drc_map(TABLES))["Democratic Republic of the Congo"][2] == [
        "ONUC", "MONUC", "MONUSCO"]  # fmt: skip
    assert theatre_key(maps.somalia_map(TABLES))["Somalia"][2] == ["UNOSOM-I", "UNOSOM-II"]
    # a table row that moves an operation to a UN-only host changes the map: not hard-coded
    moved = {name: table.copy() for name, table in TABLES.items()}
    un = moved["un_operations"]
    un.loc[un["id"] == "UNPSG", "host_country"] = "Albania"
    assert theatre_key(maps.balkans_map(moved))["Albania"][1:] == (2, ["UNPSG"], ["ALBA"])


def test_every_host_in_a_frame_is_numbered_or_known_to_be_left_grey() -> None:
    """A new row whose host lies in a theatre's frame fails here until THEATRES (and the
    caption) say whether the theatre shows it."""
    for name, (frame, theatre) in maps.THEATRES.items():
        assert maps.hosts_left_grey(frame, theatre, TABLES) == LEFT_GREY[name], name
        assert not set(theatre) & set(LEFT_GREY[name])


def test_maps_are_legible_like_the_figures(drawn) -> None:
    name, fig = drawn
    assert fig.get_size_inches()[0] == lanes.WIDTH_IN
    texts = lanes.drawn_texts(fig)
    assert texts and min(size for _, _, size in texts) >= lanes.MIN_FONT_PT
    assert lanes.overlaps(fig) == [], name
    page = fig.bbox
    for text, box, _ in texts:
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, f"{name}: {text!r} cut off"
        assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, f"{name}: {text!r} cut off"


def test_theatre_maps_number_each_host_and_name_some_neighbours() -> None:
    somalia = {t for t, _, _ in lanes.drawn_texts(maps.somalia_map(TABLES))}
    assert {"1", "2", "Ethiopia", "Kenya"} <= somalia
    balkans = {t for t, _, _ in lanes.drawn_texts(maps.balkans_map(TABLES))}
    assert {str(n) for n in range(1, 8)} <= balkans and "8" not in balkans


def test_pages_get_a_light_reproducible_svg(drawn) -> None:
    name, fig = drawn
    svg = maps.render(fig)._repr_svg_()
    assert svg == maps.render(DRAW[name](TABLES))._repr_svg_(), f"{name}: not reproducible"
    assert "<text" not in svg and "@font-face" not in svg, "text must be drawn as paths"
    assert not re.search(r'(?:href|src)="(?!#)', svg) and "url(http" not in svg
    assert len(svg.encode()) < SVG_BUDGET, f"{name}: {len(svg.encode())} bytes"
    assert len(svg.encode()) < len(figures.render(fig).svg.encode())  # rounding pays


def test_drawing_reads_only_data_geo_and_opens_no_socket() -> None:
    """An audit hook (PEP 578) records every file opened and every network call while the
    maps are drawn from a cold start (the boundary cache emptied; the tables, which are not
    geography, loaded beforehand)."""
    seen: list[tuple[str, tuple]] = []
    recording = [True]

    def hook(event: str, args: tuple) -> None:
        if recording[0] and (event == "open" or event.startswith(("socket.", "urllib", "http"))):
            seen.append((event, args))

    geo.load.cache_clear()
    sys.addaudithook(hook)
    try:
        for draw in DRAW.values():
            maps.render(draw(TABLES))
    finally:
        recording[0] = False
    network = [event for event, _ in seen if event != "open"]
    assert network == [], network
    opened = {Path(str(args[0])).resolve() for event, args in seen if isinstance(args[0], str)}
    allowed = [
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
        Path(matplotlib.get_cachedir()).resolve(),
        Path(matplotlib.get_configdir()).resolve(),
    ]
    ours = {p for p in opened if not any(p.is_relative_to(a) for a in allowed)}
    geo_dir = geo.GEO_DIR.resolve()
    assert {p for p in ours if not p.is_relative_to(geo_dir)} == set()
    assert {p.name for p in ours} == set(geo.SCALES.values())


def test_each_map_is_on_its_page_with_caption_alt_text_and_source() -> None:
    for name, page in PAGES.items():
        text = (ROOT / page).read_text(encoding="utf-8")
        cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S)
        (cell,) = [c for c in cells if f"maps.{name}()" in c]
        assert ":tags: [remove-input]" in cell and f"maps.render(maps.{name}())" in cell
        caption = re.search(r'caption: "(.*)"', cell).group(1)
        assert maps.SOURCE_LINE in caption, page
        alt = re.search(r'alt: "(.*)"', cell).group(1)
        assert len(alt) > 80, page
        if name == "world_map":
            continue
        theatre = name.removesuffix("_map")
        assert "data/operations.csv and data/un_operations.csv" in caption, name
        assert "not shaded" not in caption, name
        for host in LEFT_GREY[theatre]:
            assert host in caption, f"{name}: the caption does not say {host} is left grey"
        for host in maps.THEATRES[theatre][1]:
            assert host in alt, f"{name}: the alt text does not name {host}"
