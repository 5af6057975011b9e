"""The app's own themes: a light one and a high-contrast one for projectors, and Textual's
dark theme with a red that can be read.

Every one meets WCAG AA (a contrast ratio of at least 4.5:1) for text on the cursor row, the
header and the footer, and for the status and risk colours on the background
(tests/test_contrast.py measures what each screen draws).
"""

from __future__ import annotations

from dataclasses import replace

from textual.theme import BUILTIN_THEMES, Theme

LIGHT = Theme(
    name="opstui-light",
    primary="#1F5FAD",
    secondary="#6B4FA0",
    accent="#9A4C00",
    warning="#A66300",
    error="#B00020",
    success="#17703A",
    foreground="#1A1A1A",
    background="#FAFAF7",
    surface="#FFFFFF",
    panel="#E6E9EF",
    dark=False,
)

PROJECTOR = Theme(
    name="opstui-projector",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF4040",
    success="#00FF66",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#FFFFFF",
    dark=True,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "footer-key-foreground": "#FFFF00",
    },
)

DARK = replace(BUILTIN_THEMES["textual-dark"], error="#FF6B81")
"""Textual's dark theme (the default) with a lighter red: its own (#ba3c5b) reads at 3.2:1 on
the background and 2.5:1 on the header."""

THEMES = (DARK, LIGHT, PROJECTOR)
