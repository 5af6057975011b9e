"""What every form shares: `ctrl+s` saves, `esc` cancels, and a validation error shows
under its own field while everything typed stays in place."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from pydantic import ValidationError
from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from opstui.domain.models import field_errors

T = TypeVar("T")

ROOT = "__root__"
"""Errors of the form as a whole (or of fields it does not show) go under this key."""


class FormScreen(ModalScreen[T | None], Generic[T]):
    """A modal form. Subclasses build the model in `validated` (pydantic raises the errors)
    and may store it in `accept`; the form closes with what `accept` returns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def validated(self) -> T:
        """The form's content as a validated model; raises `ValidationError`."""
        raise NotImplementedError

    def accept(self, value: T) -> T | None:
        """What to do with a valid value before closing; None keeps the form open."""
        return value

    def field_message(self, name: str, message: str) -> str:
        """The wording shown under field `name` (forms may say it better)."""
        return message

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field; messages for fields not shown go under the form."""
        labels = {
            (label.id or "").removeprefix("error-"): label
            for label in self.query(".field-error").results(Static)
        }
        shown = dict(errors)
        for name in list(shown):
            if name not in labels and name != ROOT:
                shown.setdefault(ROOT, f"{name}: {shown[name]}")
        for name, label in labels.items():
            message = shown.get(name, "")
            if message:
                message = self.field_message(name, message)
            label.update(Content(message))
            label.display = bool(message)
        for name in errors:
            try:
                widget = self.query_one(f"#field-{name}")
            except NoMatches:
                continue
            widget.focus()
            widget.scroll_visible()
            break

    def action_save(self) -> None:
        try:
            value = self.validated()
        except ValidationError as error:
            self.show_errors(field_errors(error))
            return
        result = self.accept(value)
        if result is not None:
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
