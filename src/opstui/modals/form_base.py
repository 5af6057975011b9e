"""What every form shares: `ctrl+s` saves, `esc` cancels (asking first when something was
typed), and a validation error shows under its own field while everything typed stays in
place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError
from textual import events, on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static, TextArea

from opstui.domain.history import StaleEditError
from opstui.domain.models import field_errors
from opstui.modals.confirm import ConfirmDialog
from opstui.widgets.privacy import HIDDEN_FORM_WORDS, PRIVACY, mask_money_inputs

T = TypeVar("T")

ROOT = "__root__"
"""Errors of the form as a whole (or of fields it does not show) go under this key."""


def typed_state(screen: Screen[Any]) -> tuple[tuple[str, object], ...]:
    """What the user can have changed in `screen`'s fields, to compare before and after."""
    state: list[tuple[str, object]] = []
    for index, widget in enumerate(
        screen.query("Input, TextArea, Select, Checkbox, SelectionList")
    ):
        value: object
        if isinstance(widget, TextArea):
            value = widget.text
        elif isinstance(widget, SelectionList):
            value = tuple(widget.selected)
        elif isinstance(widget, Input | Select | Checkbox):
            value = widget.value
        else:
            continue
        state.append((widget.id or str(index), value))
    return tuple(state)


class DiscardGuard:
    """Mixin for a modal with fields: leaving it with unsaved typing asks "Discard changes?"
    first, so nothing typed is lost to a stray `esc`."""

    _typed_at_start: tuple[tuple[str, object], ...] | None = None

    def remember_typed(self: Any) -> None:
        """Take the fields' values as they are now as the unchanged state."""
        self._typed_at_start = typed_state(self)

    def leave_unless_typed(self: Any, leave: Callable[[], object]) -> None:
        """Run `leave` now if nothing changed, else once the user says to discard."""
        if self._typed_at_start is None or typed_state(self) == self._typed_at_start:
            leave()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                leave()

        self.app.push_screen(
            ConfirmDialog(
                Content("Discard changes? What you typed is not saved."),
                confirm_label="Discard",
                cancel_label="Keep editing",
            ),
            answered,
        )


def refused_words(error: Exception) -> str:
    """Why a save from a form failed, and that the typing is still there."""
    if isinstance(error, StaleEditError):
        return (
            f"Not saved: {error}. What you typed is kept: ctrl+s saves it over that change, "
            "esc leaves it."
        )
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        return (
            "Not saved: someone else is writing to the workspace and it stayed busy. "
            "What you typed is kept: ctrl+s tries again."
        )
    return f"Not saved: {error}"


class FormScreen(DiscardGuard, ModalScreen[T | None], Generic[T]):
    """A modal form. Subclasses build the model in `validated` (pydantic raises the errors)
    and may check it in `accept`; the form closes with what `accept` returns.

    A form given `store` saves before it closes: `store(original, value)` writes the value
    as an edit of `original` (the record the form was opened on; None for a new one). When
    the write is refused — someone else changed the same fields meanwhile, or the workspace
    stayed locked — the form stays open with everything typed, says who changed what, and
    from then on compares against the record as they left it.
    """

    original: Any = None
    store: Callable[[Any, Any], object] | None = None
    HIDDEN_IN_PRIVACY: ClassVar[bool] = False
    """A form that edits what privacy mode hides (a customer's name) does not open then."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    @on(events.Mount)
    def _refuse_in_privacy(self) -> None:
        if self.HIDDEN_IN_PRIVACY and PRIVACY.active:
            self.app.notify(HIDDEN_FORM_WORDS, severity="warning")
            self.dismiss(None)

    def privacy_changed(self) -> None:
        mask_money_inputs(self)

    @on(events.Mount)
    def _remember_after_first_layout(self) -> None:
        # Fields take their initial values while mounting (a Select's value among them).
        self.call_after_refresh(self.remember_typed)

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
        if ROOT in shown and ROOT in labels:  # the form's own message may sit below the fold
            labels[ROOT].scroll_visible()
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
        if result is None:
            return
        if self.store is not None:
            try:
                self.store(self.original, result)
            except Exception as error:  # one transaction: nothing was stored
                if isinstance(error, StaleEditError) and error.latest is not None:
                    self.original = error.latest
                self.show_errors({ROOT: refused_words(error)})
                return
        self.dismiss(result)

    def saving(self, original: Any, store: Callable[[Any, Any], object]) -> FormScreen[T]:
        """This form, saving with `store` before it closes (see the class)."""
        self.original = original
        self.store = store
        return self

    def action_cancel(self) -> None:
        self.leave_unless_typed(lambda: self.dismiss(None))

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
