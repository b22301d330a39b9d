"""Maps of where missions were deployed, drawn at build time from ``data/deployments.csv``.

Like the theatre maps of :mod:`peaceops.data.maps` (whose helpers this module reuses), a
deployment map draws Natural Earth's 1:50m boundaries cropped to a frame, offline, is
:data:`lanes.WIDTH_IN` wide with no text under :data:`lanes.MIN_FONT_PT` and no title
(the caption names it and carries :data:`SOURCE_LINE`). Every row of the table for the
map's operations becomes a numbered marker, a white circle for the first operation, a
white square for the second and a grey circle for the third (:data:`SHAPES`); the
countries the rows lie in are shaded. Where markers would
touch, a marker is moved aside and a leader line joins it to a dot on the true point. A
key under the map gives, for each number, the place, the row's label and nation, and
for each operation its shape and the date its rows describe. Each true point is a line
artist whose ``gid`` is ``deployment-<number>`` at the row's longitude and latitude, so
what was drawn can be read back (:func:`drawn_points`).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from peaceops.data import deployments as deployments_table
from peaceops.data import geo, maps
from peaceops.data.lanes import MIN_FONT_PT, WIDTH_IN

#: The source line every deployment map's caption carries.
SOURCE_LINE = (
    "Boundaries: Natural Earth (public domain), via world-atlas; places: the course's "
    "table of deployments (data/deployments.csv), coordinates from GeoNames and Wikipedia"
)
#: Each deployment map: its frame (west, south, east, north, in degrees) and the
#: operations whose rows it draws, in the order of their marker shapes.
DEPLOYMENT_MAPS: dict[str, tuple[tuple[float, float, float, float], tuple[str, ...]]] = {
    "balkans": ((15.3, 41.75, 22.3, 45.4), ("UNPROFOR", "KFOR")),
    "drc": ((8.0, -14.0, 34.0, 6.0), ("ARTEMIS", "EUFOR-RD-CONGO", "MONUSCO")),
    "mali": ((-13.0, 9.5, 5.0, 25.5), ("MINUSMA",)),
}
#: The marker of the first, second and third operation of a map: a matplotlib box
#: style, the words the key uses for it, and its fill.
SHAPES = (
    ("circle,pad=0.18", "Circles", "white"),
    ("square,pad=0.22", "Squares", "white"),
    ("circle,pad=0.18", "Grey circles", "#bdbdbd"),
)
KEY_WIDTH = 52  # characters of a key line at MIN_FONT_PT on a WIDTH_IN figure


def _dates(rows: pd.DataFrame) -> str:
    first, last = min(rows["as_of"]), max(rows["as_of"])
    return first if first == last else f"{first} to {last}"


def key_lines(rows: pd.DataFrame, operations: tuple[str, ...]) -> list[str]:
    """The key under a map: for each operation its shape, id, roles and dates, then one
    entry per row, numbered as on the map, wrapped to the key's width."""
    lines: list[str] = []
    number = 0
    for (_, shape, _), operation in zip(SHAPES, operations, strict=False):
        own = rows[rows["operation"] == operation]
        roles = ", ".join(dict.fromkeys(f"{role}s" for role in own["role"]))
        lines += textwrap.wrap(f"{shape}: {operation}, {roles}, as of {_dates(own)}",
                               width=KEY_WIDTH, break_on_hyphens=False)  # fmt: skip
        for _, row in own.iterrows():
            number += 1
            nation = f" ({row['nation']})" if row["nation"] else ""
            lines += textwrap.wrap(f"{number}  {row['place']}: {row['label']}{nation}",
                                   width=KEY_WIDTH, subsequent_indent="     ",
                                   break_on_hyphens=False)  # fmt: skip
    return lines


def ordered_rows(operations: tuple[str, ...], table: pd.DataFrame) -> pd.DataFrame:
    """The rows a map draws, numbered in this order: by operation as the map lists them,
    then north to south."""
    missing = [op for op in operations if op not in set(table["operation"])]
    if missing:
        raise KeyError(f"no row of {deployments_table.FILE} for {missing}")
    rows = table[table["operation"].isin(operations)].copy()
    rows["_order"] = rows["operation"].map(operations.index)
    return rows.sort_values(["_order", "lat"], ascending=[True, False]).drop(columns="_order")


