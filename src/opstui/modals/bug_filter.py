"""Filters of the all-bugs list: company, priority, status, assignee, open only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, Static

from opstui.data.bug_queries import BugQuery
from opstui.domain.enums import BugStatus, Priority
from opstui.domain.models import Company, Person
from opstui.domain.records import choosable
from opstui.widgets.data_select import DataSelect


class BugFilterForm(ModalScreen[BugQuery | None]):
    """Choose the list's filters; returns the new query or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="filters.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="filters.cancel"),
    ]

    DEFAULT_CSS = """
    BugFilterForm { align: center middle; }
    BugFilterForm > Vertical {
        width: 70; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    BugFilterForm Horizontal { height: auto; align-horizontal: right; }
    BugFilterForm Button { margin-left: 2; }
    """

    def __init__(
        self, query: BugQuery, companies: Sequence[Company], people: Sequence[Person]
    ) -> None:
        super().__init__()
        self.start = query
        # Retired records are not offered, unless the filter already names them.
        self.companies = choosable(companies, query.company_id)
        self.people = choosable(people, query.assignee_id)

    def _select(self, ident: str, options: Sequence[tuple[str, Any]], value: Any) -> Select[Any]:
        return DataSelect(
            options, value=value if value is not None else Select.NULL, id=ident, prompt="any"
        )

    def compose(self) -> ComposeResult:
        query = self.start
        with Vertical():
            yield Static(Content("Filter all bugs (ctrl+s applies)"))
            yield Label("Company")
            yield self._select(
                "company", [(c.name, c.id) for c in self.companies], query.company_id
            )
            yield Label("Priority")
            yield self._select("priority", [(p.value, p) for p in Priority], query.priority)
            yield Label("Status")
            yield self._select("status", [(s.value, s) for s in BugStatus], query.status)
            yield Label("Assignee")
            yield self._select("assignee", [(p.name, p.id) for p in self.people], query.assignee_id)
            yield Checkbox("Open bugs only", query.open_only, id="open-only")
            with Horizontal():
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="apply", variant="primary")

    def _value(self, ident: str) -> Any:
        value = self.query_one(f"#{ident}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        self.dismiss(
            replace(
                self.start,
                company_id=self._value("company"),
                priority=self._value("priority"),
                status=self._value("status"),
                assignee_id=self._value("assignee"),
                open_only=self.query_one("#open-only", Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(
            replace(
                self.start,
                company_id=None,
                priority=None,
                status=None,
                assignee_id=None,
                open_only=False,
            )
        )
