"""The app's own themes: a light one and a high-contrast one for projectors."""

from __future__ import annotations

from textual.theme import Theme

LIGHT = Theme(
    name="opstui-light",
    primary="#1F5FAD",
    secondary="#6B4FA0",
    accent="#B35900",
    warning="#A66300",
    error="#B00020",
    success="#1B7F3B",
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

THEMES = (LIGHT, PROJECTOR)
