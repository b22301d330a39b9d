"""Figures for the book, drawn from the course's tables in ``data/`` at build time.

Each function returns a matplotlib Figure (no pyplot state, so a page shows it once).
"""

from __future__ import annotations

import io
from datetime import date

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from peaceops import data

matplotlib.use("Agg")

#: One colour per organisation, shared by every figure.
COLOURS = {
    "UN": "#1f77b4",
    "NATO": "#d62728",
    "EU": "#2ca02c",
    "AU": "#ff7f0e",
    "ECOWAS": "#8c564b",
    "SADC": "#e377c2",
    "EAC": "#bcbd22",
    "CSTO": "#7f7f7f",
    "SCO": "#17becf",
    "PIF": "#9467bd",
    "OAS": "#aec7e8",
    "AD-HOC": "#555555",
}
TODAY = pd.Timestamp(date.today())


def _span(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    stop = data.latest(end) if end else TODAY
    return data.earliest(start), stop


def operations_timeline(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """One bar per operation led by an alliance, regional organisation or coalition."""
    ops = (tables or data.load_all())["operations"].copy()
    ops["first"] = ops["start"].map(data.earliest)
    ops = ops.sort_values(["lead", "first"], ascending=[True, True]).reset_index(drop=True)
    fig = Figure(figsize=(9, max(4, 0.19 * len(ops) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    for y, row in ops.iterrows():
        begin, stop = _span(row["start"], row["end"])
        width = max((stop - begin).days, 60)
        ax.barh(y, width, left=begin, height=0.7, color=COLOURS.get(row["lead"], "#333"))
        ax.text(begin, y, f" {row['id']}", va="center", ha="right", fontsize=6.5)
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("1963-01-01"), TODAY + pd.Timedelta(days=400))
    ax.set_xlabel("Year")
    leads = list(dict.fromkeys(ops["lead"]))
    handles = [matplotlib.patches.Patch(color=COLOURS.get(k, "#333"), label=k) for k in leads]
    ax.legend(handles=handles, loc="lower left", fontsize=7, ncols=2, frameon=False)
    ax.set_title("Operations led by alliances, regional organisations and coalitions")
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
    """A step line of each organisation's member count at the end of each year."""
    memberships = (tables or data.load_all())["memberships"]
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.add_subplot()
    for organisation in organisations:
        counts = member_counts(memberships, organisation)
        ax.step(counts.index, counts.values, where="post", label=organisation,
                color=COLOURS[organisation], linewidth=2)  # fmt: skip
        ax.annotate(str(counts.iloc[-1]), (counts.index[-1], counts.iloc[-1]),
                    textcoords="offset points", xytext=(4, 0), fontsize=8, va="center")  # fmt: skip
    ax.set_xlabel("Year (members at the end of each year)")
    ax.set_ylabel("Member states")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    ax.set_title("Growth of NATO, African Union and SCO membership")
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


def handover_figure(tables: dict[str, pd.DataFrame] | None = None) -> Figure:
    """Each hand-over chain as a row of operations placed at their start dates."""
    tables = tables or data.load_all()
    ops = tables["operations"].set_index("id")
    un = tables["un_operations"].set_index("id")

    def describe(op_id: str) -> tuple[pd.Timestamp, str]:
        if op_id in ops.index:
            return data.earliest(ops.at[op_id, "start"]), ops.at[op_id, "lead"]
        return data.earliest(un.at[op_id, "start"]), "UN"

    chains = sorted(handover_chains(tables), key=lambda c: describe(c[0])[0])
    fig = Figure(figsize=(9, 0.55 * len(chains) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    for y, chain in enumerate(chains):
        points = [describe(op_id) for op_id in chain]
        ax.plot([p[0] for p in points], [y] * len(points), color="#bbbbbb", zorder=1)
        for op_id, (when, lead) in zip(chain, points, strict=True):
            ax.scatter(when, y, s=60, color=COLOURS.get(lead, "#333"), zorder=2)
            ax.annotate(op_id, (when, y), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=7)  # fmt: skip
    ax.set_yticks([])
    ax.set_ylim(len(chains) - 0.4, -0.8)
    ax.set_xlabel("Start of each operation")
    leads = ["UN"] + sorted({describe(i)[1] for c in chains for i in c} - {"UN"})
    handles = [
        matplotlib.lines.Line2D([], [], marker="o", linestyle="", color=COLOURS.get(k, "#333"),
                                label=k)
        for k in leads
    ]  # fmt: skip
    ax.legend(handles=handles, loc="lower right", fontsize=7, ncols=3, frameon=False)
    ax.set_title("Hand-overs between regional, coalition and UN operations")
    return fig


class PNG:
    """A figure rendered to PNG, shown as an image by Jupyter and by the book's pages."""

    def __init__(self, fig: Figure, dpi: int = 150) -> None:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        self.data = buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.data


def render(fig: Figure) -> PNG:
    """Render a figure for a notebook cell's output (no pyplot, so it shows once)."""
    return PNG(fig)
