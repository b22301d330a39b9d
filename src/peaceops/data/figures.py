"""Figures for the book, drawn from the course's tables in ``data/`` at build time.

Each figure function returns a matplotlib Figure (no pyplot state, so a page shows it
once); :func:`render` turns it into what a page's code cell shows: an SVG (sharp at any
width, text drawn as paths so no font is fetched) with a PNG beside it for a widget or a
builder that cannot show SVG. Every figure is :data:`lanes.WIDTH_IN` inches wide with no
text under :data:`lanes.MIN_FONT_PT`, so it stays legible on a phone (see ``lanes``), and
no title: the page's caption names it. The timelines are lane charts: one row per
operation, its label beside its own bar, so no two labels can overlap.
"""

from __future__ import annotations

import io
import re
from datetime import date

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from peaceops import data
from peaceops.data.lanes import MIN_FONT_PT, WIDTH_IN, Lane, draw_lanes, lane_figure, place_labels

matplotlib.use("Agg")

#: One colour per organisation, shared by every figure (each at least 3:1 against white).
COLOURS = {
    "UN": "#1f77b4",
    "NATO": "#d62728",
    "EU": "#2ca02c",
    "AU": "#d95f02",
    "ECOWAS": "#8c564b",
    "SADC": "#c2419b",
    "EAC": "#868600",
    "CSTO": "#7f7f7f",
    "SCO": "#138496",
    "PIF": "#9467bd",
    "OAS": "#4f7cac",
    "AD-HOC": "#555555",
}
#: How a lane chart names each lead organisation in a heading.
LEAD_NAMES = {
    "AU": "African Union (AU)",
    "EU": "European Union (EU)",
    "OAS": "Organization of American States (OAS)",
    "PIF": "Pacific Islands Forum (PIF)",
    "AD-HOC": "Ad hoc coalitions",
}
TODAY = pd.Timestamp(date.today())


