"""Maps for the book, drawn at build time from Natural Earth boundaries and the tables.

Boundaries come from ``data/geo`` (Natural Earth, public domain, as npm's ``world-atlas``
ships them; decoded by :mod:`peaceops.data.geo`, offline); every mapped value comes from
the course's tables: a country is shaded because a row names it in its ``host_country``
column. Every map reads ``data/un_operations.csv`` (UN peacekeeping operations) and
``data/operations.csv`` (alliance, regional and coalition operations) together
(:data:`MAP_TABLES`), and its key keeps the two apart: "UN" and "other".

One function per map returns a matplotlib Figure, shown in a page with
:func:`peaceops.data.figures.render` (SVG, text as paths). A theatre map
(:func:`balkans_map`, :func:`somalia_map`, :func:`drc_map`, :func:`sahel_map`) uses the
1:50m boundaries cropped to its frame and shades and numbers (north to south) the
theatre's host countries, as :data:`THEATRES` lists them: the hosts of either table that
lie in the frame and belong to the theatre's case. Hosts of another theatre that lie in
the frame stay grey (:func:`hosts_left_grey` names them, and the caption must too). A
key under the map lists, for each number, the country, the count of its operations and
their ids, the UN ones first: ``1  Croatia (5): UN: UNPROFOR, UNCRO, ...``
(:func:`theatre_key_entry`; a kind with no operation is left out), wrapped at
:data:`KEY_WIDTH` characters. :func:`world_map` uses the 1:110m boundaries in the Equal
Earth projection and shades each country by the number of operations of both tables it
hosted; its key gives, for the countries of the darkest class, the count split into UN
and other operations (:func:`host_counts`). Like the figures, every map is
:data:`lanes.WIDTH_IN` wide, with no text under :data:`lanes.MIN_FONT_PT`, and no title:
the caption names it and carries :data:`SOURCE_LINE`. Each country is drawn as one patch
whose ``gid`` is ``country-<key>`` (ISO numeric code, or Natural Earth's name where it
has none), so what was shaded can be read back (:func:`shaded_keys`). A page's SVG stays
under the budget its test sets (150 kB a map).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from peaceops import data
from peaceops.data import figures, geo
from peaceops.data.lanes import MIN_FONT_PT, WIDTH_IN

matplotlib.use("Agg")

#: The source line every map's caption carries ("the course's tables": the caption names
#: them, ``data/operations.csv`` and ``data/un_operations.csv``).
SOURCE_LINE = (
    "Boundaries: Natural Earth (public domain), via world-atlas; operations: the course's tables"
)
#: Natural Earth's names for the tables' host countries, where they differ (the ISO
#: numeric id then comes from the TopoJSON). The Federal Republic of Yugoslavia of 1999
#: was Serbia (with Kosovo) and Montenegro; Somalia and Cyprus are taken in their
#: internationally recognised borders, which include Somaliland and the north of Cyprus
#: (features of their own in Natural Earth).
NATURAL_EARTH_NAMES: dict[str, tuple[str, ...]] = {
    "Bosnia and Herzegovina": ("Bosnia and Herz.",),
    "Central African Republic": ("Central African Rep.",),
    "Cyprus": ("Cyprus", "N. Cyprus"),
    "Democratic Republic of the Congo": ("Dem. Rep. Congo",),
    "Dominican Republic": ("Dominican Rep.",),
    "Federal Republic of Yugoslavia": ("Serbia", "Montenegro", "Kosovo"),
    "North Macedonia": ("Macedonia",),
    "Solomon Islands": ("Solomon Is.",),
    "Somalia": ("Somalia", "Somaliland"),
    "South Sudan": ("S. Sudan",),
    "Western Sahara": ("W. Sahara",),
}
#: The tables every map reads, in the order its key gives them: (table, what the key
#: calls an operation of it).
MAP_TABLES: tuple[tuple[str, str], ...] = (("un_operations", "UN"), ("operations", "other"))
#: Each theatre map: its frame (west, south, east, north, in degrees) and the host
#: countries of either table it shades and numbers (names as in ``host_country``): those
#: in the frame that belong to the theatre's case. Montenegro is UNMOP's host beside
#: Croatia (the Prevlaka peninsula) and numbered on its own, although the Federal Republic
#: of Yugoslavia it was part of is drawn as Serbia, Montenegro and Kosovo. Left grey
#: although in the frame (:func:`hosts_left_grey`): Rwanda, Ethiopia and South Sudan on
#: the Somalia map; Angola, Burundi, Cameroon and Rwanda on the Congo's; the Central
#: African Republic and Western Sahara on the Sahel's.
THEATRES: dict[str, tuple[tuple[float, float, float, float], tuple[str, ...]]] = {
    "balkans": (
        (13.0, 39.3, 24.5, 46.9),
        (
            "Croatia",
            "Bosnia and Herzegovina",
            "Federal Republic of Yugoslavia",
            "Montenegro",
            "Kosovo",
            "North Macedonia",
            "Albania",
        ),
    ),  # fmt: skip
    "somalia": ((28.5, -2.5, 52.5, 13.0), ("Somalia", "Uganda")),
    "drc": ((11.0, -14.0, 32.0, 6.0), ("Democratic Republic of the Congo",)),
    "sahel": (
        (-18.0, 4.0, 24.5, 25.0),
        (
            "Mauritania",
            "Mali",
            "Burkina Faso",
            "Niger",
            "Chad",
            "Nigeria",
            "Cameroon",
            "Gambia",
            "Guinea-Bissau",
            "Sierra Leone",
            "Liberia",
            "Côte d'Ivoire",
        ),
    ),  # fmt: skip
}
#: Colours: land with no operation, a border, a host country, its outline, text, a
#: neighbour's name (5.5:1 on the land colour), the sea.
LAND, BORDER, HOST, HOST_EDGE = "#e4e4e4", "#ffffff", "#6baed6", "#1f4e79"
INK, NAME, SEA = "#222222", "#595959", "#f4f8fb"

#: The world map's classes, lightest first (ColorBrewer Blues), for 1, 2, 3 and 4+.
SHADES = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
#: A host smaller than this on the world map (in Equal Earth units on a unit sphere, whose
#: 4 pi cover the Earth's 510 million km2: about 60,000 km2) is also marked with a dot.
SMALL = 0.0015
#: Space for one line of key text, in inches.
LINE_IN = MIN_FONT_PT * 1.35 / 72
#: Characters in a line of a theatre map's key (it fits the map's width at MIN_FONT_PT).
KEY_WIDTH = 52


@dataclass(frozen=True)
class Host:
    """A host country of the table: its name there, its operations, where to mark it."""

    name: str
    operations: tuple[str, ...]
    features: tuple[geo.Country, ...]
    point: tuple[float, float]  # an interior point (lon, lat) of its largest part


def hosts_in_tables(tables: dict[str, pd.DataFrame] | None = None,
                    names: tuple[str, ...] = ("operations",)) -> dict[str, list[str]]:  # fmt: skip
    """Each host country named in the tables ``names`` (``operations.csv`` unless told)
    and the ids of its operations, in the tables' order (a row naming several countries
    counts for each)."""
    tables = tables or data.load_all()
    hosts: dict[str, list[str]] = {}
    for name in names:
        for _, row in tables[name].iterrows():
            for country in str(row["host_country"]).split(";"):
                if country.strip():
                    hosts.setdefault(country.strip(), []).append(row["id"])
    return hosts


def host_counts(tables: dict[str, pd.DataFrame] | None = None) -> dict[str, dict[str, int]]:
    """For each host country of the maps' tables (:data:`MAP_TABLES`), by its
    name in ``host_country``, how many operations of each table it hosted, keyed by the
    key's word for the table ("UN", "other"; 0 where none)."""
    tables = tables or data.load_all()
    counts: dict[str, dict[str, int]] = {}
    for name, word in MAP_TABLES:
        for host, operations in hosts_in_tables(tables, (name,)).items():
            counts.setdefault(host, {w: 0 for _, w in MAP_TABLES})[word] = len(operations)
    return counts


