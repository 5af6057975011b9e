"""A figure's change since the previous snapshot, as an arrow and a number, and its weeks as a
sparkline with the weeks without figures left as gaps."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content


def delta(
    current: float | None, previous: float | None, *, higher_is_better: bool = True
) -> Content:
    """ "↑3" (better, green), "↓36" (worse, red), "→" (same); empty without both figures."""
    if current is None or previous is None:
        return Content("")
    change = current - previous
    if abs(change) < 0.5:
        return Content.styled("→", "dim")
    better = (change > 0) == higher_is_better
    arrow = "↑" if change > 0 else "↓"
    return Content.styled(f"{arrow}{abs(change):.0f}", "$success" if better else "bold $error")


def sparkline_content(values: Sequence[float | None], style: str = "") -> Content:
    """A figure's weeks as a sparkline (`domain.trends.sparkline`), the gaps dimmed."""
    # The trends' rules are imported with the first sparkline: the portfolio needs only
    # `delta` for its first frame.
    from opstui.domain.trends import GAP_MARK, sparkline

    marks = sparkline(values)
    parts: list[Content] = []
    for mark in marks:
        if mark == GAP_MARK:
            parts.append(Content.styled(mark, "dim"))
        else:
            parts.append(Content.styled(mark, style) if style else Content(mark))
    return Content("").join(parts)
