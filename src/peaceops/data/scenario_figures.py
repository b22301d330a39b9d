"""Drawings of the course's fictional mission area, from ``data/scenario/`` at build time.

:func:`area_map` draws the map of Arvania and its neighbours (countries, provinces, the
mission's sectors, towns, rivers, roads), optionally with one sector or place picked out
for an exercise; :func:`structure_chart` draws the mission and force structure, one row
per unit, indented under the unit it answers to, with the kind of link drawn on the line.
Both follow the book's figure rules (:mod:`peaceops.data.figures`): :data:`WIDTH_IN`
inches wide, no text under :data:`MIN_FONT_PT`, no title (the page's caption names the
figure), and :func:`render` returns an SVG with text drawn as paths.
"""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from peaceops.data import scenario as sc
from peaceops.data.figures import Rendered, render
from peaceops.data.lanes import MIN_FONT_PT, WIDTH_IN

matplotlib.use("Agg")

__all__ = ["Rendered", "area_map", "render", "structure_chart"]

SEA = "#dcecf7"
LAND = {"host": "#f6ecd2", "neighbour": "#e4e4e4"}
#: One colour per sector (each at least 3:1 against the land colours).
SECTOR_COLOURS = ["#1f5fa0", "#2a7a2a", "#b34700", "#7a3b9c"]
RIVER = "#3b7fb8"
ROAD = "#8b1a1a"
INK = "#222222"
#: How each relation of the structure is drawn: line style and the word on the line.
RELATION_STYLE = {
    "direction": ("-", "directs"),
    "command": ("-", "commands"),
    "opcon": ("-", "OPCON"),
    "coordination": ("--", "coordinates"),
    "support": (":", "supports"),
}
ORGANISATION_COLOURS = {"UN": "#1f77b4", "MBC": "#8c564b", "UMS": "#d95f02", "WSA": "#d62728"}


def _xy(points: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    return [p[0] for p in points], [p[1] for p in points]


def _label_at(feature: sc.Feature) -> tuple[float, float]:
    at = feature.properties.get("label_at")
    if at:
        return float(at[0]), float(at[1])
    xs, ys = _xy(feature.points)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def area_map(
    source: sc.Scenario | None = None,
    highlight: str | None = None,
    marks: dict[str, str] | None = None,
) -> Figure:
    """The mission area: countries, provinces, sectors, places, rivers and roads.

    ``highlight`` names a sector or province to pick out (the others fade); ``marks``
    maps a place of the map to a short note drawn beside it (an inject's location).
    """
    area = source or sc.scenario()
    (x0, x1), (y0, y1) = area.frame["x"], area.frame["y"]
    height = WIDTH_IN * (y1 - y0) / (x1 - x0) + 1.15
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor(SEA)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    text = {"fontsize": MIN_FONT_PT, "color": INK, "zorder": 9}
    for country in area.features_of("country"):
        role = country.properties.get("role", "neighbour")
        ax.add_patch(Polygon(country.points, closed=True, facecolor=LAND.get(role, "#eeeeee"),
                             edgecolor="#555555", linewidth=1.2, zorder=1))  # fmt: skip
        ax.text(*_label_at(country), country.name.upper(), ha="center", va="center",
                fontweight="bold", **text)  # fmt: skip
    picked_provinces = {highlight} | {
        p for s in area.features_of("sector") if s.name == highlight
        for p in s.properties.get("provinces", [])
    }  # fmt: skip
    for province in area.features_of("province"):
        faded = highlight is not None and province.name not in picked_provinces
        ax.add_patch(Polygon(province.points, closed=True, fill=False, edgecolor="#9a9a9a",
                             linewidth=0.6, zorder=2))  # fmt: skip
        ax.text(*_label_at(province), province.name, ha="center", va="center", style="italic",
                alpha=0.55 if faded else 1.0, **text)  # fmt: skip
    handles = []
    for colour, sector in zip(SECTOR_COLOURS, area.features_of("sector"), strict=False):
        picked = highlight in (None, sector.name, *sector.properties.get("provinces", []))
        ax.add_patch(Polygon(sector.points, closed=True, facecolor=colour if picked else "none",
                             alpha=0.22 if highlight else 0.10, edgecolor="none",
                             zorder=2))  # fmt: skip
        ax.add_patch(Polygon(sector.points, closed=True, fill=False, edgecolor=colour,
                             linewidth=2.4 if picked else 1.0, linestyle=(0, (4, 2)),
                             zorder=3))  # fmt: skip
        provinces = ", ".join(sector.properties.get("provinces", []))
        handles.append(Line2D([], [], color=colour, linestyle=(0, (4, 2)), linewidth=2,
                              label=f"{sector.name} ({provinces})"))  # fmt: skip
    for river in area.features_of("river"):
        ax.plot(*_xy(river.points), color=RIVER, linewidth=1.6, zorder=4)
        ax.text(*_label_at(river), river.name, ha="center", va="center", color=RIVER,
                fontsize=MIN_FONT_PT, style="italic", zorder=9)  # fmt: skip
    badge = {"boxstyle": "round,pad=0.15", "facecolor": ROAD, "edgecolor": "none"}
    for road in area.features_of("road"):
        ax.plot(*_xy(road.points), color=ROAD, linewidth=1.3, zorder=5)
        ax.text(*_label_at(road), road.name.replace("Route ", ""), ha="center", va="center",
                fontsize=MIN_FONT_PT, color="white", fontweight="bold", zorder=9,
                bbox=badge)  # fmt: skip
    symbols = {"capital": ("*", 11), "town": ("o", 5), "camp": ("^", 6)}
    for kind, (marker, size) in symbols.items():
        for place in area.features_of(kind):
            (px, py), (lx, ly) = place.points[0], _label_at(place)
            ax.plot(px, py, marker=marker, markersize=size, color=INK, zorder=8,
                    markeredgecolor="white", markeredgewidth=0.6)  # fmt: skip
            ha = "right" if lx < px - 3 else "left" if lx > px + 3 else "center"
            offset = -6 if ha == "right" else 6 if ha == "left" else 0
            note = (marks or {}).get(place.name)
            label = f"{place.name}: {note}" if note else place.name
            ax.annotate(label, (px, py), xytext=(offset, (ly - py) / 3), textcoords="offset points",
                        ha=ha, va="center", fontweight="bold" if note else "normal",
                        **text)  # fmt: skip
    handles += [
        Line2D([], [], marker="*", markersize=10, color=INK, linestyle="none", label="Capital"),
        Line2D([], [], marker="o", markersize=5, color=INK, linestyle="none", label="Town"),
        Line2D([], [], marker="^", markersize=6, color=INK, linestyle="none", label="Refugee camp"),
        Line2D([], [], color=ROAD, linewidth=1.3, label="Main road"),
        Line2D([], [], color=RIVER, linewidth=1.6, label="River"),
        Patch(facecolor=LAND["host"], edgecolor="#555555", label="Host country"),
    ]
    ax.plot([x1 - 130, x1 - 30], [y0 + 18, y0 + 18], color=INK, linewidth=2, zorder=8)
    ax.text(x1 - 80, y0 + 26, "100 km", ha="center", va="bottom", **text)
    ax.text(x0 + 8, y0 + 8, "Fictional: invented names", ha="left", va="bottom",
            style="italic", **text)  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=MIN_FONT_PT,
               frameon=False, handlelength=2.2, columnspacing=1.0)  # fmt: skip
    return fig


