"""Data exploration: filter a course table with widgets, see the rows and a chart, answer."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from peaceops import data
from peaceops.bank import Question
from peaceops.data import figures
from peaceops.exercises.widgets.feedback import Exercise, InvalidAnswer

ALL = "(all)"
#: For each table: the column filtered by a drop-down, the date column, the group column.
VIEWS = {
    "operations": ("lead", "start", "kind"),
    "un_operations": ("region", "start", "region"),
    "memberships": ("organisation", "joined", "organisation"),
}


def matching_rows(
    question: Question, tables: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """The rows of the question's table that its conditions select (the answer's basis)."""
    return data.select_rows(tables or data.load_all(), question.table, question.where,
                            question.years)  # fmt: skip


class DataExercise(Exercise):
    """A filterable view of a course table, then a question answered by counting rows."""

    def build_inputs(self) -> w.Widget:
        self.tables = data.load_all()
        self.frame = self.tables[self.question.table]
        filter_column, date_column, _ = VIEWS[self.question.table]
        years = self.frame[date_column].str[:4].astype(int)
        choices = [ALL, *sorted(self.frame[filter_column].unique())]
        self.category = w.Dropdown(options=choices, value=ALL, description=filter_column)
        self.years = w.IntRangeSlider(
            value=(int(years.min()), int(years.max())), min=int(years.min()),
            max=int(years.max()), description=f"{date_column} year", continuous_update=False,
        )  # fmt: skip
        self.summary = w.HTML()
        self.table_view = w.HTML(layout={"max_height": "320px", "overflow": "auto"})
        self.chart = w.Image(format="png", layout={"max_width": "560px"})
        self.view = w.VBox([self.summary, self.table_view, self.chart])
        self.category.observe(lambda _: self.refresh(), "value")
        self.years.observe(lambda _: self.refresh(), "value")
        self.entry = w.Text(placeholder="a number", layout={"width": "160px"})
        self.refresh()
        controls = w.HBox([self.category, self.years])
        return w.VBox([controls, self.view, w.HTML("<b>Your answer:</b>"), self.entry])

    def selected(self) -> pd.DataFrame:
        """The rows the learner's filters currently select."""
        filter_column, date_column, _ = VIEWS[self.question.table]
        frame = self.frame
        if self.category.value != ALL:
            frame = frame[frame[filter_column] == self.category.value]
        year = frame[date_column].str[:4].astype(int)
        first, last = self.years.value
        return frame[(year >= first) & (year <= last)]

    def refresh(self) -> None:
        """Redraw the row count, the table and the chart for the current filters."""
        rows = self.selected()
        _, _, group = VIEWS[self.question.table]
        shown = [c for c in self.frame.columns if c not in ("source", "note")]
        self.summary.value = f"<p><b>{len(rows)} rows selected.</b> The first 12:</p>"
        self.table_view.value = rows[shown].head(12).to_html(index=False, border=0)
        counts = rows[group].value_counts().sort_index()
        fig = Figure(figsize=(6, 2.4), layout="constrained")
        ax = fig.add_subplot()
        ax.bar(counts.index.astype(str), counts.values, color="#1f77b4")
        ax.set_ylabel("rows")
        ax.set_title(f"Selected rows by {group}", fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        self.chart.value = figures.render(fig).data

    def response(self) -> float:
        text = self.entry.value.strip()
        if not text:
            raise InvalidAnswer("use the filters above, then type the number of rows.")
        try:
            return float(text.replace(",", ""))
        except ValueError:
            raise InvalidAnswer(f"'{text}' is not a number: type digits only, e.g. 7.") from None

    def correct_count(self) -> int:
        """The answer, computed from the table itself (the data is the answer key)."""
        return len(matching_rows(self.question, self.tables))

    def verdict(self, response: float) -> tuple[bool, str]:
        right = self.correct_count()
        if response == right:
            return True, ""
        return False, ("Too high." if response > right else "Too low.") + (
            " Check both filters against the question."
        )

    def answer_text(self) -> str:
        conditions = ", ".join(f"{k} = {v}" for k, v in self.question.where.items())
        span = f", {self.question.years[0]}-{self.question.years[1]}" if self.question.years else ""
        return f"{self.correct_count()} ({conditions}{span})"

    def clear_inputs(self) -> None:
        self.entry.value = ""
        self.category.value = ALL