def operations_by_kind(
    tables: dict[str, pd.DataFrame] | None = None,
) -> dict[str, dict[str, list[str]]]:
    """For each host country of the maps' tables (:data:`MAP_TABLES`), the ids of its
    operations in each table, keyed by the key's word for the table ("UN", "other"), in
    the table's order (a word is missing where the table has none there)."""
    tables = tables or data.load_all()
    kinds: dict[str, dict[str, list[str]]] = {}
    for name, word in MAP_TABLES:
        for host, operations in hosts_in_tables(tables, (name,)).items():
            kinds.setdefault(host, {})[word] = operations
    return kinds


def theatre_key_entry(number: int, host: str, kinds: dict[str, list[str]]) -> str:
    """One entry of a theatre map's key, before wrapping: the number, the country, the
    count of its operations, then their ids by kind, UN first, a kind with none left out
    ("1  Somalia (3): UN: UNOSOM-I, UNOSOM-II; other: UNITAF")."""
    words = [word for _, word in MAP_TABLES if kinds.get(word)]
    total = sum(len(kinds[word]) for word in words)
    groups = "; ".join(f"{word}: {', '.join(kinds[word])}" for word in words)
    return f"{number}  {host} ({total}): {groups}"


def features_for(host: str, countries: list[geo.Country]) -> tuple[geo.Country, ...]:
    """The Natural Earth features that make up a host country of the tables."""
    names = NATURAL_EARTH_NAMES.get(host, (host,))
    found = tuple(c for c in countries if c.name in names)
    if len(found) != len(names):
        missing = sorted(set(names) - {c.name for c in found})
        raise KeyError(f"no Natural Earth feature for {host!r} (looked for {missing}); "
                       "add its name to maps.NATURAL_EARTH_NAMES")  # fmt: skip
    return found