def _rows(area: sc.Scenario) -> list[tuple[sc.Unit, int]]:
    """Every unit with its depth, each under the unit it answers to (depth first)."""
    rows: list[tuple[sc.Unit, int]] = []

    def visit(parent: str | None, depth: int) -> None:
        for unit in area.children(parent):
            rows.append((unit, depth))
            visit(unit.id, depth + 1)

    visit(None, 0)
    return rows


def structure_chart(source: sc.Scenario | None = None) -> Figure:
    """The mission and force structure: one row per unit, indented under the unit it
    answers to; the link's kind is written on it (solid: authority; dashed:
    coordination; dotted: support), and each box is edged in its organisation's colour."""
    area = source or sc.scenario()
    rows = _rows(area)
    row_in = 0.30
    fig = Figure(figsize=(WIDTH_IN, row_in * len(rows) + 0.2), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 100)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.axis("off")
    indent = 7.0
    where: dict[str, tuple[float, int]] = {}
    for y, (unit, depth) in enumerate(rows):
        x = 1 + depth * indent
        where[unit.id] = (x, y)
        colour = ORGANISATION_COLOURS.get(unit.organisation, "#555555")
        ax.text(x + 0.8, y, unit.label, ha="left", va="center", fontsize=MIN_FONT_PT, color=INK,
                zorder=3, bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                                "edgecolor": colour, "linewidth": 1.4})  # fmt: skip
        if unit.parent in where:
            px, py = where[unit.parent]
            style, word = RELATION_STYLE[unit.relation or "command"]
            elbow_x = px + 2.2
            ax.plot([elbow_x, elbow_x, x + 0.6], [py + 0.32, y, y], color="#555555",
                    linestyle=style, linewidth=1.1, zorder=1)  # fmt: skip
            if unit.relation in ("opcon", "coordination", "support"):
                ax.text(99, y, word, ha="right", va="center", fontsize=MIN_FONT_PT,
                        color="#555555", style="italic")  # fmt: skip
    return fig
