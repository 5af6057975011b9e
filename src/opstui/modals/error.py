"""One dialog for any failure of background work; the app keeps running."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ErrorDialog(ModalScreen[None]):
    """Shows what failed, in plain text; enter or esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="error.close"),
    ]

    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 72; height: auto; padding: 1 2;
        border: thick $error; background: $surface;
    }
    ErrorDialog #title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorDialog Button { margin-top: 1; }
    """

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="title")
            yield Static(Content(self.message), id="message")
            yield Button("Close", id="close", variant="error")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
