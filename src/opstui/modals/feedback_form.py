"""Logging a customer's feedback: its kind and what they said, dated the app's today.

Validation is the `FeedbackEntry` model's: an error shows under its field and what the user
typed stays, also when storing fails. `log_feedback` is the whole flow: the form, then, for
a feature request, the request picker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Label, Select, Static, TextArea

from opstui.data.repository import Repository
from opstui.domain.enums import FeedbackKind
from opstui.domain.models import FeatureRequest, FeedbackEntry
from opstui.domain.text import clean_line
from opstui.modals.form_base import FormScreen
from opstui.modals.request_picker import link_to_request
from opstui.widgets.data_select import DataSelect


class FeedbackForm(FormScreen[FeedbackEntry]):
    """Feedback from one customer; returns the stored entry, or None when cancelled.

    `store` writes the validated entry and returns it as stored; should it fail, the form
    stays open with the reason and what was typed.
    """

    HIDDEN_IN_PRIVACY = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="customers.feedback_save",
            priority=True,
            tooltip="Log it; a feature request then asks which request",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="customers.feedback_cancel",
            tooltip="Close without logging anything",
        ),
    ]

    CSS_PATH = "../styles/customers.tcss"

    def __init__(
        self,
        customer_id: int,
        customer_name: str,
        today: date,
        store: Callable[[FeedbackEntry], FeedbackEntry],
        kind: FeedbackKind = FeedbackKind.FEATURE_REQUEST,
    ) -> None:
        super().__init__()
        self.write = store
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.today = today
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content.assemble(
                    "Feedback from ",
                    (clean_line(self.customer_name), "bold"),
                    (f"  · {self.today.isoformat()}", "dim"),
                ),
                id="feedback-title",
            )
            yield Label(Content("Kind *"))
            yield DataSelect(
                [(kind.value, kind) for kind in FeedbackKind],
                value=self.kind,
                allow_blank=False,
                id="field-kind",
            )
            yield Static("", id="error-kind", classes="field-error")
            yield Label(Content("What they said *"))
            yield TextArea(id="field-text", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="error-text", classes="field-error")
            yield Static("", id="error-__root__", classes="field-error")
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#field-kind").focus()

    def values(self) -> dict[str, Any]:
        kind = self.query_one("#field-kind", Select).value
        return {
            "customer_id": self.customer_id,
            "logged_on": self.today,
            "kind": None if kind is Select.NULL else kind,
            "text": self.query_one("#field-text", TextArea).text,
        }

    def field_message(self, name: str, message: str) -> str:
        return "choose what kind of feedback this is" if name == "kind" else message

    def validated(self) -> FeedbackEntry:
        return FeedbackEntry.model_validate(self.values())

    def accept(self, value: FeedbackEntry) -> FeedbackEntry | None:
        try:
            return self.write(value)
        except Exception as error:  # the write failed as a whole: keep the form as typed
            self.show_errors({"__root__": f"Not saved: {error}"})
            return None


def log_feedback(
    screen: Screen[Any],
    repo: Repository,
    customer_id: int,
    customer_name: str,
    today: date,
    done: Callable[[], None],
) -> None:
    """Log feedback from a customer; a feature request goes on to the request picker, which
    links it to an existing request or creates one. `done` runs after anything was stored."""

    def logged(entry: FeedbackEntry | None) -> None:
        if entry is None:
            return
        if entry.kind is not FeedbackKind.FEATURE_REQUEST:
            screen.notify(f"Logged {entry.kind.value} feedback")
            done()
            return

        def linked(request: FeatureRequest | None) -> None:
            if request is None:
                screen.notify("Logged the feature request, not linked to a request yet")
            done()

        link_to_request(screen, repo, entry, linked)

    screen.app.push_screen(FeedbackForm(customer_id, customer_name, today, repo.add), logged)
