"""Ask for one date (snooze until, due dates), validated where it is typed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from opstui.domain.limits import typed_integer

MAX_DAYS_AHEAD = 36_500
"""How far ahead `+N` reaches: a hundred years is far enough, and stays a valid date."""


class DatePrompt(ModalScreen[date | None]):
    """A date in YYYY-MM-DD (or +N days from today); must be after `earliest` when given."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="date.cancel"),
    ]

    DEFAULT_CSS = """
    DatePrompt { align: center middle; }
    DatePrompt > Vertical {
        width: 60; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    DatePrompt #date-error { color: $error; text-style: bold; height: auto; }
    """

    def __init__(self, title: str, today: date, default: date, earliest: date | None = None):
        super().__init__()
        self.title_text = title
        self.today = today
        self.default = default
        self.earliest = earliest

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text))
            yield Input(self.default.isoformat(), placeholder="YYYY-MM-DD or +7", id="date")
            yield Static("", id="date-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def parse(self, text: str) -> date:
        """The date typed: ISO, or +N days from today. Raises ValueError with a message."""
        text = text.strip()
        if text.startswith("+"):
            days = typed_integer(text[1:], maximum=MAX_DAYS_AHEAD)
            if days is None:
                raise ValueError(f"+N is a number of days from today, at most {MAX_DAYS_AHEAD}")
            return self.today + timedelta(days=days)
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                "expected a date like 2026-07-13, or +7 for a week from today"
            ) from None
        if self.earliest is not None and value < self.earliest:
            raise ValueError(f"must be {self.earliest.isoformat()} or later")
        return value

    @on(Input.Submitted, "#date")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            value = self.parse(event.value)
        except ValueError as error:
            self.query_one("#date-error", Static).update(Content(str(error)))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
