"""The project form: every field, the deep dive of the project's phase, "CPTO input needed".

Validation is the `Project` model's: each error appears under its field, what the user
typed stays in place, and nothing is saved until the whole form is valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from opstui.domain.enums import (
    Feasibility,
    LaunchPhase,
    MarketValidation,
    Phase,
    ProjectStatus,
    QualityGates,
    RiskLevel,
    VelocityTrend,
)
from opstui.domain.models import Company, Person, Project
from opstui.modals.form_base import FormScreen

FieldKind = Literal["line", "text", "choice", "date", "number", "yes-no"]


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of the form: the model field it fills, its label and kind."""

    name: str
    label: str
    kind: FieldKind = "line"
    choices: tuple[tuple[str, Any], ...] = ()
    phase: Phase | None = None
    """The phase whose deep dive the field belongs to (None: always shown)."""
    required: bool = False


def _enum_choices(enum: type[StrEnum]) -> tuple[tuple[str, Any], ...]:
    return tuple((member.value, member) for member in enum)


_YES_NO = (("Yes", True), ("No", False))

DEEP_DIVE_FIELDS: tuple[FormField, ...] = (
    FormField("problem", "Problem being validated", "text", phase=Phase.DISCOVERY),
    FormField("interviews_done", "Customer interviews done", "number", phase=Phase.DISCOVERY),
    FormField("key_findings", "Key findings", "text", phase=Phase.DISCOVERY),
    FormField(
        "market_validation",
        "Market validation",
        "choice",
        _enum_choices(MarketValidation),
        phase=Phase.DISCOVERY,
    ),
    FormField("go_no_go_date", "Expected go/no-go date", "date", phase=Phase.DISCOVERY),
    FormField("scope_finalised", "Solution scope finalised", "yes-no", _YES_NO, Phase.DEFINITION),
    FormField("scope_remaining", "What remains of the scope", "text", phase=Phase.DEFINITION),
    FormField(
        "feasibility",
        "Technical feasibility",
        "choice",
        _enum_choices(Feasibility),
        phase=Phase.DEFINITION,
    ),
    FormField("resource_requirements", "Resource requirements", "text", phase=Phase.DEFINITION),
    FormField("dev_start_date", "Development start date", "date", phase=Phase.DEFINITION),
    FormField("sprint_current", "Sprint (current)", "number", phase=Phase.DEVELOPMENT),
    FormField("sprint_total", "Sprints in all", "number", phase=Phase.DEVELOPMENT),
    FormField(
        "velocity_trend",
        "Velocity trend",
        "choice",
        _enum_choices(VelocityTrend),
        phase=Phase.DEVELOPMENT,
    ),
    FormField(
        "quality_gates",
        "Quality gates",
        "choice",
        _enum_choices(QualityGates),
        phase=Phase.DEVELOPMENT,
    ),
    FormField("key_blockers", "Key blockers", "text", phase=Phase.DEVELOPMENT),
    FormField("beta_feedback", "Customer feedback from beta", "text", phase=Phase.DEVELOPMENT),
    FormField(
        "launch_phase",
        "Launch phase",
        "choice",
        _enum_choices(LaunchPhase),
        phase=Phase.DELIVERY,
    ),
    FormField("adoption_pct", "Adoption (% of target customers)", "number", phase=Phase.DELIVERY),
    FormField("business_impact_arr", "Business impact (ARR, $)", "number", phase=Phase.DELIVERY),
    FormField("satisfaction", "Customer satisfaction", "text", phase=Phase.DELIVERY),
    FormField("support_impact", "Support impact", "text", phase=Phase.DELIVERY),
)


