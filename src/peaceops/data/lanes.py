"""Lane charts for the book's figures: one row per bar, each label beside its own bar.

A lane chart is a list of :class:`Lane` rows drawn top to bottom on one axes: a heading
row (text only, e.g. an organisation or a country) or a bar from a start to an end date
with its label beside it. Every label has a row of its own, so two labels never share a
line; :func:`place_labels` then puts each label after its bar, or before it when it would
run past the axes, so none is cut off. :func:`drawn_texts` and :func:`overlaps` measure
any figure's text as drawn (the tests use them to prove that no two labels overlap).

Sizes are chosen for a phone: a figure :data:`WIDTH_IN` inches wide is shown at most
:data:`WIDTH_IN` x 96 CSS px wide, and a 375 px phone shows it about 327 px wide (the
book's content width), so text of :data:`MIN_FONT_PT` renders at about 9.6 CSS px there
and 12.7 CSS px on a desktop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

matplotlib.use("Agg")

#: Width of every figure, in inches (432 CSS px at its natural size).
WIDTH_IN = 4.5
#: The smallest font in any figure, in points.
MIN_FONT_PT = 9.5
#: Height of one lane, in inches (a 9.5 pt label is about 0.15 in tall).
ROW_IN = 0.19
#: Space between a bar and its label, in points.
GAP_PT = 3


@dataclass(frozen=True)
class Lane:
    """One row of a lane chart: a heading (``start`` is None) or a labelled bar."""

    label: str
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    colour: str = "#333333"

    @property
    def heading(self) -> bool:
        return self.start is None


@dataclass
class Label:
    """A bar's label as drawn, and where its bar starts (to move the label before it)."""

    text: Text
    bar_start: float


def lane_figure(lanes: Sequence[Lane], first: pd.Timestamp, last: pd.Timestamp,
                year_step: int) -> tuple[Figure, Axes]:  # fmt: skip
    """A figure with one row per lane between two dates, years marked top and bottom."""
    height = ROW_IN * (len(lanes) + 1) + 0.9
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_xlim(mdates.date2num(first), mdates.date2num(last))
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    ax.set_yticks([])
    ax.xaxis.set_major_locator(mdates.YearLocator(year_step))
    ax.xaxis.set_minor_locator(mdates.YearLocator(max(1, year_step // 2)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labelsize=MIN_FONT_PT, top=True, labeltop=True)
    ax.grid(axis="x", which="both", color="#e4e4e4", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("left", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def draw_lanes(ax: Axes, lanes: Sequence[Lane], min_days: float) -> list[Label]:
    """Draw each lane on its own row; return the bar labels, for :func:`place_labels`."""
    labels = []
    for y, lane in enumerate(lanes):
        if lane.heading:
            heading = ax.text(0, y, lane.label, transform=ax.get_yaxis_transform(),
                              va="center", ha="left", fontsize=MIN_FONT_PT, fontweight="bold",
                              color="#222222")  # fmt: skip
            heading.set_in_layout(False)
            continue
        begin = mdates.date2num(lane.start)
        width = max(mdates.date2num(lane.end) - begin, min_days)
        ax.barh(y, width, left=begin, height=0.62, color=lane.colour, linewidth=0)
        text = ax.annotate(lane.label, (begin + width, y), xytext=(GAP_PT, 0),
                           textcoords="offset points", va="center", ha="left",
                           fontsize=MIN_FONT_PT, color="#222222")  # fmt: skip
        text.set_in_layout(False)  # labels stay inside the axes: they must not shrink it
        labels.append(Label(text, begin))
    return labels


def place_labels(fig: Figure, ax: Axes, labels: Iterable[Label]) -> None:
    """Keep each label after its bar if it fits inside the axes, else put it before the
    bar if it fits there, else on whichever side has more room."""
    fig.canvas.draw()  # settle the constrained layout before measuring
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    inside = ax.get_window_extent(renderer)
    gap = GAP_PT * fig.dpi / 72
    for label in labels:
        box = label.text.get_window_extent(renderer)
        room_after = inside.x1 - box.x1
        start_px = ax.transData.transform((label.bar_start, 0))[0]
        room_before = (start_px - gap - box.width) - inside.x0
        if room_after >= 0 or room_after >= room_before:
            continue
        label.text.xy = (label.bar_start, label.text.xy[1])
        label.text.set_position((-GAP_PT, 0))
        label.text.set_horizontalalignment("right")


def drawn_texts(fig: Figure) -> list[tuple[str, Bbox, float]]:
    """(text, box in display pixels, font size in points) of every text a draw paints."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    painted: dict[int, Text] = {}

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):  # as RendererAgg.draw_text
        if mtext is not None and s.strip():
            painted[id(mtext)] = mtext
        return type(renderer).draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)

    renderer.draw_text = record
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
    return [
        (t.get_text(), t.get_window_extent(renderer), t.get_fontsize()) for t in painted.values()
    ]


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts whose drawn boxes intersect (an empty list: all labels readable)."""
    boxes = drawn_texts(fig)
    pairs = []
    for i, (a, box_a, _) in enumerate(boxes):
        for b, box_b, _ in boxes[i + 1 :]:
            width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if width > 0.5 and height > 0.5:
                pairs.append((a, b))
    return pairs
