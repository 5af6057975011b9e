"""A record's history in a detail view: who changed what, and when, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from opstui.domain.history import Change, fields_words, moment_words, person_words

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
            fields_words(change),
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