def interior_point(ring: geo.Ring) -> tuple[float, float]:
    """A point inside a ring: the middle of the widest stretch of the horizontal line
    through its centroid (a centroid alone can fall outside a bent country)."""
    area = geo.ring_area(ring)
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    cy = float(np.sum((y + np.roll(y, -1)) * cross) / (6 * area)) if area else float(y.mean())
    a, b = ring, np.roll(ring, -1, axis=0)
    spans = (a[:, 1] - cy) * (b[:, 1] - cy) < 0
    t = (cy - a[spans, 1]) / (b[spans, 1] - a[spans, 1])
    xs = np.sort(a[spans, 0] + t * (b[spans, 0] - a[spans, 0]))
    if len(xs) < 2:
        return float(x.mean()), float(y.mean())
    pairs = xs[: len(xs) // 2 * 2].reshape(-1, 2)
    widest = pairs[np.argmax(pairs[:, 1] - pairs[:, 0])]
    return float(widest.mean()), cy


def hosts(tables: dict[str, pd.DataFrame] | None, scale: str,
          names: tuple[str, ...] = ("operations",)) -> list[Host]:  # fmt: skip
    """Every host country of the tables ``names`` with its features at a scale, and where
    to mark it."""
    countries = geo.load(scale).countries()
    found = []
    for name, operations in hosts_in_tables(tables, names).items():
        features = features_for(name, countries)
        main = max(features, key=lambda c: abs(geo.ring_area(c.largest()[0])))
        found.append(Host(name, tuple(operations), features, interior_point(main.largest()[0])))
    return found


def country_counts(tables: dict[str, pd.DataFrame] | None = None,
                   names: tuple[str, ...] | None = None) -> dict[str, int]:  # fmt: skip
    """Operations hosted by each Natural Earth feature (by :attr:`geo.Country.key`), from
    the tables ``names`` (both of the world map unless told): an operation counts once
    for each country it names, and once only where two of its countries share a feature."""
    counts: dict[str, set[tuple[str, str]]] = {}
    for name in names or tuple(n for n, _ in MAP_TABLES):
        for host in hosts(tables, "110m", (name,)):
            for feature in host.features:
                counts.setdefault(feature.key, set()).update((name, o) for o in host.operations)
    return {key: len(ops) for key, ops in counts.items()}


def _patch(polygons: list[geo.Polygon], **style) -> PathPatch:
    """One patch for all the parts of a country (holes cut out by the even-odd rule)."""
    vertices, codes = [], []
    for polygon in polygons:
        for ring in polygon:
            vertices.append(ring)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1)
    path = MplPath(np.vstack(vertices), codes)
    return PathPatch(path, **style)


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    return fig


