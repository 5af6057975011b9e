"""WCAG contrast of what the app draws, read from the rendered segments' styles.

A screen row is read widget by widget (`Screen.get_widget_at`, `Widget.render_lines`): each
segment of text comes with the foreground and background it is drawn in. Dim text counts as
its foreground blended halfway into its background, reverse as the two swapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color
from rich.style import Style
from textual.color import Color as TextualColor
from textual.errors import NoWidget
from textual.geometry import Region
from textual.screen import Screen

AA = 4.5
"""WCAG 2 AA: the least contrast ratio for normal text."""


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: TextualColor) -> float:
    return 0.2126 * _channel(color.r) + 0.7152 * _channel(color.g) + 0.0722 * _channel(color.b)


def contrast_ratio(one: TextualColor, other: TextualColor) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True, slots=True)
class Drawn:
    """A run of text as drawn: where, what, in which colours."""

    x: int
    y: int
    text: str
    foreground: TextualColor
    background: TextualColor
    widget: str

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.foreground, self.background)

    def __str__(self) -> str:
        return (
            f"({self.x},{self.y}) {self.widget} {self.text.strip()!r}: "
            f"{self.foreground.hex} on {self.background.hex} = {self.ratio:.2f}"
        )


def _color(color: Color | None, default: TextualColor) -> TextualColor:
    if color is None or color.is_default:
        return default
    return TextualColor.from_rich_color(color)


def _colours(
    style: Style, screen_fg: TextualColor, screen_bg: TextualColor
) -> tuple[TextualColor, TextualColor]:
    background = _color(style.bgcolor, screen_bg)
    foreground = _color(style.color, screen_fg)
    if style.reverse:
        foreground, background = background, foreground
    if style.dim:
        foreground = background.blend(foreground, 0.5)
    return foreground, background


def drawn_row(screen: Screen[object], y: int) -> list[Drawn]:
    """Every run of visible text on screen row `y`."""
    width = screen.size.width
    styles = screen.styles
    screen_bg = styles.background if styles.background.a else TextualColor(0, 0, 0)
    screen_fg = styles.color
    found: list[Drawn] = []
    x = 0
    while x < width:
        try:
            widget, region = screen.get_widget_at(x, y)
        except NoWidget:
            x += 1
            continue
        lines = widget.render_lines(Region(0, y - region.y, region.width, 1))
        cell = region.x
        for segment in lines[0] if lines else []:
            start = cell
            cell += segment.cell_length
            if cell <= x or not segment.text.strip() or segment.style is None:
                continue
            foreground, background = _colours(segment.style, screen_fg, screen_bg)
            found.append(
                Drawn(start, y, segment.text, foreground, background, type(widget).__name__)
            )
        x = max(x + 1, region.right)
    return found


def low_contrast(runs: list[Drawn], least: float = AA) -> list[str]:
    """The runs below `least`, described."""
    return [str(run) for run in runs if run.ratio < least]
