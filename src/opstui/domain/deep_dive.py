"""A project's phase deep dive: the fields of its 4D phase and "CPTO input needed".

One rule for the portfolio's panel under the table, meeting mode's deep-dive sections and
the pre-read's deep dives, so all three say the same thing. Values are plain, cleaned text;
how money reads (shown or masked) is the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from opstui.domain.enums import Phase
from opstui.domain.models import Project
from opstui.domain.text import clean_text

MISSING = "—"
"""What a deep-dive field shows when nothing is recorded."""

MASK_MONEY = "$•••"
"""What privacy mode shows for an amount of money."""


def shown_money(value: float) -> str:
    """A business impact as the deep dive shows it: "$180,000 ARR"."""
    return f"${value:,.0f} ARR"


def masked_money(_value: float) -> str:
    """A business impact hidden, for privacy mode."""
    return MASK_MONEY


def phase_fields(
    project: Project, money: Callable[[float], str] = shown_money
) -> list[tuple[str, str]]:
    """The deep-dive fields of the project's phase, labelled, as text; `money` writes the
    business impact (`masked_money` hides it)."""
    phase = project.phase

    def text(value: object) -> str:
        if value is None or value == "":
            return MISSING
        if hasattr(value, "value"):
            return str(value.value)
        return clean_text(str(value))

    if phase is Phase.DISCOVERY:
        return [
            ("Problem being validated", text(project.problem)),
            (
                "Customer interviews",
                f"{text(project.interviews_done)} done; {text(project.key_findings)}",
            ),
            ("Market validation", text(project.market_validation)),
            ("Expected go/no-go", text(project.go_no_go_date)),
        ]
    if phase is Phase.DEFINITION:
        scope = (
            {True: "Yes", False: "No"}.get(project.scope_finalised, MISSING)
            if project.scope_finalised is not None
            else MISSING
        )
        return [
            (
                "Scope finalised",
                f"{scope} {text(project.scope_remaining)}".strip()
                if project.scope_remaining
                else scope,
            ),
            ("Technical feasibility", text(project.feasibility)),
            ("Resource requirements", text(project.resource_requirements)),
            ("Development start", text(project.dev_start_date)),
        ]
    if phase is Phase.DEVELOPMENT:
        sprint = (
            f"Sprint {project.sprint_current} of {project.sprint_total}"
            if project.sprint_current and project.sprint_total
            else MISSING
        )
        return [
            ("Sprint progress", f"{sprint}, {project.progress:.0f}% complete"),
            ("Velocity trend", text(project.velocity_trend)),
            ("Quality gates", text(project.quality_gates)),
            ("Key blockers", text(project.key_blockers)),
            ("Customer feedback (beta)", text(project.beta_feedback)),
        ]
    arr = project.business_impact_arr
    return [
        ("Launch phase", text(project.launch_phase)),
        (
            "Customer adoption",
            MISSING
            if project.adoption_pct is None
            else f"{project.adoption_pct:.0f}% of target customers",
        ),
        ("Business impact", MISSING if arr is None else money(arr)),
        ("Customer satisfaction", text(project.satisfaction)),
        ("Support impact", text(project.support_impact)),
    ]


@dataclass(frozen=True, slots=True)
class DeepDive:
    """One project's deep dive, as every view of it shows it."""

    project: Project
    company: str
    owners: str
    """The product manager and engineering lead, "Ana Ruiz + Kenji Sato"."""
    fields: tuple[tuple[str, str], ...]
    cpto_input: str
    """What the CPTO is asked for; "" when nothing."""


def deep_dive(
    project: Project,
    companies: Mapping[int, str],
    people: Mapping[int, str],
    money: Callable[[float], str] = shown_money,
) -> DeepDive:
    """The project's deep dive: its company, owners, phase fields and CPTO input."""
    owners = " + ".join(
        name
        for name in (people.get(project.pm_id or -1), people.get(project.lead_id or -1))
        if name
    )
    return DeepDive(
        project=project,
        company=companies.get(project.company_id, ""),
        owners=owners,
        fields=tuple(phase_fields(project, money)),
        cpto_input=clean_text(project.cpto_input),
    )


def phase_deep_dives(
    projects: Iterable[Project],
    phase: Phase,
    companies: Mapping[int, str],
    people: Mapping[int, str],
    money: Callable[[float], str] = shown_money,
) -> list[DeepDive]:
    """The deep dives of every project in `phase`, by name: one agenda section's."""
    chosen = sorted((p for p in projects if p.phase is phase), key=lambda p: p.name.casefold())
    return [deep_dive(project, companies, people, money) for project in chosen]
