"""A trend chart: a figure over the weeks drawn by textual-plotext, with a legend of its lines
(each with its sparkline and its last figure). A week without figures is a gap in the line,
never a zero: each run of weeks with figures is drawn on its own."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from opstui.domain.trends import Chart, Series
from opstui.widgets.privacy import MASKED_MONEY, shown_line
from opstui.widgets.trend import sparkline_content

LABEL_WIDTH = 28
"""The legend's column of line names (companies, phases …); longer names end in "…"."""


def week_ticks(weeks: Sequence[str], most: int = 7) -> tuple[list[float], list[str]]:
    """The x axis: a tick per week (every other one or fewer when they do not fit), "W28"."""
    step = max(1, -(-len(weeks) // most))
    indexes = list(range(0, len(weeks), step))
    return [float(i) for i in indexes], [weeks[i].partition("-")[2] for i in indexes]


def count_ticks(values: Sequence[float | None], most: int = 5) -> list[float] | None:
    """Whole-number ticks for the y axis of counts (plotext would label them 0.17, 0.33 …);
    None when the values are not all whole numbers."""
    known = [v for v in values if v is not None]
    if not known or any(not float(v).is_integer() for v in known):
        return None
    low, high = int(min(known)), int(max(known))
    step = max(1, -(-(high - low) // most))
    return [float(tick) for tick in range(low, high + step, step)]


def runs(values: Sequence[float | None]) -> list[tuple[list[float], list[float]]]:
    """The runs of consecutive weeks with a figure, as (x, y) lists: a gap ends a run."""
    found: list[tuple[list[float], list[float]]] = []
    current: tuple[list[float], list[float]] | None = None
    for index, value in enumerate(values):
        if value is None:
            current = None
            continue
        if current is None:
            current = ([], [])
            found.append(current)
        current[0].append(float(index))
        current[1].append(value)
    return found


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def value_words(chart: Chart, value: float | None, *, private: bool = False) -> str:
    if value is None:
        return "—"
    if chart.money:
        return MASKED_MONEY if private else f"${value:,.0f}"
    text = f"{value:,.{chart.decimals}f}"
    return f"{text}%" if chart.unit == "%" else text


class TrendChart(Vertical):
    """One `Chart` over `weeks`: title, plot and legend."""

    DEFAULT_CSS = """
    TrendChart { height: auto; margin: 0 0 1 0; }
    TrendChart > .trend-title { height: 1; text-style: bold; }
    TrendChart > PlotextPlot { height: 10; }
    TrendChart > .trend-legend { height: auto; }
    """

    def __init__(
        self, chart: Chart, weeks: Sequence[str], *, private: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.chart = chart
        self.weeks = tuple(weeks)
        self.private = private

    def compose(self) -> ComposeResult:
        chart = self.chart
        unit = f" ({chart.unit})" if chart.unit and chart.unit not in ("%", "$") else ""
        title = Content.styled(shown_line(chart.title + unit), "bold")
        if chart.target:
            title += Content.styled(f"   target: {shown_line(chart.target)}", "dim")
        yield Static(title, classes="trend-title")
        yield PlotextPlot()
        yield Static(classes="trend-legend")

    def colours(self) -> list[tuple[int, int, int]]:
        theme = self.app.current_theme
        # Six that differ in every theme (accent and warning are one colour in some).
        found = [
            theme.primary,
            theme.warning,
            theme.success,
            theme.error,
            theme.foreground,
            theme.accent,
        ]
        return [Color.parse(colour or "white").rgb for colour in found]

    def on_mount(self) -> None:
        chart = self.chart
        plot = self.query_one(PlotextPlot).plt
        plot.xlim(-0.5, len(self.weeks) - 0.5)
        plot.xticks(*week_ticks(self.weeks))
        hidden = chart.money and self.private
        ticks = count_ticks([v for line in chart.lines for v in line.values])
        if ticks is not None and not hidden:
            plot.yticks(ticks, [f"{tick:,.0f}" for tick in ticks])
        colours = self.colours()
        # Only our own text reaches the plot (week names, numbers): its output is read back
        # as ANSI, so no data may pass through it.
        legend: list[Content] = []
        for number, line in enumerate(chart.lines):
            colour = colours[number % len(colours)]
            if not hidden:
                self._draw(plot, line, colour)
            legend.append(self._legend_line(line, Color(*colour).hex))
        if hidden:
            legend.insert(0, Content.styled("Hidden while privacy is on (P)", "dim italic"))
        self.query_one(".trend-legend", Static).update(Content("\n").join(legend))

    @staticmethod
    def _draw(plot: Plot, line: Series, colour: tuple[int, int, int]) -> None:
        for xs, ys in runs(line.values):
            if len(xs) == 1:
                plot.scatter(xs, ys, marker="●", color=colour)
            else:
                plot.plot(xs, ys, marker="braille", color=colour)

    def _legend_line(self, line: Series, colour: str) -> Content:
        chart = self.chart
        known = [(i, v) for i, v in enumerate(line.values) if v is not None]
        hidden = chart.money and self.private
        if known:
            index, value = known[-1]
            last = f"{value_words(chart, value, private=self.private)} in {self.weeks[index]}"
        else:
            last = "no figures"
        over = sum(1 for i in range(len(line.values)) if line.is_over(i))
        return Content.assemble(
            Content.styled("━━ ", colour),
            Content(f"{_fit(shown_line(line.label), LABEL_WIDTH):<{LABEL_WIDTH}} "),
            Content(MASKED_MONEY.ljust(len(line.values)))
            if hidden
            else sparkline_content(line.values, colour),
            Content(f"  {last}"),
            Content.styled(f"  over target {over} week{'s' * (over != 1)}", "bold $error")
            if over
            else Content(""),
        )
