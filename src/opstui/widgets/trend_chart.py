"""A trend chart: a figure over the weeks drawn by textual-plot, with a legend of its lines
(each with its sparkline and its last figure). A week without figures is a gap in the line,
never a zero: each run of weeks with figures is drawn on its own."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static
from textual_plot import AxisFormatter, HiResMode, PlotWidget

from opstui.domain.text import clean_line
from opstui.domain.trends import Chart, Series
from opstui.widgets.trend import sparkline_content

MASK = "$•••"
"""What a money figure shows while privacy is on."""


class WeekAxis(AxisFormatter):
    """The x axis: one tick per week (fewer when they do not fit), labelled "W28"."""

    def __init__(self, weeks: Sequence[str]) -> None:
        self.weeks = tuple(weeks)

    def get_ticks(self, min_: float, max_: float, max_ticks: int = 8) -> list[float]:
        first, last = max(0, int(min_ + 0.999)), min(len(self.weeks) - 1, int(max_))
        if last < first:
            return []
        step = max(1, -(-(last - first + 1) // max_ticks))
        return [float(index) for index in range(first, last + 1, step)]

    def get_labels_for_ticks(self, ticks: Sequence[float]) -> list[str]:
        return [self.weeks[int(tick)].partition("-")[2] for tick in ticks]


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


def value_words(chart: Chart, value: float | None, *, private: bool = False) -> str:
    if value is None:
        return "—"
    if chart.money:
        return MASK if private else f"${value:,.0f}"
    text = f"{value:,.{chart.decimals}f}"
    return f"{text}%" if chart.unit == "%" else text


class TrendChart(Vertical):
    """One `Chart` over `weeks`: title, plot and legend."""

    DEFAULT_CSS = """
    TrendChart { height: auto; margin: 0 0 1 0; }
    TrendChart > .trend-title { height: 1; text-style: bold; }
    TrendChart > PlotWidget { height: 10; }
    /* Axes and ticks in the text colours, readable in every theme (the widget's own
       default, $secondary, is dark blue on the dark theme). */
    TrendChart > PlotWidget > .plot--axis { color: $foreground-muted; }
    TrendChart > PlotWidget:focus > .plot--axis { color: $foreground-muted; }
    TrendChart > PlotWidget > .plot--tick { color: $foreground; text-style: none; }
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
        title = Content.styled(clean_line(chart.title + unit), "bold")
        if chart.target:
            title += Content.styled(f"   target: {clean_line(chart.target)}", "dim")
        yield Static(title, classes="trend-title")
        yield PlotWidget(allow_pan_and_zoom=False)
        yield Static(classes="trend-legend")

    def colours(self) -> list[str]:
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
        return [colour or "white" for colour in found]

    def on_mount(self) -> None:
        chart = self.chart
        plot = self.query_one(PlotWidget)
        plot.margin_top = 1
        plot.margin_bottom = 2
        plot.set_x_formatter(WeekAxis(self.weeks))
        plot.set_xlimits(-0.5, len(self.weeks) - 0.5)
        colours = self.colours()
        legend: list[Content] = []
        hidden = chart.money and self.private
        for number, line in enumerate(chart.lines):
            colour = colours[number % len(colours)]
            if not hidden:
                self._draw(plot, line, colour)
            legend.append(self._legend_line(line, colour))
        if hidden:
            legend.insert(0, Content.styled("Hidden while privacy is on (P)", "dim italic"))
        self.query_one(".trend-legend", Static).update(Content("\n").join(legend))

    @staticmethod
    def _draw(plot: PlotWidget, line: Series, colour: str) -> None:
        for xs, ys in runs(line.values):
            if len(xs) == 1:
                plot.scatter(xs, ys, marker="●", marker_style=colour)
            else:
                plot.plot(xs, ys, line_style=colour, hires_mode=HiResMode.BRAILLE)

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
            Content(f"{clean_line(line.label)[:22]:<22} "),
            Content(MASK.ljust(len(line.values)))
            if hidden
            else sparkline_content(line.values, colour),
            Content(f"  {last}"),
            Content.styled(f"  over target {over} week{'s' * (over != 1)}", "bold $error")
            if over
            else Content(""),
        )
