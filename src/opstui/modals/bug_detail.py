"""One bug: every field, the P0/P1 analysis, and for a P0 the incident playbook.

The analysis fields are edited here and validated by the `Bug` model; playbook steps are
checked off with their number keys at the session's "now" and saved at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from opstui.domain.bugs import is_urgent, minutes_since, playbook_state
from opstui.domain.enums import PlaybookStep, Priority
from opstui.domain.history import Change, StaleEditError
from opstui.domain.models import Bug, PlaybookCheck, field_errors
from opstui.modals.form_base import ROOT, DiscardGuard, refused_words
from opstui.widgets.data_select import DataSelect
from opstui.widgets.history_view import HistoryView
from opstui.widgets.privacy import (
    MONEY_FIELDS,
    PRIVACY,
    PRIVACY_BINDING,
    mask_money_inputs,
    shown_line,
    shown_text,
)

ANALYSIS_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("customers_affected", "Customers affected", "line"),
    ("revenue_impact", "Revenue impact ($)", "line"),
    ("root_cause", "Root cause", "text"),
    ("expected_fix_date", "Expected fix date (YYYY-MM-DD)", "line"),
    ("prevention", "Prevention measures", "text"),
)
STEP_KEYS = {str(number): step for number, step in enumerate(PlaybookStep, start=1)}


def _window(start: int, end: int) -> str:
    if end >= 60:
        return f"{start // 60}–{end // 60} h"
    return f"{start}–{end} min"


class BugDetail(DiscardGuard, ModalScreen[Bug | None]):
    """Shows a bug; returns the bug with edited analysis fields, or None when closed."""

    # The playbook's number keys must not land in a text field first.
    AUTO_FOCUS = "#bug-fields"

    BINDINGS: ClassVar[list[BindingType]] = [
        PRIVACY_BINDING,
        Binding("ctrl+s", "save", "Save", id="bug.save", priority=True),
        Binding("escape", "close", "Close", id="bug.close"),
        *(
            Binding(
                key,
                f"check_step('{step.value}')",
                f"Check off {step.value}",
                id=f"bug.step_{key}",
                show=False,
            )
            for key, step in STEP_KEYS.items()
        ),
    ]

    def __init__(
        self,
        bug: Bug,
        names: dict[str, str],
        checks: list[PlaybookCheck],
        now: Callable[[], datetime],
        on_check: Callable[[PlaybookStep, datetime | None], None],
        history: Sequence[Change] = (),
        store: Callable[[Bug, Bug], object] | None = None,
    ) -> None:
        super().__init__()
        self.bug = bug
        self.history = history
        self.store = store
        """Writes the edited bug as an edit of the one shown, before the detail closes (a
        refused write keeps it open with what was typed)."""
        self.names = names
        """Display names: company, product, assignee, project, duplicate_of."""
        self.checks = {check.step: check.done_at for check in checks}
        self.now = now
        self.on_check = on_check

    @property
    def analysed(self) -> bool:
        return is_urgent(self.bug.priority)

    def compose(self) -> ComposeResult:
        bug = self.bug
        with Vertical(id="bug-detail"):
            yield Static(self._title(), id="bug-title")
            with VerticalScroll(id="bug-fields"):
                yield Static(self._facts(), id="bug-facts")
                if bug.description:
                    yield Static(Content(shown_text(bug.description)), id="bug-description")
                if bug.priority is Priority.P0:
                    yield Static(Content("Incident playbook"), classes="bug-section")
                    yield Static(self._playbook(), id="playbook")
                if self.analysed:
                    yield Static(
                        Content(f"{bug.priority.value if bug.priority else ''} analysis"),
                        classes="bug-section",
                    )
                    for name, label, kind in ANALYSIS_FIELDS:
                        with Vertical(classes="form-row"):
                            yield Label(Content(label))
                            value = getattr(bug, name)
                            shown = "" if value is None else str(value).removesuffix(".0")
                            if kind == "text":
                                area = TextArea(shown, id=f"field-{name}", soft_wrap=True)
                                area.styles.height = 3
                                yield area
                            else:
                                hidden = PRIVACY.active and name in MONEY_FIELDS
                                yield Input(shown, id=f"field-{name}", password=hidden)
                            yield Static("", id=f"error-{name}", classes="field-error")
                with Vertical(classes="form-row"):
                    yield Label(Content("Security / compliance flag"))
                    yield DataSelect(
                        (("Yes", True), ("No", False)),
                        value=bug.security_flag,
                        allow_blank=False,
                        id="field-security_flag",
                    )
                yield Static("", id="error-__root__", classes="field-error")
                yield Static(Content("History"), classes="bug-section")
                yield HistoryView(self.history)
            with Horizontal(id="form-buttons"):
                yield Button("Close (esc)", id="close")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def _facts(self) -> Content:
        bug = self.bug
        rows = [
            ("Status", bug.status.value),
            ("Company", self.names.get("company", "")),
            ("Product", self.names.get("product", "")),
            ("Assignee", self.names.get("assignee", "") or "unassigned"),
            ("Project", self.names.get("project", "")),
            ("Opened", f"{bug.opened_at:%Y-%m-%d %H:%M}"),
            ("Resolved", "" if bug.resolved_at is None else f"{bug.resolved_at:%Y-%m-%d %H:%M}"),
            ("Duplicate of", self.names.get("duplicate_of", "")),
            ("Snoozed until", "" if bug.snoozed_until is None else bug.snoozed_until.isoformat()),
            ("Security flag", "yes" if bug.security_flag else "no"),
        ]
        lines = [
            Content.assemble((f"{label:<14}", "dim"), shown_line(value))
            for label, value in rows
            if value
        ]
        return Content("\n").join(lines)

    def _playbook(self) -> Content:
        now = self.now()
        states = playbook_state(self.bug.opened_at, self.checks, now)
        lines = [
            Content.styled(
                f"Detected {self.bug.opened_at:%Y-%m-%d %H:%M} · "
                f"{minutes_since(self.bug.opened_at, now)} min ago   (press 1–5 to check off)",
                "dim",
            )
        ]
        for number, state in enumerate(states, start=1):
            done = state.done_at is not None
            mark = "✔" if done else "☐"
            when = f"done {state.done_at:%H:%M}" if state.done_at is not None else "open"
            style = "bold $error" if state.late else ("$success" if done else "")
            late = "  LATE" if state.late else ""
            lines.append(
                Content.styled(
                    f"{number} {mark} {state.step.value:<14} "
                    f"{_window(state.window_start_min, state.window_end_min):<10} {when}{late}",
                    style,
                )
            )
        return Content("\n").join(lines)

    def action_check_step(self, step_value: str) -> None:
        if self.bug.priority is not Priority.P0:
            return
        step = PlaybookStep(step_value)
        done_at = None if step in self.checks else self.now()
        self.on_check(step, done_at)
        if done_at is None:
            self.checks.pop(step, None)
        else:
            self.checks[step] = done_at
        self.query_one("#playbook", Static).update(self._playbook())

    def _title(self) -> Content:
        bug = self.bug
        return Content.assemble(
            (f"#{bug.id} ", "bold"),
            (bug.priority.value if bug.priority else "untriaged", "bold $error"),
            "  ",
            shown_line(bug.title),
        )

    def privacy_changed(self) -> None:
        """Privacy mode turned on or off: title, facts and description drawn again, money
        fields as dots or figures."""
        self.query_one("#bug-title", Static).update(self._title())
        self.query_one("#bug-facts", Static).update(self._facts())
        for description in self.query("#bug-description").results(Static):
            description.update(Content(shown_text(self.bug.description)))
        mask_money_inputs(self)

    def values(self) -> dict[str, object]:
        data: dict[str, object] = self.bug.model_dump()
        if self.analysed:
            for name, _label, _kind in ANALYSIS_FIELDS:
                widget = self.query_one(f"#field-{name}")
                if isinstance(widget, TextArea):
                    data[name] = widget.text
                elif isinstance(widget, Input):
                    data[name] = widget.value
        data["security_flag"] = self.query_one("#field-security_flag", Select).value
        return data

    def action_save(self) -> None:
        try:
            bug = Bug.model_validate(self.values())
        except ValidationError as error:
            errors = field_errors(error)
            self._show_errors(errors)
            return
        if self.store is not None and bug != self.bug:
            try:
                self.store(self.bug, bug)
            except Exception as error:  # one transaction: nothing was stored
                if isinstance(error, StaleEditError) and isinstance(error.latest, Bug):
                    self.bug = error.latest  # what is typed now edits the latest
                self._show_errors({ROOT: refused_words(error)})
                return
        self.dismiss(bug)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for label in self.query(".field-error").results(Static):
            message = errors.get((label.id or "").removeprefix("error-"), "")
            label.update(Content(message))
            label.display = bool(message)
            if message and label.id == f"error-{ROOT}":
                label.scroll_visible()

    def on_mount(self) -> None:
        # Fields take their initial values while mounting (the Select's among them).
        self.call_after_refresh(self.remember_typed)

    def action_close(self) -> None:
        self.leave_unless_typed(lambda: self.dismiss(None))

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()
