"""A figure's change since the previous snapshot, as an arrow and a number."""

from __future__ import annotations

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
