"""Text that stays readable on whatever row it is drawn: the WCAG AA contrast, enforced.

A cell keeps its colour (orange "At risk", a red score, a progress bar) wherever that colour
can be read on the row's background. Where it cannot — the projector's yellow cursor row under
orange text, a blue bar on a blue cursor — it is drawn in the row's own text colour instead
(or black or white, whichever reads), so nothing vanishes under the cursor.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

AA_CONTRAST = 4.5
"""WCAG 2 level AA: the least contrast ratio between normal text and its background."""

_BLACK = Color(0, 0, 0)
_WHITE = Color(255, 255, 255)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: Color) -> float:
    """WCAG relative luminance of an sRGB colour."""
    return 0.2126 * _linear(color.r) + 0.7152 * _linear(color.g) + 0.0722 * _linear(color.b)


def contrast(one: Color, other: Color) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: Color, preferred: Color) -> Color:
    """`preferred` when it can be read on `background`, else black or white."""
    if contrast(preferred, background) >= AA_CONTRAST:
        return preferred
    return max((_BLACK, _WHITE), key=lambda color: contrast(color, background))


def readable_strip(strip: Strip, text_color: Color | None) -> Strip:
    """`strip` with every run of text below AA on its background redrawn in `text_color`
    (the row's own), or black or white. Dim text counts as half-way to its background; a
    reversed run (a badge) has its text drawn in its background colour, so that is changed."""
    segments: list[Segment] = []
    changed = False
    for segment in strip:
        style = segment.style
        if (
            style is not None
            and style.color is not None
            and style.bgcolor is not None
            and segment.text.strip()
        ):
            background = Color.from_rich_color(style.bgcolor)
            foreground = Color.from_rich_color(style.color)
            if style.reverse:  # a badge: drawn in its background colour on its colour
                foreground, background = background, foreground
            if style.dim:
                foreground = background.blend(foreground, 0.5)
            if contrast(foreground, background) < AA_CONTRAST:
                color = readable_on(background, text_color or foreground).rich_color
                fix = Style(bgcolor=color) if style.reverse else Style(color=color)
                style = style + fix + Style(dim=False)
                segment = Segment(segment.text, style, segment.control)
                changed = True
        segments.append(segment)
    return Strip(segments, strip.cell_length) if changed else strip
