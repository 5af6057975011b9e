"""The project form: every field, the deep dive of the project's phase, "CPTO input needed".

Validation is the `Project` model's: each error appears under its field, what the user
typed stays in place, and nothing is saved until the whole form is valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Literal

from textual import on
from textual.widgets import Input, Select

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
from opstui.domain.history import Change
from opstui.domain.models import Company, Person, Product, Project
from opstui.domain.records import choosable
from opstui.modals.model_form import Field, ModelForm

FieldKind = Literal["line", "text", "choice", "date", "number", "yes-no"]
"""How a deep-dive field is typed: dates and numbers are lines with a hint."""


def _enum_choices(enum: type[StrEnum]) -> tuple[tuple[str, Any], ...]:
    return tuple((member.value, member) for member in enum)


_YES_NO = (("Yes", True), ("No", False))


def _deep(
    name: str,
    label: str,
    kind: FieldKind = "line",
    choices: tuple[tuple[str, Any], ...] = (),
    phase: Phase = Phase.DISCOVERY,
) -> Field:
    """A deep-dive field: shown only while the project is in `phase`."""
    hints = {"date": "YYYY-MM-DD", "number": "number"}
    return Field(
        name,
        label,
        "choice" if kind in ("choice", "yes-no") else "text" if kind == "text" else "line",
        choices,
        hint=hints.get(kind, ""),
        row_classes=f"deep-dive deep-dive-{phase.name.lower()}",
    )


DEEP_DIVE_FIELDS: tuple[Field, ...] = (
    _deep("problem", "Problem being validated", "text", phase=Phase.DISCOVERY),
    _deep("interviews_done", "Customer interviews done", "number", phase=Phase.DISCOVERY),
    _deep("key_findings", "Key findings", "text", phase=Phase.DISCOVERY),
    _deep(
        "market_validation",
        "Market validation",
        "choice",
        _enum_choices(MarketValidation),
        phase=Phase.DISCOVERY,
    ),
    _deep("go_no_go_date", "Expected go/no-go date", "date", phase=Phase.DISCOVERY),
    _deep("scope_finalised", "Solution scope finalised", "yes-no", _YES_NO, Phase.DEFINITION),
    _deep("scope_remaining", "What remains of the scope", "text", phase=Phase.DEFINITION),
    _deep(
        "feasibility",
        "Technical feasibility",
        "choice",
        _enum_choices(Feasibility),
        phase=Phase.DEFINITION,
    ),
    _deep("resource_requirements", "Resource requirements", "text", phase=Phase.DEFINITION),
    _deep("dev_start_date", "Development start date", "date", phase=Phase.DEFINITION),
    _deep("sprint_current", "Sprint (current)", "number", phase=Phase.DEVELOPMENT),
    _deep("sprint_total", "Sprints in all", "number", phase=Phase.DEVELOPMENT),
    _deep(
        "velocity_trend",
        "Velocity trend",
        "choice",
        _enum_choices(VelocityTrend),
        phase=Phase.DEVELOPMENT,
    ),
    _deep(
        "quality_gates",
        "Quality gates",
        "choice",
        _enum_choices(QualityGates),
        phase=Phase.DEVELOPMENT,
    ),
    _deep("key_blockers", "Key blockers", "text", phase=Phase.DEVELOPMENT),
    _deep("beta_feedback", "Customer feedback from beta", "text", phase=Phase.DEVELOPMENT),
    _deep(
        "launch_phase",
        "Launch phase",
        "choice",
        _enum_choices(LaunchPhase),
        phase=Phase.DELIVERY,
    ),
    _deep("adoption_pct", "Adoption (% of target customers)", "number", phase=Phase.DELIVERY),
    _deep("business_impact_arr", "Business impact (ARR, $)", "number", phase=Phase.DELIVERY),
    _deep("satisfaction", "Customer satisfaction", "text", phase=Phase.DELIVERY),
    _deep("support_impact", "Support impact", "text", phase=Phase.DELIVERY),
)


class ProjectForm(ModelForm[Project]):
    """Create or edit a project. Returns the validated project, or None when cancelled."""

    def __init__(
        self,
        project: Project | None,
        companies: Sequence[Company],
        people: Sequence[Person],
        products: Sequence[Product] = (),
        *,
        history: Sequence[Change] | None = None,
    ) -> None:
        # Retired companies and people are not offered, unless the project names them.
        company_names = {c.id: c.name for c in companies}
        companies = choosable(companies, project.company_id if project else None)
        people = choosable(people, *((project.pm_id, project.lead_id) if project else ()))
        products = choosable(products, project.product_id if project else None)
        self.product_company = {p.id: p.company_id for p in products}
        """Which company each offered product belongs to (checked on save)."""
        fields = (
            Field("name", "Project", required=True),
            Field(
                "company_id",
                "Company",
                "choice",
                tuple((c.name, c.id) for c in companies),
                required=True,
            ),
            Field(
                "product_id",
                "Product",
                "choice",
                tuple(
                    (f"{p.name} · {company_names.get(p.company_id, '')}", p.id) for p in products
                ),
            ),
            Field("phase", "Phase", "choice", _enum_choices(Phase), required=True),
            Field("progress", "Progress (%)", hint="number", required=True),
            Field("status", "Status", "choice", _enum_choices(ProjectStatus), required=True),
            Field("risk", "Risk", "choice", _enum_choices(RiskLevel), required=True),
            Field("next_milestone", "Next milestone"),
            Field("milestone_date", "Milestone date", hint="YYYY-MM-DD"),
            Field("completion_date", "Completion date", hint="YYYY-MM-DD"),
            Field("baseline_completion", "Baseline completion", hint="YYYY-MM-DD"),
            Field("pm_id", "Product manager", "choice", tuple((p.name, p.id) for p in people)),
            Field("lead_id", "Engineering lead", "choice", tuple((p.name, p.id) for p in people)),
            Field("cpto_input", "CPTO input needed", "text"),
            *DEEP_DIVE_FIELDS,
        )
        if project is None:
            title = "New project"
            values: dict[str, Any] = {
                "phase": Phase.DISCOVERY,
                "status": ProjectStatus.ON_TRACK,
                "risk": RiskLevel.LOW,
                "progress": 0,
            }
        else:
            title = f"Edit: {project.name}"
            values = project.model_dump()
        # Fields the form does not show (the id, the product) are kept as they were.
        problems = project.row_problems if project is not None else None
        super().__init__(
            title,
            Project,
            fields,
            values,
            fixed=dict(values),
            problems=problems,
            history=history if project is not None else None,
        )
        self.project = project

    def accept(self, value: Project) -> Project | None:
        owner = self.product_company.get(value.product_id) if value.product_id else None
        if owner is not None and owner != value.company_id:
            self.show_errors({"product_id": "This product belongs to another company"})
            return None
        return value

    def on_mount(self) -> None:
        self._show_deep_dive(self._phase())
        self.set_focus(self.query_one("#field-name", Input))

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
