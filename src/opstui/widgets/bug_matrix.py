"""The company × priority matrix of open bugs, with targets, rates and trends (the arrow
against last week and the resolution rate's sparkline over the last weeks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content
from textual.widgets import Static

from opstui.domain.bugs import BugMatrix, BugMatrixRow
from opstui.domain.enums import Priority
from opstui.domain.text import clean_line
from opstui.widgets.trend import sparkline_content

_WIDTHS = (14, 4, 4, 4, 4, 9, 10, 8, 8)
"""73 cells with the padding: one line per company on an 80-column terminal."""
_HEADINGS = ("Company", "P0", "P1", "P2", "P3", "Untriaged", "Resolution", "Avg days", "Trend")


def _cell(text: str, width: int, style: str = "", right: bool = True) -> Content:
    text = text[:width]
    padded = text.rjust(width) if right else text.ljust(width)
    return Content.styled(padded, style) if style else Content(padded)


def matrix_row(
    row: BugMatrixRow, rate_history: Mapping[str, Sequence[float | None]] | None = None
) -> Content:
    """One row; its trend cell is the arrow against last week and, with `rate_history`, the
    resolution rate's sparkline over the last weeks (a week without figures is a gap)."""
    rate_history = rate_history or {}
    bold = "bold" if row.is_total else ""
    cells = [_cell(clean_line(row.company), _WIDTHS[0], bold, right=False)]
    for priority, width in zip(Priority, _WIDTHS[1:5], strict=True):
        count = row.counts[priority]
        over = priority in row.over_target
        style = "bold $error reverse" if over else bold
        cells.append(_cell(f"{count}{'!' if over else ''}", width, style))
    cells.append(_cell(str(row.untriaged), _WIDTHS[5], "dim"))
    rate = "—" if row.resolution_rate is None else f"{row.resolution_rate:.0f}%"
    cells.append(_cell(rate, _WIDTHS[6], bold))
    days = "—" if row.avg_resolution_days is None else f"{row.avg_resolution_days:.1f}"
    cells.append(_cell(days, _WIDTHS[7]))
    arrow = row.trend.value if row.trend is not None else " "
    trend_style = {"↑": "$success", "↓": "$error"}.get(arrow, "")
    # The arrow against last week, then the resolution rate over the last weeks.
    history = rate_history.get(row.company, ())
    spark = sparkline_content(history) if history else Content("")
    trend = Content.assemble(Content.styled(arrow, f"bold {trend_style}".strip()), " ", spark)
    width = _WIDTHS[8]
    cells.append(Content(" " * max(0, width - trend.cell_length)) + trend)
    return Content(" ").join(cells)


def matrix_content(matrix: BugMatrix) -> Content:
    """The matrix as lines of text: heading, one row per company, the total row."""
    heading = Content(" ").join(
        _cell(title, width, "bold underline", right=index > 0)
        for index, (title, width) in enumerate(zip(_HEADINGS, _WIDTHS, strict=True))
    )
    history = matrix.rate_history
    lines = [
        heading,
        *(matrix_row(row, history) for row in matrix.rows),
        matrix_row(matrix.total, history),
    ]
    return Content("\n").join(lines)


class BugMatrixView(Static):
    """Shows a `BugMatrix`; cells over target are marked with colour and `!`."""

    DEFAULT_CSS = """
    BugMatrixView { height: auto; padding: 0 1; }
    """

    def show(self, matrix: BugMatrix) -> None:
        self.update(matrix_content(matrix))
