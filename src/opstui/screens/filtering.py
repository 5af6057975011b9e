"""Filter as you type: `/` opens the filter line, `esc` clears it, `enter` returns to the
table. Shared by the screens whose table a user narrows by typing."""

from __future__ import annotations

from textual import getters, on
from textual.widgets import Input

from opstui.screens.base import OpsScreen
from opstui.widgets.virtual_table import VirtualTable


class FilterableScreen(OpsScreen):
    """A screen with an `Input#filter` above its `table`; subclasses redraw in `show_rows`."""

    filter_input = getters.query_one("#filter", Input)

    @property
    def table(self) -> VirtualTable:
        raise NotImplementedError

    def show_rows(self, keep: str | None = None) -> None:
        """Redraw the table for the current filter."""
        raise NotImplementedError

    def action_filter(self) -> None:
        self.filter_input.display = True
        # Focus now, not after the keys already queued: "/Invoice" typed fast lands here.
        self.set_focus(self.filter_input)

    def action_clear_filter(self) -> None:
        if self.filter_input.value or self.filter_input.display:
            self.filter_input.value = ""
            self.filter_input.display = False
            self.show_rows()
        self.set_focus(self.table)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.table)