class ProjectForm(FormScreen[Project]):
    """Create or edit a project. Returns the validated project, or None when cancelled."""

    def __init__(
        self,
        project: Project | None,
        companies: Sequence[Company],
        people: Sequence[Person],
    ) -> None:
        super().__init__()
        self.project = project
        self.fields: tuple[FormField, ...] = (
            FormField("name", "Project", required=True),
            FormField(
                "company_id",
                "Company",
                "choice",
                tuple((c.name, c.id) for c in companies),
                required=True,
            ),
            FormField("phase", "Phase", "choice", _enum_choices(Phase), required=True),
            FormField("progress", "Progress (%)", "number", required=True),
            FormField("status", "Status", "choice", _enum_choices(ProjectStatus), required=True),
            FormField("risk", "Risk", "choice", _enum_choices(RiskLevel), required=True),
            FormField("next_milestone", "Next milestone"),
            FormField("milestone_date", "Milestone date", "date"),
            FormField("completion_date", "Completion date", "date"),
            FormField("baseline_completion", "Baseline completion", "date"),
            FormField("pm_id", "Product manager", "choice", tuple((p.name, p.id) for p in people)),
            FormField(
                "lead_id", "Engineering lead", "choice", tuple((p.name, p.id) for p in people)
            ),
            FormField("cpto_input", "CPTO input needed", "text"),
            *DEEP_DIVE_FIELDS,
        )

    # -- building -----------------------------------------------------------------------------

    def _initial(self, field: FormField) -> Any:
        if self.project is None:
            defaults = {
                "phase": Phase.DISCOVERY,
                "status": ProjectStatus.ON_TRACK,
                "risk": RiskLevel.LOW,
                "progress": 0,
            }
            return defaults.get(field.name)
        return getattr(self.project, field.name)

    def _editor(self, field: FormField) -> Widget:
        value = self._initial(field)
        identifier = f"field-{field.name}"
        if field.kind in ("choice", "yes-no"):
            return Select(
                field.choices,
                value=value if value is not None else Select.NULL,
                allow_blank=not field.required,
                id=identifier,
            )
        if field.kind == "text":
            area = TextArea(value or "", id=identifier, soft_wrap=True, show_line_numbers=False)
            area.styles.height = 4
            return area
        placeholder = {"date": "YYYY-MM-DD", "number": "number"}.get(field.kind, "")
        shown = "" if value is None else str(value).removesuffix(".0")
        return Input(shown, placeholder=placeholder, id=identifier)

    def compose(self) -> ComposeResult:
        title = "New project" if self.project is None else f"Edit: {self.project.name}"
        with Vertical(id="form"):
            yield Static(Content(title), id="form-title")
            with VerticalScroll(id="form-fields"):
                for field in self.fields:
                    classes = "form-row"
                    if field.phase is not None:
                        classes += f" deep-dive deep-dive-{field.phase.name.lower()}"
                    with Vertical(classes=classes):
                        yield Label(Content(field.label + (" *" if field.required else "")))
                        yield self._editor(field)
                        yield Static("", id=f"error-{field.name}", classes="field-error")
                yield Static("", id="error-__root__", classes="field-error")
            with Horizontal(id="form-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self._show_deep_dive(self._phase())
        self.query_one("#field-name", Input).focus()

    # -- phase-dependent deep dive ------------------------------------------------------------

    def _phase(self) -> Phase:
        value = self.query_one("#field-phase", Select).value
        return value if isinstance(value, Phase) else Phase.DISCOVERY

    def _show_deep_dive(self, phase: Phase) -> None:
        for row in self.query(".deep-dive"):
            row.display = row.has_class(f"deep-dive-{phase.name.lower()}")

    @on(Select.Changed, "#field-phase")
    def _phase_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, Phase):
            self._show_deep_dive(event.value)

    # -- saving -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds, as the model's input (blank optional fields mean None)."""
        values: dict[str, Any] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                value = widget.value
                values[field.name] = None if value is Select.NULL else value
            elif isinstance(widget, TextArea):
                values[field.name] = widget.text
            elif isinstance(widget, Input):
                values[field.name] = widget.value
        if self.project is not None:
            values["id"] = self.project.id
            # Fields the form does not show are kept as they were.
            for name, value in self.project.model_dump().items():
                values.setdefault(name, value)
        return values

    def validated(self) -> Project:
        return Project.model_validate(self.values())
