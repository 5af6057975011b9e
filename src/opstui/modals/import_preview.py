"""The dry run of an import, before anything is written: what it would create and update,
the first changes and the first bad rows; `y` imports, `n`/esc leaves the workspace as it is.
Everything quoted from the file is shown as text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ImportPreview(ModalScreen[bool]):
    """Dismissed with True to import, False to leave it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "answer(True)",
            "Import",
            id="import.confirm",
            tooltip="Import the file as previewed, in one transaction",
        ),
        Binding(
            "n,escape",
            "answer(False)",
            "Cancel",
            id="import.cancel",
            tooltip="Close the preview; nothing is written",
        ),
    ]

    DEFAULT_CSS = """
    ImportPreview { align: center middle; }
    ImportPreview > Vertical {
        width: 100; height: auto; max-height: 90%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    ImportPreview #import-title { text-style: bold; margin-bottom: 1; }
    ImportPreview VerticalScroll { height: auto; max-height: 24; }
    ImportPreview .import-heading { text-style: bold; margin-top: 1; }
    ImportPreview #import-problems { color: $warning; }
    ImportPreview Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ImportPreview Button { margin-left: 2; }
    """

    def __init__(
        self,
        title: str,
        summary: Sequence[str],
        changes: Sequence[str],
        problems: Sequence[str],
        *,
        confirm: str | None,
    ) -> None:
        """`confirm` is the import button's words; None when there is nothing to import."""
        super().__init__()
        self.title_text = title
        self.summary = list(summary)
        self.changes = list(changes)
        self.problems = list(problems)
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="import-title")
            with VerticalScroll():
                yield Static(Content("\n".join(self.summary)), id="import-summary")
                if self.changes:
                    yield Static(Content("First changes"), classes="import-heading")
                    yield Static(Content("\n".join(self.changes)), id="import-changes")
                if self.problems:
                    yield Static(Content("Bad rows"), classes="import-heading")
                    yield Static(Content("\n".join(self.problems)), id="import-problems")
            with Horizontal():
                yield Button("Cancel (n)", id="no")
                if self.confirm is not None:
                    yield Button(f"{self.confirm} (y)", id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.confirm is not None else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer and self.confirm is not None)