def _span(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    stop = data.latest(end) if end else TODAY
    return data.earliest(start), stop


def operations_timeline(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """One bar per operation, grouped under its lead organisation, groups in order of
    their first operation, each bar labelled with the operation's id."""
    ops = (tables or data.load_all())["operations"].copy()
    ops["first"] = ops["start"].map(data.earliest)
    ops["group_first"] = ops.groupby("lead")["first"].transform("min")
    ops = ops.sort_values(["group_first", "lead", "first"]).reset_index(drop=True)
    lanes = []
    for lead, rows in ops.groupby("lead", sort=False):
        lanes.append(Lane(LEAD_NAMES.get(lead, lead)))
        for _, row in rows.iterrows():
            begin, stop = _span(row["start"], row["end"])
            lanes.append(Lane(row["id"], begin, stop, COLOURS.get(lead, "#333333")))
    fig, ax = lane_figure(lanes, pd.Timestamp("1960-01-01"), TODAY + pd.Timedelta(days=365), 10)
    labels = draw_lanes(ax, lanes, min_days=120)
    place_labels(fig, ax, labels)
    return fig


def member_counts(memberships: pd.DataFrame, organisation: str) -> pd.Series:
    """Members of an organisation at the end of each year since its first member joined."""
    rows = memberships[memberships["organisation"] == organisation]
    first = min(data.earliest(d) for d in rows["joined"] if d)
    years = range(first.year, TODAY.year + 1)
    counts = [
        len(data.current_members(memberships, organisation, f"{year}-12-31")) for year in years
    ]
    return pd.Series(counts, index=list(years), name=organisation)


def membership_growth(
    tables: dict[str, pd.DataFrame] | None = None,
    organisations: tuple[str, ...] = ("NATO", "AU", "SCO"),
) -> Figure:
    """A step line of each organisation's member count at the end of each year, its first
    count under its start and its name and latest count at its end (no legend to match
    colours against)."""
    memberships = (tables or data.load_all())["memberships"]
    fig = Figure(figsize=(WIDTH_IN, 3.2), layout="constrained")
    ax = fig.add_subplot()
    top = 0
    for organisation in organisations:
        counts = member_counts(memberships, organisation)
        ax.step(counts.index, counts.values, where="post", color=COLOURS[organisation],
                linewidth=2)  # fmt: skip
        ax.annotate(f"{organisation} {counts.iloc[-1]}", (counts.index[-1], counts.iloc[-1]),
                    textcoords="offset points", xytext=(0, 3), ha="right", va="bottom",
                    fontsize=MIN_FONT_PT, fontweight="bold", color="#222222")  # fmt: skip
        ax.annotate(str(counts.iloc[0]), (counts.index[0], counts.iloc[0]),
                    textcoords="offset points", xytext=(0, -3), ha="left", va="top",
                    fontsize=MIN_FONT_PT, color="#222222")  # fmt: skip
        top = max(top, counts.max())
    ax.set_xlabel("Year (members at the end of each year)", fontsize=MIN_FONT_PT)
    ax.set_ylabel("Member states", fontsize=MIN_FONT_PT)
    ax.tick_params(labelsize=MIN_FONT_PT)
    ax.set_ylim(0, top * 1.15)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def handover_chains(tables: dict[str, pd.DataFrame] | None = None) -> list[list[str]]:
    """Chains of hand-overs between operations (ids in order), from the tables' links."""
    ops = (tables or data.load_all())["operations"]
    following = {row["id"]: row["successor"] for _, row in ops.iterrows() if row["successor"]}
    for _, row in ops.iterrows():
        if row["predecessor"] and row["predecessor"] not in following:
            following[row["predecessor"]] = row["id"]
    has_predecessor = set(following.values())
    chains = []
    for head in following:
        if head in has_predecessor:
            continue
        chain = [head]
        while chain[-1] in following and following[chain[-1]] not in chain:
            chain.append(following[chain[-1]])
        chains.append(chain)
    return chains


def _place(tables: dict[str, pd.DataFrame], op_id: str) -> str:
    """Where an operation of ``operations.csv`` served ('' for a UN operation)."""
    ops = tables["operations"]
    found = ops.loc[ops["id"] == op_id, "host_country"]
    return found.iloc[0].replace("; ", " and ") if len(found) else ""


def handover_figure(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """Each hand-over chain under the name of its country, one row per operation in the
    order of the chain: a bar from its start to its end, coloured by who led it, labelled
    with its id and leader; a grey tick marks each hand-over to the next row."""
    tables = tables or data.load_all()
    ops = tables["operations"].set_index("id")
    un = tables["un_operations"].set_index("id")

    def describe(op_id: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
        row, lead = (ops.loc[op_id], ops.at[op_id, "lead"]) if op_id in ops.index else (
            un.loc[op_id], "UN")  # fmt: skip
        return (*_span(row["start"], row["end"]), lead)

    chains = sorted(handover_chains(tables), key=lambda c: min(describe(i)[0] for i in c))
    lanes, handovers = [], []
    for chain in chains:
        place = next(p for p in (_place(tables, i) for i in chain) if p)
        lanes.append(Lane(place))
        for op_id in chain:
            begin, stop, lead = describe(op_id)
            leader = "coalition" if lead == "AD-HOC" else lead
            if op_id != chain[-1]:
                handovers.append((len(lanes), stop))
            lanes.append(Lane(f"{op_id} ({leader})", begin, stop, COLOURS.get(lead, "#333333")))
    fig, ax = lane_figure(lanes, pd.Timestamp("1990-01-01"), TODAY + pd.Timedelta(days=365), 10)
    labels = draw_lanes(ax, lanes, min_days=60)
    for y, when in handovers:
        ax.vlines(when, y + 0.31, y + 0.69, color="#666666", linewidth=1.2)
    place_labels(fig, ax, labels)
    return fig


class Rendered:
    """A figure as a page shows it: SVG first (text as paths, so no font is fetched, and
    reproducible bytes), PNG for a viewer that cannot show SVG and for a widget's image."""

    def __init__(self, fig: Figure, dpi: int = 150) -> None:
        with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "peaceops"}):
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        self.svg = re.sub(r"\n\s+", "\n", buffer.getvalue())  # indentation: a sixth of it
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=dpi, metadata={"Software": None})
        self.png = png.getvalue()

    @property
    def data(self) -> bytes:
        """The PNG bytes (what an ipywidgets ``Image`` shows)."""
        return self.png

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_png_(self) -> bytes:
        return self.png


def render(fig: Figure) -> Rendered:
    """Render a figure for a notebook cell's output (no pyplot, so it shows once)."""
    return Rendered(fig)
