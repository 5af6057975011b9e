"""The review week as a GitHub-flavoured Markdown document: the pre-read and the summary.

Sections follow the Monday review: the Friday pre-read, portfolio by 4D phase, the weekly
metrics summary, bug status by company, the P0/P1 analysis, customer health, feature
requests, action items, decisions, escalations, the KPI dashboard, risks and what changed
since last week. Every piece of data goes through `escape.inline`, so whatever the
workspace holds the document keeps its structure; the output depends on the snapshots
alone (same data, same bytes).
"""

from __future__ import annotations

from opstui.domain.bugs import trend
from opstui.domain.diff import week_diff
from opstui.domain.enums import Phase, Priority, ProjectStatus
from opstui.domain.portfolio import SLIP_ESCALATION_DAYS
from opstui.domain.snapshot import CriticalBugFigure, ProjectFigure, SnapshotData
from opstui.export.agenda import (
    render_action_items,
    render_decisions,
    render_escalations,
    render_risks,
)
from opstui.export.changes import render_changes
from opstui.export.context import REDACTED_NOTE, WeekContext, redacted_context, week_span
from opstui.export.customers import render_customers, render_requests
from opstui.export.escape import bullets, heading, inline, table
from opstui.export.kpis import render_kpis
from opstui.export.numbers import (
    MISSING,
    day_month,
    full_date,
    month_day,
    number,
    percent,
    rounded_percent,
    versus,
)
from opstui.export.submissions import render_submissions


def render_week(
    snapshot: SnapshotData, previous: SnapshotData | None, *, redact: bool = False
) -> str:
    """The week's review document, compared with `previous` where it is given.

    `redact` masks customer names ("Customer 1", … one number per customer, in name
    order) and every money figure, everywhere, for sharing outside the team.
    """
    return "\n\n".join(week_blocks(redacted_context(snapshot, previous, redact=redact))) + "\n"


def week_blocks(week: WeekContext) -> list[str]:
    """The review document's blocks (the pre-read adds its own after them)."""
    snapshot = week.snapshot
    return [
        *_title(week),
        *render_submissions(week),
        *_portfolio(week),
        *_metrics(week),
        *_bug_status(week),
        *_critical_bugs(week),
        *render_customers(week),
        *render_requests(week),
        *render_action_items(week),
        *render_decisions(week),
        *render_escalations(week),
        *render_kpis(week),
        *render_risks(week),
        *render_changes(week_diff(snapshot, week.previous), week),
    ]


def _title(week: WeekContext) -> list[str]:
    snapshot = week.snapshot
    lines = [heading(1, f"Weekly product operations review — {snapshot.week}")]
    compared = (
        "no earlier snapshot to compare with."
        if week.previous_week is None
        else f"compared with the {week.previous_week} snapshot."
    )
    intro = f"{week_span(week)}. Figures as of {full_date(snapshot.taken_on)}; {compared}"
    if week.redact.active:
        intro += REDACTED_NOTE
    lines.append(intro)
    return lines


def _milestone(project: ProjectFigure, week: WeekContext) -> str:
    name, year = inline(week.redact.text(project.next_milestone)), week.year
    if project.milestone_date is None:
        return name or MISSING
    when = month_day(project.milestone_date, year)
    return f"{name} ({when})" if name else when


def _portfolio(week: WeekContext) -> list[str]:
    snapshot = week.snapshot
    blocks = [heading(2, "Portfolio health by phase")]
    by_phase = [
        (
            phase,
            sum(1 for p in snapshot.projects if p.phase is phase),
            sum(
                1
                for p in snapshot.projects
                if p.phase is phase and p.status is ProjectStatus.ON_TRACK
            ),
        )
        for phase in Phase
    ]
    previous_on_track = None if week.previous is None else week.previous.on_track
    phases = " · ".join(f"{phase.value} {on}/{total}" for phase, total, on in by_phase)
    blocks.append(
        f"**On track: {snapshot.on_track} / {snapshot.total_projects}**"
        f"{versus(snapshot.on_track, previous_on_track, week.previous_week)} · {phases}"
    )
    if not snapshot.projects:
        blocks.append("No projects.")
        return blocks
    order = {phase: index for index, phase in enumerate(Phase)}
    projects = sorted(snapshot.projects, key=lambda p: order[p.phase])  # stable: keeps names
    blocks.append(
        table(
            (
                "Project",
                "Phase",
                "Progress",
                "Status",
                "Next Milestone",
                "Risk Level",
                "Completion Date",
            ),
            [
                (
                    inline(week.redact.text(project.name)),
                    project.phase.value,
                    percent(project.progress),
                    project.status.value,
                    _milestone(project, week),
                    project.risk.value,
                    day_month(project.completion_date, week.year),
                )
                for project in projects
            ],
        )
    )
    return blocks


def _over_target(snapshot: SnapshotData, priority: Priority) -> str:
    over = [
        inline(row.company)
        for row in snapshot.company_bug_rows()
        if snapshot.targets.over_target(priority, getattr(row, priority.value.lower()))
    ]
    return f"; over in {', '.join(over)}" if over else ""


def _weeks(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f} weeks"