def deployment_map(frame: tuple[float, float, float, float], operations: tuple[str, ...],
                   table: pd.DataFrame | None = None,
                   tables: dict[str, pd.DataFrame] | None = None) -> Figure:  # fmt: skip
    """A region at 1:50m cropped to ``frame`` with a numbered marker for every row of the
    deployments table whose operation is in ``operations`` (at most three operations, one
    marker style each), the rows' countries shaded, other countries grey and named where
    the name fits, and a key under the map."""
    if not 1 <= len(operations) <= len(SHAPES):
        raise ValueError(f"a map draws one to {len(SHAPES)} operations, not {len(operations)}")
    rows = ordered_rows(operations, table if table is not None else deployments_table.load(tables))
    west, south, east, north = frame
    outside = rows[~rows["lon"].between(west, east) | ~rows["lat"].between(south, north)]
    if len(outside):
        raise ValueError(f"{list(outside['place'])} lie outside the frame {frame}")
    topology = geo.load("50m").simplified((east - west) / 700, box=frame)
    countries = topology.countries()
    visible = {c.key: parts for c in countries if (parts := maps._visible(c, frame))}
    host_keys = {f.key for name in set(rows["country"])
                 for f in maps.features_for(name, countries)}  # fmt: skip

    stretch = 1 / np.cos(np.radians((north + south) / 2))
    map_w = WIDTH_IN - 0.1
    map_h = map_w * (north - south) * stretch / (east - west)
    lines = key_lines(rows, operations)
    key_h = maps.LINE_IN * len(lines) + 0.12
    fig, ax = maps._map_axes(map_w, map_h, key_h, (west, east), (south, north), stretch)
    ax.add_patch(Rectangle((west, south), east - west, north - south, facecolor=maps.SEA,
                           edgecolor="#9a9a9a", linewidth=0.6, zorder=0))  # fmt: skip
    for key, parts in visible.items():
        ax.add_patch(maps._patch(parts, facecolor=maps.HOST if key in host_keys else maps.LAND,
                                 edgecolor=maps.BORDER, linewidth=0.6, gid=f"country-{key}",
                                 zorder=1))  # fmt: skip
    for key in sorted(host_keys & set(visible)):
        ax.add_patch(maps._patch(visible[key], facecolor="none", edgecolor=maps.HOST_EDGE,
                                 linewidth=0.7, zorder=2))  # fmt: skip

    per_degree = map_w / (east - west)
    points = list(zip(rows["lon"], rows["lat"], strict=True))
    spots = maps._place_markers(points, frame, 0.26 / per_degree)
    styles = {op: (style, fill) for (style, _, fill), op in zip(SHAPES, operations, strict=False)}
    marks = []
    for number, ((x, y), (mx, my), operation) in enumerate(
        zip(points, spots, rows["operation"], strict=True), start=1
    ):
        if (mx, my) != (x, y):
            ax.plot([x, mx], [y, my], color=maps.INK, linewidth=0.7, zorder=3)
        ax.plot([x], [y], marker="o", markersize=2.2, color=maps.INK, zorder=3,
                gid=f"deployment-{number}")  # fmt: skip
        marks.append(ax.text(mx, my, str(number), ha="center", va="center",
                             fontsize=MIN_FONT_PT, fontweight="bold", color=maps.INK,
                             zorder=4, bbox={"boxstyle": styles[operation][0],
                                             "facecolor": styles[operation][1],
                                             "edgecolor": maps.INK,
                                             "linewidth": 0.8}))  # fmt: skip
    names = {c.key: c.name for c in countries}
    fig.draw_without_rendering()  # place the markers' boxes before names avoid them
    maps._name_countries(fig, ax, {k: v for k, v in visible.items() if k not in host_keys},
                         names, marks)  # fmt: skip
    for row, line in enumerate(lines):
        fig.text(0.1 / WIDTH_IN, (key_h - 0.04 - maps.LINE_IN * (row + 0.5)) / fig.get_figheight(),
                 line, ha="left", va="center", fontsize=MIN_FONT_PT, color=maps.INK)  # fmt: skip
    return fig


def balkans_deployment_map(table: pd.DataFrame | None = None,
                           tables: dict[str, pd.DataFrame] | None = None) -> Figure:  # fmt: skip
    """Bosnia and Herzegovina and Kosovo: UNPROFOR's six safe areas of 1993 (circles) and
    the KFOR brigade headquarters of June 1999 (squares)."""
    return deployment_map(*DEPLOYMENT_MAPS["balkans"], table, tables)


def drc_deployment_map(table: pd.DataFrame | None = None,
                       tables: dict[str, pd.DataFrame] | None = None) -> Figure:  # fmt: skip
    """The Democratic Republic of the Congo and its neighbours: Operation Artemis's force
    headquarters at Entebbe and its advanced position in Bunia in June 2003 (circles),
    EUFOR RD Congo's force headquarters in Kinshasa and its on-call force at Libreville
    in July 2006 (squares), and the headquarters of MONUSCO's Intervention Brigade in
    Goma under resolution 2098 (2013) (grey circles)."""
    return deployment_map(*DEPLOYMENT_MAPS["drc"], table, tables)


def mali_deployment_map(table: pd.DataFrame | None = None,
                        tables: dict[str, pd.DataFrame] | None = None) -> Figure:  # fmt: skip
    """Mali: the headquarters of MINUSMA's four sectors, North (Kidal), West (Timbuktu),
    East (Gao) and Centre (Mopti), when Sector Centre was launched on 24 June 2019."""
    return deployment_map(*DEPLOYMENT_MAPS["mali"], table, tables)


def drawn_points(fig: Figure) -> dict[int, tuple[float, float]]:
    """The true point of each numbered marker, read back from the drawn artists."""
    found = {}
    for ax in fig.axes:
        for line in ax.lines:
            gid = line.get_gid() or ""
            if gid.startswith("deployment-"):
                x, y = line.get_xdata()[0], line.get_ydata()[0]
                found[int(gid.removeprefix("deployment-"))] = (float(x), float(y))
    return found
