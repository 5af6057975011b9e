"""A fuzzy picker: type to narrow a list, enter picks, esc cancels.

Options come from a fixed list (people, companies) or from a search function that asks the
workspace (open bugs, at any scale). Labels are data: shown as text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from opstui.widgets.fuzzy_text import highlight
from opstui.widgets.privacy import shown_line

T = TypeVar("T")

MAX_OPTIONS = 50


class Picker(ModalScreen[T | None], Generic[T]):
    """Pick one value by (fuzzy) name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]

    DEFAULT_CSS = """
    Picker { align: center middle; }
    Picker > Vertical {
        width: 80; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    Picker #picker-title { text-style: bold; height: 1; }
    Picker Input { margin: 1 0 0 0; }
    Picker OptionList { height: auto; max-height: 20; border: none; }
    """

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, T]] = (),
        *,
        search: Callable[[str], Sequence[tuple[str, T]]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.search = search
        self._values: list[T] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="picker-title")
            yield Input(placeholder="Type to search", id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._refill("")
        self.set_focus(self.query_one(Input))

    def _matches(self, query: str) -> list[tuple[Content, T]]:
        if self.search is not None:
            return [(Content(shown_line(label)), value) for label, value in self.search(query)]
        if not query.strip():
            return [(Content(shown_line(label)), value) for label, value in self.options]
        matcher = Matcher(query)
        scored = [
            (matcher.match(shown_line(label)), shown_line(label), value)
            for label, value in self.options
        ]
        scored = [item for item in scored if item[0] > 0]
        scored.sort(key=lambda item: -item[0])
        return [(highlight(matcher, label), value) for _, label, value in scored]

    def _refill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        matches = self._matches(query)[:MAX_OPTIONS]
        self._values = [value for _, value in matches]
        options.add_options([Option(label) for label, _ in matches])
        if matches:
            options.highlighted = 0

    @on(Input.Changed, "#picker-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self._values):
            self.dismiss(self._values[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._values[event.option_index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self._values:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._values) - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