def _metrics(week: WeekContext) -> list[str]:
    snapshot, previous = week.snapshot, week.previous
    averages = ", ".join(
        f"{phase.value} {_weeks(snapshot.avg_weeks_per_phase.get(phase))}" for phase in Phase
    )
    slipping = sum(1 for p in snapshot.projects if (p.slip_days or 0) > SLIP_ESCALATION_DAYS)
    previous_on_track = None if previous is None else previous.on_track
    delivery = [
        f"Projects on track: {snapshot.on_track} / {snapshot.total_projects}"
        f"{versus(snapshot.on_track, previous_on_track, week.previous_week)}",
        f"Average time per phase: {averages}",
        f"Projects slipping more than a week: {slipping}",
    ]
    total = snapshot.bug_total()
    targets = snapshot.targets
    limits = {
        Priority.P0: f"target: {targets.p0_max} per company",
        Priority.P1: f"target: under {targets.p1_below} per company",
        Priority.P2: f"target: under {targets.p2_below} per company",
    }
    quality = [
        f"{priority.value} bugs: "
        f"{MISSING if total is None else getattr(total, priority.value.lower())} "
        f"({limit}{_over_target(snapshot, priority)})"
        for priority, limit in limits.items()
    ]
    days = None if total is None else total.avg_resolution_days
    previous_total = None if previous is None else previous.bug_total()
    previous_days = None if previous_total is None else previous_total.avg_resolution_days
    quality.append(
        "Average bug resolution time: "
        + (MISSING if days is None else f"{number(days)} days")
        + versus(days, previous_days, week.previous_week, higher_is_better=False, tolerance=0.5)
    )
    return [
        heading(2, "Weekly metrics summary"),
        "**Delivery velocity**",
        bullets(delivery),
        "**Quality metrics**",
        bullets(quality),
    ]


def _bug_status(week: WeekContext) -> list[str]:
    snapshot = week.snapshot
    blocks = [heading(2, "Bug status by company")]
    rows = snapshot.company_bug_rows()
    total = snapshot.bug_total()
    if not rows and total is None:
        return [*blocks, "No bug figures."]
    previous_rates: dict[str, float | None] = {}
    previous_total_rate = None
    if week.previous is not None:
        previous_rates = {r.company: r.resolution_rate for r in week.previous.company_bug_rows()}
        previous_total = week.previous.bug_total()
        previous_total_rate = None if previous_total is None else previous_total.resolution_rate

    def arrow(rate: float | None, before: float | None) -> str:
        direction = trend(rate, before)
        return MISSING if direction is None else direction.value

    cells = [
        [
            inline(row.company),
            str(row.p0),
            str(row.p1),
            str(row.p2),
            rounded_percent(row.resolution_rate),
            arrow(row.resolution_rate, previous_rates.get(row.company)),
        ]
        for row in rows
    ]
    if total is not None:
        cells.append(
            [
                f"**{value}**"
                for value in (
                    "Total",
                    str(total.p0),
                    str(total.p1),
                    str(total.p2),
                    rounded_percent(total.resolution_rate),
                    arrow(total.resolution_rate, previous_total_rate),
                )
            ]
        )
    blocks.append(
        table(("Company", "P0 Bugs", "P1 Bugs", "P2 Bugs", "Resolution Rate", "Trend"), cells)
    )
    if total is not None:
        compared = (
            ""
            if week.previous_week is None
            else f"; the trend compares it with {week.previous_week}"
        )
        blocks.append(
            f"Also open: {total.p3} P3 and {total.untriaged} untriaged. Resolution rate: the "
            f"share of non-duplicate bugs opened in the last "
            f"{snapshot.targets.resolution_window_days} days that are resolved or closed"
            f"{compared}."
        )
    return blocks


def _critical_bug(bug: CriticalBugFigure, week: WeekContext) -> list[str]:
    redact = week.redact
    facts = [
        inline(bug.company) or MISSING,
        bug.status.value,
        f"opened {day_month(bug.opened_at.date(), week.year)}",
    ]
    if bug.security_flag:
        facts.append("security/compliance flag")
    impact = []
    if bug.customers_affected is not None:
        noun = "customer" if bug.customers_affected == 1 else "customers"
        impact.append(f"{number(bug.customers_affected)} {noun} affected")
    if bug.revenue_impact is not None:
        impact.append(f"{redact.money(bug.revenue_impact)} revenue impact")
    fix = (
        MISSING
        if bug.expected_fix_date is None
        else f"expected fix {day_month(bug.expected_fix_date, week.year)}"
    )
    return [
        f"**{inline(redact.text(bug.title)) or MISSING}** · {' · '.join(facts)}",
        bullets(
            [
                f"**Customer impact:** {', '.join(impact) or MISSING}",
                f"**Root cause:** {inline(redact.text(bug.root_cause)) or MISSING}",
                f"**Resolution timeline:** {fix}",
                f"**Prevention measures:** {inline(redact.text(bug.prevention)) or MISSING}",
            ]
        ),
    ]


def _critical_bugs(week: WeekContext) -> list[str]:
    blocks = [heading(2, "P0 and P1 analysis")]
    for priority, title in ((Priority.P0, "Critical P0 bugs"), (Priority.P1, "Important P1 bugs")):
        bugs = [bug for bug in week.snapshot.critical_bugs if bug.priority is priority]
        blocks.append(heading(3, f"{title} ({len(bugs)})"))
        if not bugs:
            blocks.append(f"No open {priority.value} bugs.")
        for bug in bugs:
            blocks.extend(_critical_bug(bug, week))
    return blocks
