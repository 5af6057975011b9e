"""A project's phase deep dive: the fields of its 4D phase and "CPTO input needed".

One builder for the portfolio's panel under the table and meeting mode's deep-dive
sections, so both say the same thing; every value from the workspace is cleaned and shown as
`Content`.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from opstui.domain.enums import Phase
from opstui.domain.models import Project
from opstui.widgets.privacy import PRIVACY, shown_line, shown_text


def phase_fields(project: Project) -> list[tuple[str, str]]:
    """The deep-dive fields of the project's phase, labelled, as text (customer names and
    money masked in privacy mode)."""
    phase = project.phase

    def text(value: object) -> str:
        if value is None or value == "":
            return "—"
        if hasattr(value, "value"):
            return str(value.value)
        return shown_text(str(value))

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
            {True: "Yes", False: "No"}.get(project.scope_finalised, "—")
            if project.scope_finalised is not None
            else "—"
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
            else "—"
        )
        return [
            ("Sprint progress", f"{sprint}, {project.progress:.0f}% complete"),
            ("Velocity trend", text(project.velocity_trend)),
            ("Quality gates", text(project.quality_gates)),
            ("Key blockers", text(project.key_blockers)),
            ("Customer feedback (beta)", text(project.beta_feedback)),
        ]
    arr = project.business_impact_arr
    impact = "—" if arr is None else PRIVACY.money(f"${arr:,.0f} ARR")
    return [
        ("Launch phase", text(project.launch_phase)),
        (
            "Customer adoption",
            "—"
            if project.adoption_pct is None
            else f"{project.adoption_pct:.0f}% of target customers",
        ),
        ("Business impact", impact),
        ("Customer satisfaction", text(project.satisfaction)),
        ("Support impact", text(project.support_impact)),
    ]


def project_deep_dive(
    project: Project,
    companies: Mapping[int, str],
    people: Mapping[int, str],
) -> Content:
    """The project's heading (company, owners, progress, status), its phase's fields and
    the CPTO input it needs."""
    owners = " + ".join(
        name
        for name in (people.get(project.pm_id or -1), people.get(project.lead_id or -1))
        if name
    )
    lines = [
        Content.assemble(
            (shown_line(project.name), "bold $accent"),
            f" — {shown_line(companies.get(project.company_id, ''))} — {shown_line(owners)}",
            f"   {project.progress:.0f}% · {project.status.value} · {project.phase.value}",
        )
    ]
    for label, value in phase_fields(project):
        lines.append(Content.assemble((f"  {label:<28}", "dim"), value))
    cpto = shown_text(project.cpto_input) or "—"
    lines.append(Content.assemble((f"  {'CPTO input needed':<28}", "bold $warning"), cpto))
    return Content("\n").join(lines)


class DeepDivePanel(Static):
    """The highlighted project's deep dive, under the portfolio table."""

    DEFAULT_CSS = """
    DeepDivePanel {
        height: auto;
        max-height: 12;
        padding: 0 1;
        border-top: solid $panel;
    }
    """

    def show(self, content: Content | None) -> None:
        self.update(content if content is not None else Content(""))
