"""A form for one model: a field per attribute, validated by the model on save.

Errors appear under their fields, what the user typed stays, nothing is returned until the
whole form validates. Used for action items, decisions and the week's KPIs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from opstui.domain.history import Change
from opstui.domain.models import Model
from opstui.modals.form_base import FormScreen
from opstui.widgets.data_select import DataSelect
from opstui.widgets.history_view import HistoryView
from opstui.widgets.privacy import MONEY_FIELDS, PRIVACY

M = TypeVar("M", bound=Model)

Kind = Literal["line", "text", "choice"]


@dataclass(frozen=True, slots=True)
class Field:
    """One form field: the model attribute, its label, and how it is edited."""

    name: str
    label: str
    kind: Kind = "line"
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = False
    hint: str = ""
    row_classes: str = ""
    """Extra CSS classes of the field's row (forms show or hide groups of rows by them)."""


class ModelForm(FormScreen[M], Generic[M]):
    """Edit `model_type` fields; returns a validated model, or None when cancelled."""

    DEFAULT_CSS = """
    ModelForm { align: center middle; }
    ModelForm #form { width: 84; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; }
    ModelForm #form-title { text-style: bold; padding: 0 1; height: 1; }
    ModelForm #form-fields { height: auto; max-height: 100%; padding: 0 1; }
    ModelForm .form-row { height: auto; }
    ModelForm .form-section { text-style: bold; color: $text-accent; margin-top: 1; }
    ModelForm .field-error { color: $error; text-style: bold; display: none; height: auto; }
    ModelForm #form-buttons { height: auto; align-horizontal: right; padding: 0 1; }
    ModelForm #form-buttons Button { margin-left: 2; }
    """

    def __init__(
        self,
        title: str,
        model_type: type[M],
        fields: Sequence[Field],
        values: dict[str, Any],
        fixed: dict[str, Any] | None = None,
        problems: Mapping[str, str] | None = None,
        history: Sequence[Change] | None = None,
    ) -> None:
        super().__init__()
        self.history = history
        """The record's recorded changes, shown under its fields (None: a new record)."""
        self.title_text = title
        self.model_type = model_type
        self.fields = tuple(fields)
        self.problems = dict(problems or {})
        """What was wrong with the stored row, by field (`Model.row_problems`): said under
        the field, whose stand-in value is not offered as if it were data."""
        self.initial = {
            name: None if name in self.problems else value for name, value in values.items()
        }
        self.fixed = fixed or {}
        """Values the form does not show but the model needs (id, week…)."""

    def _editor(self, field: Field) -> Widget:
        value = self.initial.get(field.name)
        ident = f"field-{field.name}"
        if field.kind == "choice":
            known = any(choice == value for _, choice in field.choices)
            return DataSelect(
                field.choices,
                value=value if value is not None and known else Select.NULL,
                allow_blank=not field.required,
                id=ident,
            )
        if field.kind == "text":
            area = TextArea(str(value or ""), id=ident, soft_wrap=True)
            area.styles.height = 4
            return area
        shown = "" if value is None else str(value)
        if shown.endswith(".0"):
            shown = shown[:-2]
        hidden = PRIVACY.active and field.name in MONEY_FIELDS
        return Input(shown, placeholder=field.hint, id=ident, password=hidden)

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content(self.title_text), id="form-title")
            with VerticalScroll(id="form-fields"):
                for field in self.fields:
                    with Vertical(classes=f"form-row {field.row_classes}".strip()):
                        yield Label(Content(field.label + (" *" if field.required else "")))
                        yield self._editor(field)
                        yield self._stored_problem(field.name, self.problems.get(field.name))
                yield Static("", id="error-__root__", classes="field-error")
                if self.history is not None:
                    yield Static(Content("History"), classes="form-section")
                    yield HistoryView(self.history)
            with Horizontal(id="form-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    @staticmethod
    def _stored_problem(name: str, problem: str | None) -> Static:
        """A field's error line, saying what was wrong with its stored value, if anything."""
        text = f"As stored: {problem}. Saving replaces it." if problem else ""
        label = Static(Content(text), id=f"error-{name}", classes="field-error")
        label.display = problem is not None
        return label

    def on_mount(self) -> None:
        first = self.query(".form-row").first().children[1]
        self.set_focus(first)

    def values(self) -> dict[str, Any]:
        values = dict(self.fixed)
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                values[field.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, TextArea):
                values[field.name] = widget.text
            elif isinstance(widget, Input):
                values[field.name] = widget.value
        return values

    def validated(self) -> M:
        return self.model_type.model_validate(self.values())
