"""A Markdown document previewed as it will be written, then saved to a file: the week's
review (`e` on the weekly screen) or any of the messages the review sends (`M`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from opstui.export.files import write_atomically
from opstui.widgets.privacy import PRIVACY, PRIVACY_BINDING


class ExportPreview(ModalScreen[Path | None]):
    """The Markdown as it will be written; `r` toggles redaction, `ctrl+s` writes the file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        PRIVACY_BINDING,
        Binding("ctrl+s", "write", "Write file", id="export.write", priority=True),
        Binding(
            "ctrl+r",
            "redact",
            "Redact",
            id="export.redact",
            priority=True,
            tooltip="Mask customer names and ARR (for sharing outside the team)",
        ),
        Binding("escape", "close", "Close", id="export.close"),
    ]

    DEFAULT_CSS = """
    ExportPreview { align: center middle; }
    ExportPreview > Vertical {
        width: 96%; height: 94%; border: thick $accent; background: $surface;
    }
    ExportPreview #export-title { text-style: bold; padding: 0 1; height: 1; }
    ExportPreview TextArea { height: 1fr; }
    ExportPreview Horizontal { height: auto; padding: 0 1; }
    ExportPreview Input { width: 1fr; }
    ExportPreview #export-error { color: $error; text-style: bold; height: auto; padding: 0 1; }
    """

    def __init__(self, title: str, render: Callable[[bool], str], default_path: Path) -> None:
        super().__init__()
        self.document_title = title
        """What the document is: "Markdown export of 2026-W28", "Executive summary of …"."""
        self.render_markdown = render
        """Renders the document's Markdown, redacted or not, from figures already read."""
        self.redacted = PRIVACY.active
        """Redacted from the start in privacy mode, and then it stays so."""
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="export-title")
            yield TextArea(
                self.render_markdown(self.redacted),
                read_only=True,
                id="export-text",
                show_line_numbers=False,
            )
            with Horizontal():
                yield Input(str(self.default_path), id="export-path")
                yield Button("Write (ctrl+s)", id="export-write", variant="primary")
            yield Static("", id="export-error")

    def on_mount(self) -> None:
        self._title()
        self.set_focus(self.query_one(TextArea))

    def _title(self) -> None:
        mode = "redacted: customer names and ARR masked" if self.redacted else "full"
        self.query_one("#export-title", Static).update(
            Content(f"{self.document_title} ({mode}) — ctrl+r redact · ctrl+s write")
        )

    def privacy_changed(self) -> None:
        if PRIVACY.active and not self.redacted:
            self.action_redact()

    def action_redact(self) -> None:
        if PRIVACY.active and self.redacted:
            self.notify("Privacy mode is on: the preview stays redacted", severity="warning")
            return
        self.redacted = not self.redacted
        self.query_one(TextArea).load_text(self.render_markdown(self.redacted))
        self._title()

    def action_write(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#export-error", Static).update(Content("name a file to write"))
            return
        path = Path(text).expanduser()
        try:
            write_atomically(path, self.query_one(TextArea).text.encode("utf-8"))
        except OSError as error:
            self.query_one("#export-error", Static).update(Content(f"not written: {error}"))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#export-write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self.action_write()

    def action_close(self) -> None:
        self.dismiss(None)
