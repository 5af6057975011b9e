"""Deleting a record others point at: say what depends on it, then retire it or hand its
links to another record. A record nothing points at gets a plain delete confirmation.

The dialog only asks; the screen that opened it does the write the answer names
(`Repository.set_retired`, `reassign_and_delete` or `delete`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from opstui.domain.records import dependents_in_words
from opstui.domain.text import clean_line
from opstui.modals.confirm import ConfirmDialog
from opstui.widgets.data_select import DataSelect


@dataclass(frozen=True)
class RetireChoice:
    """What the user chose: retire the record, reassign its links to `to_id` and delete it,
    or (nothing depends on it) delete it."""

    action: Literal["retire", "reassign", "delete"]
    to_id: int | None = None


class RetireDialog(ModalScreen[RetireChoice | None]):
    """Retire, reassign or cancel; or, with no dependents, delete or cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "retire",
            "Retire",
            id="retire.retire",
            tooltip="Hide it from pickers; keep it in history and snapshots",
        ),
        Binding(
            "a",
            "reassign",
            "Reassign and delete",
            id="retire.reassign",
            tooltip="Move every link to the record chosen, then delete this one (asks first)",
        ),
        Binding(
            "y", "delete", "Delete", id="retire.delete", tooltip="Delete it: nothing links to it"
        ),
        Binding("n,escape", "cancel", "Cancel", id="retire.cancel", tooltip="Change nothing"),
    ]

    DEFAULT_CSS = """
    RetireDialog { align: center middle; }
    RetireDialog > Vertical {
        width: 76; height: auto; max-height: 90%; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    RetireDialog #retire-question { text-style: bold; }
    RetireDialog #retire-links { margin: 1 0; }
    RetireDialog #retire-reassign-note { color: $text-muted; }
    RetireDialog #reassign-to { width: 100%; }
    RetireDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    RetireDialog Button { margin-left: 2; }
    """

    def __init__(
        self, what: str, dependents: Mapping[str, int], reassign_to: Sequence[tuple[str, int]]
    ) -> None:
        super().__init__()
        self.what = clean_line(what)
        self.dependents = {link: count for link, count in dependents.items() if count > 0}
        self.reassign_to = list(reassign_to)

    @property
    def has_links(self) -> bool:
        return bool(self.dependents)

    def compose(self) -> ComposeResult:
        what = Content.styled(self.what, "bold")
        with Vertical():
            if not self.has_links:
                yield Static(
                    Content.assemble("Delete ", what, "? It has no links."), id="retire-question"
                )
                with Horizontal():
                    yield Button("Cancel (n)", id="cancel")
                    yield Button("Delete (y)", id="delete", variant="error")
                return
            yield Static(Content.assemble("Delete ", what, "?"), id="retire-question")
            yield Static(
                Content.assemble(
                    "Linked to it: ",
                    (dependents_in_words(self.dependents), "bold"),
                    ".\nDeleting it would leave them without it. Instead:\n",
                    ("• Retire (r): ", "bold"),
                    "hidden from every picker, kept in history, snapshots and exports; "
                    "it can be brought back later.\n",
                    ("• Reassign (a): ", "bold"),
                    "every link moves to the record chosen below, then ",
                    what,
                    " is deleted.",
                ),
                id="retire-links",
            )
            yield Label("Reassign to")
            yield DataSelect(
                self.reassign_to,
                prompt="choose who takes the links over",
                empty="nothing else to reassign to",
                id="reassign-to",
                disabled=not self.reassign_to,
            )
            yield Static("", id="retire-reassign-note")
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel")
                yield Button(
                    "Reassign and delete (a)",
                    id="reassign",
                    variant="error",
                    disabled=not self.reassign_to,
                )
                yield Button("Retire (r)", id="retire", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#delete" if not self.has_links else "#retire", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retire", "reassign"):
            return self.has_links
        if action == "delete":
            return not self.has_links
        return True

    # -- answers --------------------------------------------------------------------------

    def action_retire(self) -> None:
        self.dismiss(RetireChoice("retire"))

    def action_delete(self) -> None:
        self.dismiss(RetireChoice("delete"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_reassign(self) -> None:
        note = self.query_one("#retire-reassign-note", Static)
        if not self.reassign_to:
            note.update(Content("There is no other record to hand the links to."))
            return
        select = self.query_one("#reassign-to", Select)
        if select.value is Select.NULL or not isinstance(select.value, int):
            note.update(Content("Choose who takes the links over first, then press a."))
            select.focus()
            return
        to_id = select.value
        target = next(label for label, value in self.reassign_to if value == to_id)
        question = Content.assemble(
            "Move ",
            dependents_in_words(self.dependents),
            " to ",
            (clean_line(target), "bold"),
            " and delete ",
            (self.what, "bold"),
            "? This cannot be undone.",
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.dismiss(RetireChoice("reassign", to_id))

        self.app.push_screen(ConfirmDialog(question, "Reassign and delete"), confirmed)

    @on(Select.Changed, "#reassign-to")
    def _target_chosen(self, event: Select.Changed) -> None:
        chosen = event.value is not Select.NULL
        note = "a moves every link to it and deletes this record (asks first)" if chosen else ""
        self.query_one("#retire-reassign-note", Static).update(Content(note))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {
            "retire": self.action_retire,
            "reassign": self.action_reassign,
            "delete": self.action_delete,
            "cancel": self.action_cancel,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()