def _bare(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _map_axes(
    map_w: float,
    map_h: float,
    below_h: float,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    aspect,
) -> tuple[Figure, object]:
    """A figure WIDTH_IN wide holding a bare map of ``map_w`` x ``map_h`` inches above a
    band of ``below_h`` inches (the key or the legend), framed on ``xlim`` and ``ylim``."""
    fig = _figure(WIDTH_IN, map_h + below_h + 0.1)
    ax = fig.add_axes((0.05 / WIDTH_IN, (below_h + 0.05) / fig.get_figheight(),
                       map_w / WIDTH_IN, map_h / fig.get_figheight()))  # fmt: skip
    _bare(ax)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(aspect)
    return fig, ax


def _place_markers(points: list[tuple[float, float]], frame, min_deg: float):
    """Where to draw each numbered marker: on its point if no earlier marker is nearer
    than ``min_deg``, else at the first free spot around it (a leader line joins them)."""
    placed: list[tuple[float, float]] = []
    west, south, east, north = frame
    directions = [(np.cos(a), np.sin(a)) for a in np.radians([0, 180, 90, 270, 45, 135, 225, 315])]
    for x, y in points:
        candidates = [(x, y)] + [(x + dx * min_deg * r, y + dy * min_deg * r)
                                 for r in (1.1, 1.6, 2.2) for dx, dy in directions]  # fmt: skip
        for cx, cy in candidates:
            inside = (
                west + min_deg / 2 < cx < east - min_deg / 2
                and south + min_deg / 2 < cy < north - min_deg / 2
            )
            if inside and all(np.hypot(cx - px, cy - py) >= min_deg for px, py in placed):
                placed.append((cx, cy))
                break
        else:
            placed.append((x, y))
    return placed


def _area(polygons: list[geo.Polygon]) -> float:
    return sum(abs(geo.ring_area(polygon[0])) for polygon in polygons)


def _visible(country: geo.Country, frame) -> list[geo.Polygon]:
    """The parts of a country inside a frame ([] when its bounds miss the frame)."""
    west, south, east, north = frame
    x0, y0, x1, y1 = country.bounds()
    if x1 - x0 < 180 and (x0 > east or x1 < west or y0 > north or y1 < south):
        return []
    return [part for polygon in country.polygons for part in geo.in_box(polygon, frame)]


def _all_tables() -> tuple[str, ...]:
    return tuple(name for name, _ in MAP_TABLES)


def hosts_left_grey(frame: tuple[float, float, float, float], theatre: tuple[str, ...],
                    tables: dict[str, pd.DataFrame] | None = None) -> list[str]:  # fmt: skip
    """The host countries of the maps' tables that a theatre map leaves grey although
    they lie in its frame (their interior point does): hosts of another theatre, which
    the caption must name. In alphabetical order."""
    west, south, east, north = frame
    return sorted(
        host.name
        for host in hosts(tables, "50m", _all_tables())
        if host.name not in theatre
        and west < host.point[0] < east
        and south < host.point[1] < north
    )


def theatre_map(frame: tuple[float, float, float, float], theatre: tuple[str, ...],
                tables: dict[str, pd.DataFrame] | None = None) -> Figure:  # fmt: skip
    """A region at 1:50m, cropped to its frame. The theatre's host countries (of both
    tables) are shaded and numbered (north to south), and a key under the map lists for
    each number the country, the count of its operations and their ids, UN and other
    apart (:func:`theatre_key_entry`). Every other country is grey and named (Natural
    Earth's short name) where the name fits inside it."""
    tables = tables or data.load_all()
    west, south, east, north = frame
    topology = geo.load("50m").simplified((east - west) / 700, box=frame)
    countries = topology.countries()
    visible = {c.key: parts for c in countries if (parts := _visible(c, frame))}
    by_name = {h.name: h for h in hosts(tables, "50m", _all_tables())}
    kinds = operations_by_kind(tables)
    missing = [name for name in theatre if name not in by_name]
    if missing:
        raise KeyError(f"not a host country of {' or '.join(_all_tables())}: {missing}")
    numbered = []
    for host in (by_name[name] for name in theatre):
        parts = [p for f in host.features for p in visible.get(f.key, [])]
        if not parts:
            raise ValueError(f"{host.name} is not in the frame {frame}")
        main = max(parts, key=lambda p: abs(geo.ring_area(p[0])))
        numbered.append((host, interior_point(main[0])))
    numbered.sort(key=lambda hp: (-round(hp[1][1], 1), hp[1][0]))
    host_keys = {f.key for h, _ in numbered for f in h.features}

    stretch = 1 / np.cos(np.radians((north + south) / 2))
    map_w = WIDTH_IN - 0.1
    map_h = map_w * (north - south) * stretch / (east - west)
    key_lines = []
    for number, (host, _) in enumerate(numbered, start=1):
        # a kind's word stays on the line of its first id (joined by a no-break space)
        entry = theatre_key_entry(number, host.name, kinds[host.name])
        for _, word in MAP_TABLES:
            entry = entry.replace(f" {word}: ", f" {word}:\N{NO-BREAK SPACE}")
        lines = textwrap.wrap(entry, width=KEY_WIDTH, subsequent_indent="     ",
                              break_on_hyphens=False)  # fmt: skip
        key_lines += [line.replace("\N{NO-BREAK SPACE}", " ") for line in lines]
    key_h = LINE_IN * len(key_lines) + 0.12
    fig, ax = _map_axes(map_w, map_h, key_h, (west, east), (south, north), stretch)
    ax.add_patch(Rectangle((west, south), east - west, north - south, facecolor=SEA,
                           edgecolor="#9a9a9a", linewidth=0.6, zorder=0))  # fmt: skip
    for key, parts in visible.items():
        ax.add_patch(_patch(parts, facecolor=HOST if key in host_keys else LAND,
                            edgecolor=BORDER, linewidth=0.6, gid=f"country-{key}",
                            zorder=1))  # fmt: skip
    for key in sorted(host_keys):  # host outlines on top of the white borders
        ax.add_patch(_patch(visible[key], facecolor="none", edgecolor=HOST_EDGE,
                            linewidth=0.7, zorder=2))  # fmt: skip
    per_degree = map_w / (east - west)  # inches per degree of longitude
    points = [point for _, point in numbered]
    spots = _place_markers(points, frame, 0.24 / per_degree)
    marks = []
    for number, ((x, y), (mx, my)) in enumerate(zip(points, spots, strict=True), start=1):
        if (mx, my) != (x, y):
            ax.plot([x, mx], [y, my], color=INK, linewidth=0.7, zorder=3)
            ax.plot([x], [y], marker="o", markersize=2, color=INK, zorder=3)
        marks.append(ax.text(mx, my, str(number), ha="center", va="center",
                             fontsize=MIN_FONT_PT, fontweight="bold", color=INK, zorder=4,
                             bbox={"boxstyle": "circle,pad=0.18", "facecolor": "white",
                                   "edgecolor": INK, "linewidth": 0.7}))  # fmt: skip
    names = {c.key: c.name for c in countries}
    _name_countries(fig, ax, {k: v for k, v in visible.items() if k not in host_keys},
                    names, marks)  # fmt: skip
    for row, line in enumerate(key_lines):
        fig.text(0.1 / WIDTH_IN, (key_h - 0.04 - LINE_IN * (row + 0.5)) / fig.get_figheight(),
                 line, ha="left", va="center", fontsize=MIN_FONT_PT, color=INK)  # fmt: skip
    return fig


def _name_countries(fig: Figure, ax, visible: dict[str, list[geo.Polygon]],
                    names: dict[str, str], marks: list) -> None:  # fmt: skip
    """Write each country's name at an interior point of its largest visible part, and
    take it away again unless the whole label lies inside that part, inside the map, and
    clear of every marker and of every name already kept (largest countries first)."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [m.get_bbox_patch().get_window_extent(renderer) for m in marks if m.get_bbox_patch()]
    for key, parts in sorted(visible.items(), key=lambda kv: -_area(kv[1])):
        main = max(parts, key=lambda p: abs(geo.ring_area(p[0])))
        x, y = interior_point(main[0])
        label = ax.text(x, y, names[key], ha="center", va="center", fontsize=MIN_FONT_PT,
                        color=NAME, zorder=3)  # fmt: skip
        box = label.get_window_extent(renderer).expanded(1.08, 1.15)
        corners = ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1),
             ((box.x0 + box.x1) / 2, box.y0), ((box.x0 + box.x1) / 2, box.y1)])  # fmt: skip
        fits = MplPath(main[0]).contains_points(corners).all()
        clear = all(not box.overlaps(other) for other in taken)
        if fits and clear and frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1):
            taken.append(box)
        else:
            label.remove()


def balkans_map(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """The former Yugoslavia and its neighbours: Croatia, Bosnia and Herzegovina, the
    Federal Republic of Yugoslavia, Montenegro and Kosovo, North Macedonia and Albania."""
    return theatre_map(*THEATRES["balkans"], tables)


def somalia_map(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """The Horn of Africa and East Africa: Somalia, and Uganda (where EUTM Somalia began)."""
    return theatre_map(*THEATRES["somalia"], tables)


def drc_map(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """The Democratic Republic of the Congo and the Great Lakes."""
    return theatre_map(*THEATRES["drc"], tables)


def sahel_map(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """West Africa and the Sahel: Mali and its neighbours to the Lake Chad basin."""
    return theatre_map(*THEATRES["sahel"], tables)


def classes(counts: dict[str, int]) -> list[tuple[int, int]]:
    """The world map's classes, (low, high) counts: 1, 2, 3 to 4, then 5 to the largest."""
    top = max(counts.values(), default=1)
    bins = [(low, min(high, top)) for low, high in ((1, 1), (2, 2), (3, 4)) if low <= top]
    if top >= 5:
        bins.append((5, top))
    return bins


def key_entries(tables: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """The world map's key: each host country whose operations fall in the darkest class,
    most first, with its count split by table ("Haiti: 10 (UN 6, other 4)")."""
    counts = host_counts(tables)
    low = classes(country_counts(tables))[-1][0]
    top = [(sum(c.values()), name, c) for name, c in counts.items() if sum(c.values()) >= low]
    words = [w for _, w in MAP_TABLES]
    return [
        f"{name}: {total} (" + ", ".join(f"{w} {c[w]}" for w in words) + ")"
        for total, name, c in sorted(top, key=lambda t: (-t[0], t[1]))
    ]


def world_map(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """The world at 1:110m in the Equal Earth projection (Antarctica left out), each country
    shaded by the number of operations of both tables (:data:`MAP_TABLES`) it hosted; a
    dot marks a host too small to see, a legend under the map gives the classes, and a key
    under it the countries of the darkest class with their UN and other operations."""
    tables = tables or data.load_all()
    counts = country_counts(tables)
    bins = classes(counts)
    key_lines = key_entries(tables)

    def shade(n: int) -> str:
        return next(SHADES[i] for i, (low, high) in enumerate(bins) if low <= n <= high)

    # 0.35 degrees is under a quarter of a CSS pixel at the map's width on a phone; it
    # keeps the SVG, with its key drawn as paths, within the page budget
    topology = geo.load("110m").simplified(0.35)
    world = (-180.0, -58.0, 180.0, 84.0)
    map_w, legend_h = WIDTH_IN - 0.1, 0.42
    key_h = LINE_IN * (len(key_lines) + 1) + 0.08
    corners = geo.equal_earth(np.array([[-180.0, 0.0], [180.0, 0.0], [0.0, -58.0], [0.0, 84.0]]))
    x0, x1, y0, y1 = corners[0, 0], corners[1, 0], corners[2, 1], corners[3, 1]
    map_h = map_w * (y1 - y0) / (x1 - x0)
    fig, ax = _map_axes(map_w, map_h, legend_h + key_h, (x0, x1), (y0, y1), "equal")
    small = []
    for country in topology.countries():
        if country.id == "010":  # Antarctica
            continue
        parts = [tuple(geo.equal_earth(r) for r in part) for polygon in country.polygons
                 for part in geo.in_box(polygon, world)]  # fmt: skip
        if not parts:
            continue
        n = counts.get(country.key, 0)
        ax.add_patch(_patch(parts, facecolor=shade(n) if n else LAND, edgecolor=BORDER,
                            linewidth=0.3, gid=f"country-{country.key}", zorder=1))  # fmt: skip
        if n and sum(abs(geo.ring_area(p[0])) for p in parts) < SMALL:
            main = max(parts, key=lambda p: abs(geo.ring_area(p[0])))
            small.append((interior_point(main[0]), shade(n)))
    for (x, y), colour in small:
        ax.plot([x], [y], marker="o", markersize=3.2, markerfacecolor=colour,
                markeredgecolor=INK, markeredgewidth=0.5, zorder=3)  # fmt: skip
    handles = [Rectangle((0, 0), 1, 1, facecolor=SHADES[i], edgecolor=INK, linewidth=0.4)
               for i in range(len(bins))]  # fmt: skip
    labels = [f"{low}" if low == high else f"{low}\u2013{high}" for low, high in bins]
    height = fig.get_figheight()
    fig.legend(handles, labels, loc="lower center", ncols=len(bins), frameon=False,
               fontsize=MIN_FONT_PT, title="Operations hosted, UN and other",
               title_fontsize=MIN_FONT_PT, bbox_to_anchor=(0.5, key_h / height),
               handlelength=1.2, columnspacing=1.2, alignment="center")  # fmt: skip
    heading = f"Darkest shade, {bins[-1][0]} or more:"
    for row, line in enumerate([heading, *key_lines]):
        fig.text(0.1 / WIDTH_IN, (key_h - 0.04 - LINE_IN * (row + 0.5)) / height,
                 line if row == 0 else "  " + line, ha="left", va="center",
                 fontsize=MIN_FONT_PT, color=INK)  # fmt: skip
    return fig


def shaded_keys(fig: Figure, colours: tuple[str, ...] = (HOST, *SHADES)) -> set[str]:
    """The countries a map shades, by key: what was drawn, read back from the patches."""
    wanted = {matplotlib.colors.to_rgba(c) for c in colours}
    return {
        patch.get_gid().removeprefix("country-")
        for ax in fig.axes
        for patch in ax.patches
        if (patch.get_gid() or "").startswith("country-") and patch.get_facecolor() in wanted
    }


_PATH_DATA = re.compile(r'(<path d=")([^"]*)(")')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _tenth(number: re.Match) -> str:
    text = f"{float(number.group()):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def render(fig: Figure) -> figures.Rendered:
    """A map as a page shows it: :func:`figures.render`, its path coordinates then rounded
    to a tenth of a point (a tenth of a CSS pixel or so; matplotlib writes six decimals),
    which takes about a third off the SVG's weight."""
    shown = figures.render(fig)
    shown.svg = _PATH_DATA.sub(
        lambda m: m.group(1) + _DECIMAL.sub(_tenth, m.group(2)) + m.group(3), shown.svg
    )
    return shown
