"""The monthly deep dive and the quarterly reviews as GitHub-flavoured Markdown.

Each follows its seed agenda: a section per agenda item, its trend charts drawn as text
(a sparkline per figure, and Unicode bars for the section's headline figure, so they read
in any Markdown viewer) and the figures per week in a table. A week without figures is a
gap: `·` in a sparkline, "—" in a table, "no figures" beside a bar. The document depends on
the `PeriodReview` alone (same data, same bytes); `redact` masks every money figure and
customer name (`export.redact`).
"""

from __future__ import annotations

from opstui.domain.trends import (
    GAP_MARK,
    Chart,
    PeriodReview,
    ReviewSection,
    WeekPoint,
    bar,
    sparkline,
)
from opstui.domain.weeks import week_days
from opstui.export.escape import heading, inline, table
from opstui.export.numbers import MISSING, day_month, full_date, number
from opstui.export.redact import MASKED_MONEY, Redactor

BAR_WIDTH = 24
"""The longest bar of a headline chart, in character cells."""


def render_review(review: PeriodReview, *, redact: bool = False) -> str:
    """The review document of a month, a quarter or the trends' weeks."""
    redactor = Redactor(review.customer_names(), active=redact)
    blocks = [
        *_title(review),
        *_weeks(review),
    ]
    for section in review.sections:
        blocks.extend(_section(review, section, redactor))
    return "\n\n".join(blocks) + "\n"


def render_month(review: PeriodReview, *, redact: bool = False) -> str:
    """The monthly deep dive (first Monday of the month)."""
    if review.period.kind != "month":
        raise ValueError("render_month needs the review of a month")
    return render_review(review, redact=redact)


def render_quarter(review: PeriodReview, *, redact: bool = False) -> str:
    """The quarterly strategic review and roadmap review."""
    if review.period.kind != "quarter":
        raise ValueError("render_quarter needs the review of a quarter")
    return render_review(review, redact=redact)


def _title(review: PeriodReview) -> list[str]:
    first, _ = week_days(review.weeks[0])
    _, last = week_days(review.weeks[-1])
    kind = review.period.kind
    rule = (
        f"the ISO weeks whose Thursday falls in {review.period.label}"
        if kind in ("month", "quarter")
        else f"the {len(review.weeks)} weeks up to {review.weeks[-1]}"
    )
    gaps = review.gaps
    lines = [
        heading(1, review.title),
        f"{inline(review.weeks[0])} – {inline(review.weeks[-1])} "
        f"(Monday {day_month(first, last.year)} – Sunday {full_date(last)}): {rule}, "
        f"{len(review.weeks)} weeks.",
    ]
    if gaps:
        noun = "week has" if len(gaps) == 1 else "weeks have"
        lines.append(
            f"{len(gaps)} {noun} no figures (never frozen): a gap, shown as {GAP_MARK} in the "
            f"trends and {MISSING} in the tables, never as zero."
        )
    return [lines[0], " ".join(lines[1:])]


def _figures_word(point: WeekPoint | None, year: int) -> str:
    if point is None:
        return "none (not frozen)"
    if point.live:
        return f"live, as of {day_month(point.taken_on, year)}"
    return f"frozen (as of {day_month(point.taken_on, year)})"


def _weeks(review: PeriodReview) -> list[str]:
    rows = []
    for week, point in zip(review.weeks, review.points, strict=True):
        monday, sunday = week_days(week)
        rows.append(
            [
                inline(week),
                f"{day_month(monday, sunday.year)} – {day_month(sunday, sunday.year)}",
                _figures_word(point, sunday.year),
            ]
        )
    return [heading(2, "Weeks"), table(["Week", "Days", "Figures"], rows)]


def _value(chart: Chart, value: float | None, redactor: Redactor) -> str:
    if value is None:
        return MISSING
    if chart.money:
        return inline(redactor.money(value))
    shown = number(round(value, chart.decimals))
    if chart.unit == "%":
        return f"{shown}%"
    if chart.key == "nps" and value > 0:
        return f"+{shown}"
    return shown


def _chart_title(chart: Chart) -> str:
    unit = f" ({chart.unit})" if chart.unit and chart.unit not in ("%", "$") else ""
    return f"{chart.title}{unit}"


def _bars(chart: Chart, weeks: tuple[str, ...], redactor: Redactor) -> list[str]:
    """The chart's first line as bars, one week a line, in a fenced block of the exporter's
    own text (week names, bars, numbers: nothing from the data); none for money."""
    line = chart.lines[0] if chart.lines else None
    if line is None or chart.money or all(v is None for v in line.values):
        return []
    high = max((v for v in line.values if v is not None), default=0.0)
    rows = []
    for week, value in zip(weeks, line.values, strict=True):
        if value is None:
            rows.append(f"{week}  no figures")
        else:
            shown = bar(value, high, BAR_WIDTH).ljust(BAR_WIDTH)
            rows.append(f"{week}  {shown}  {_value(chart, value, redactor)}")
    return [f"{line.label}:", "", "```text", *rows, "```"]


def _chart(chart: Chart, weeks: tuple[str, ...], redactor: Redactor, *, bars: bool) -> list[str]:
    blocks = [heading(3, redactor.text(_chart_title(chart)))]
    if chart.target:
        marked = any(any(line.over_target) for line in chart.lines)
        blocks.append(
            f"Target: {inline(chart.target)}" + ("; ! marks a week over it." if marked else ".")
        )
    if bars:
        drawn = _bars(chart, weeks, redactor)
        if drawn:
            blocks.append("\n".join(drawn))
    rows = []
    for line in chart.lines:
        masked = chart.money and redactor.active
        rows.append(
            [
                inline(redactor.text(line.label)),
                inline(MASKED_MONEY) if masked else sparkline(line.values),
                *(
                    _value(chart, value, redactor) + ("!" if line.is_over(index) else "")
                    for index, value in enumerate(line.values)
                ),
            ]
        )
    blocks.append(table(["Figure", "Trend", *(inline(week) for week in weeks)], rows))
    return blocks


def _section(review: PeriodReview, section: ReviewSection, redactor: Redactor) -> list[str]:
    blocks = [heading(2, section.title)]
    if section.agenda:
        blocks.append("Agenda: " + "; ".join(inline(item) for item in section.agenda) + ".")
    charts = [chart for chart in section.charts if chart.lines]
    if not charts:
        blocks.append("No figures: the workspace has none of these yet.")
        return blocks
    for index, chart in enumerate(charts):
        # The section's headline figure is also drawn as bars.
        blocks.extend(_chart(chart, review.weeks, redactor, bars=index == 0))
    return blocks
