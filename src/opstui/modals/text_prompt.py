"""Ask for one line of text (a name for a saved filter)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from opstui.domain.text import clean_line


class TextPrompt(ModalScreen[str | None]):
    """One line of text; empty input is refused on the field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 60; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    TextPrompt #prompt-error { color: $error; text-style: bold; height: auto; }
    """

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text))
            yield Input(self.value, id="prompt")
            yield Static("", id="prompt-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    @on(Input.Submitted, "#prompt")
    def _submitted(self, event: Input.Submitted) -> None:
        text = clean_line(event.value)
        if not text:
            self.query_one("#prompt-error", Static).update(Content("must not be empty"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
