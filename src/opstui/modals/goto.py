"""The `g` prefix: the next key picks the screen (g p, g b, g c, g w, g s)."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

GOTO_KEYS = {"p": "portfolio", "b": "bugs", "c": "customers", "w": "weekly", "s": "setup"}


class GotoPrompt(ModalScreen[str | None]):
    """Waits for one key; returns the screen it names, or None for any other key."""

    DEFAULT_CSS = """
    GotoPrompt { align: left bottom; background: transparent; }
    GotoPrompt > Static {
        width: auto; height: 1; margin: 0 0 1 0; padding: 0 1;
        background: $accent; color: $background; text-style: bold;
    }
    """

    ESCAPE_TO_MINIMIZE: ClassVar[bool] = False

    def compose(self) -> ComposeResult:
        hint = "  ".join(f"{key} {name}" for key, name in GOTO_KEYS.items())
        yield Static(Content(f"go to: {hint}   (esc cancels)"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(GOTO_KEYS.get(event.key))
