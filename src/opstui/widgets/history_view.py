"""A record's history in a detail view: who changed what, and when, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from textual.content import Content
from textual.widgets import Static

from opstui.domain.history import Change, fields_words, moment_words, person_words
from opstui.widgets.privacy import MASKED_MONEY, MONEY_FIELDS, PRIVACY

HIDDEN_NAME = "(hidden)"
"""A customer's former or new name in privacy mode (an old name has no alias)."""


def private_change(change: Change) -> Change:
    """`change` as privacy mode shows it: money fields and customers' names masked, other
    text with the names and money in it masked."""
    if not PRIVACY.active:
        return change

    def masked(name: str, value: Any) -> Any:
        if value is None or value == "":
            return value
        if name in MONEY_FIELDS:
            return MASKED_MONEY
        if change.entity == "customers" and name == "name":
            return HIDDEN_NAME
        return PRIVACY.text(value) if isinstance(value, str) else value

    fields = {
        name: (masked(name, before), masked(name, after))
        for name, (before, after) in change.fields.items()
    }
    return replace(change, fields=fields)


SHOWN = 12
"""Changes listed; the rest are counted."""


def history_content(changes: Sequence[Change], shown: int = SHOWN) -> Content:
    """The lines of a history: "Dec 1 14:03  Priya Nair  Risk Medium → High"."""
    if not changes:
        return Content.styled("No recorded changes yet.", "dim")
    lines = [
        Content.assemble(
            (f"{moment_words(change.at):<13}", "dim"),
            (f"{person_words(change)[:20]:<21}", "bold"),
            fields_words(private_change(change)),
        )
        for change in changes[:shown]
    ]
    if len(changes) > shown:
        lines.append(Content.styled(f"and {len(changes) - shown} earlier changes", "dim"))
    return Content("\n").join(lines)


class HistoryView(Static):
    """The "History" section of a detail view."""

    DEFAULT_CSS = """
    HistoryView { height: auto; padding: 0 0 1 0; }
    """

    def __init__(
        self, changes: Sequence[Change] = (), *, shown: int = SHOWN, id: str | None = "history"
    ) -> None:
        super().__init__(history_content(changes, shown), id=id)
        self.shown = shown

    def show(self, changes: Sequence[Change]) -> None:
        self.update(history_content(changes, self.shown))
