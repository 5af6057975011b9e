"""Rows and text of the weekly screen: the checklist, action items, decisions, escalations,
KPIs and risks. Everything from the workspace is shown as text (`text_cell`, `Content`);
an empty list says what is missing and which key adds it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from textual.content import Content

from opstui.domain.diff import week_diff
from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    DecisionKind,
    PrereadStatus,
    RiskStatus,
)
from opstui.domain.escalations import Escalation
from opstui.domain.history import PersonChanges, person_changes_words
from opstui.domain.models import ActionItem, Decision, Kpis
from opstui.domain.review import (
    AGENDA,
    AGENDA_MINUTES,
    FOLLOW_UPS,
    PrereadRow,
    PrereadSummary,
    decision_overdue,
    follow_up_date,
    is_overdue,
)
from opstui.domain.snapshot import COMPUTED_MARK, ComputedKpisFigure, RiskFigure, SnapshotData
from opstui.widgets.customer_cells import nps_value
from opstui.widgets.privacy import MONEY_FIELDS, PRIVACY, shown_line
from opstui.widgets.problem_marks import mark_problems
from opstui.widgets.trend import sparkline_content
from opstui.widgets.virtual_table import Column, Row, text_cell

CHECKLIST_COLUMNS = (
    Column("item", "Checklist", 30, min_width=20),
    Column("role", "Role / when", 18),
    Column("status", "Status", 16),
    Column("detail", "Detail", 50, min_width=20),
)
ACTION_COLUMNS = (
    Column("what", "Action item", 40, min_width=20),
    Column("owner", "Owner", 16),
    Column("due", "Due", 10),
    Column("company", "Company", 13),
    Column("priority", "Pri", 3),
    Column("status", "Status", 11),
    Column("week", "From", 9),
)
DECISION_COLUMNS = (
    Column("what", "Decision", 42, min_width=20),
    Column("kind", "Kind", 10),
    Column("category", "Category", 24),
    Column("raised", "Raised", 11),
    Column("due", "Due / decided", 22),
)
ESCALATION_COLUMNS = (
    Column("trigger", "Trigger", 30),
    Column("title", "What", 44, min_width=20),
    Column("detail", "Detail", 40, min_width=16),
)
RISK_COLUMNS = (
    Column("risk", "Risk", 34, min_width=20),
    Column("owner", "Owner", 16),
    Column("status", "Status", 10),
    Column("mitigation", "Mitigation", 30, min_width=16),
    Column("project", "Project", 18),
    Column("company", "Company", 13),
)
RISK_STYLES = {
    RiskStatus.OPEN: "bold $warning",
    RiskStatus.MITIGATING: "$accent",
    RiskStatus.CLOSED: "$success",
}


def empty_row(text: str) -> Row:
    """The one line an empty list shows: what is missing, and which key adds it."""
    return Row("empty", (Content.styled(text, "dim"),), group=True)


PRIORITY_STYLES = {
    ActionPriority.HIGH: "bold $error",
    ActionPriority.MEDIUM: "$warning",
    ActionPriority.LOW: "dim",
}


def _when(moment: datetime) -> str:
    return f"{moment:%a %H:%M}"


STATUS_STYLES = {
    "missing": "bold $error",
    "draft": "$warning",
    "submitted": "$accent",
    "late": "bold $warning",
    "returned": "bold $warning",
    "accepted": "$success",
}
"""How each pre-read status is drawn (here and in the pre-read view)."""


def preread_status_cell(row: PrereadRow) -> Content:
    """A person's pre-read state as the checklist shows it."""
    status = row.status
    marks = {"accepted": "✔ ", "missing": "✗ ", "returned": "↩ "}
    text = marks.get(status.value, "") + status.value
    if row.late and status.value != "late":
        text += " · late"
    return Content.styled(text, STATUS_STYLES[status.value])


def _preread_detail(row: PrereadRow) -> str:
    submission = row.submission
    if submission is None:
        return "not started"
    if submission.state.value == "returned":
        return f"returned by {row.reviewer or 'the director'}: {submission.comment}"
    if submission.state.value == "accepted":
        when = f" {_when(submission.reviewed_at)}" if submission.reviewed_at else ""
        return f"accepted by {row.reviewer or 'the director'}{when}"
    if submission.submitted_at is not None and submission.state.value == "submitted":
        return f"submitted {_when(submission.submitted_at)} · awaiting the director"
    written = sum(1 for part in row.parts if submission.text_of(part).strip())
    return f"draft: {written}/{len(row.parts)} parts written"


def preread_summary_content(summary: PrereadSummary) -> Content:
    """The week's pre-read in one line (meeting mode's opening section)."""
    if not summary.rows:
        return Content.styled("Friday pre-read: nobody owes one yet", "dim")
    counts = [
        (status, summary.count(status))
        for status in (
            PrereadStatus.SUBMITTED,
            PrereadStatus.LATE,
            PrereadStatus.RETURNED,
            PrereadStatus.DRAFT,
            PrereadStatus.MISSING,
        )
    ]
    parts: list[Content | str | tuple[str, str]] = [
        ("Friday pre-read  ", "bold"),
        (f"{summary.accepted}/{len(summary.rows)} accepted", STATUS_STYLES["accepted"]),
    ]
    for status, count in counts:
        if count:
            parts.extend((" · ", (f"{count} {status.value}", STATUS_STYLES[status.value])))
    return Content.assemble(*parts)


def checklist_rows(
    week: str,
    summary: PrereadSummary,
    follow_ups: Mapping[str, datetime],
) -> list[Row]:
    """The pre-read (one row per person), the director's review, follow-ups, the agenda."""
    rows = [
        Row(
            "group:preread",
            (
                Content.assemble(
                    ("Friday pre-read", "bold"),
                    (
                        f"  {summary.handed_in} of {len(summary.rows)} submitted · "
                        f"{summary.accepted} accepted · {summary.late} late · "
                        f"due {summary.deadline:%a %b %d %H:%M}",
                        "dim",
                    ),
                ),
            ),
            group=True,
        )
    ]
    if not summary.rows:
        rows.append(
            empty_row(
                "  No product managers or engineering leads yet: add people on the setup "
                "screen (5); each owes the pre-read"
            )
        )
    for preread in summary.rows:
        person = preread.person
        rows.append(
            Row(
                f"person:{person.id}",
                (
                    text_cell(person.name),
                    Content(person.role.value),
                    preread_status_cell(preread),
                    text_cell(_preread_detail(preread)),
                ),
            )
        )
    waiting = summary.count(PrereadStatus.SUBMITTED, PrereadStatus.LATE)
    rows.append(
        Row(
            "director",
            (
                Content("Director review"),
                Content(f"{summary.accepted}/{len(summary.rows)} accepted"),
                Content.styled(f"{waiting} to review", "bold $warning")
                if waiting
                else Content.styled("nothing to review", "dim"),
                Content.styled(
                    "on a person: enter reads · A accepts · R returns · S your own", "dim"
                ),
            ),
        )
    )
    rows.append(Row("group:followups", (Content.styled("Follow-ups", "bold"),), group=True))
    for day, offset, what in FOLLOW_UPS:
        done = follow_ups.get(day)
        rows.append(
            Row(
                f"followup:{day}",
                (
                    Content(day),
                    Content(f"{follow_up_date(week, offset):%b %d}"),
                    Content.styled(f"✔ {_when(done)}", "$success") if done else Content("☐ open"),
                    Content(what),
                ),
            )
        )
    rows.append(
        Row(
            "group:agenda",
            (
                Content.assemble(
                    ("Monday agenda", "bold"), (f"  {AGENDA_MINUTES} min · m meeting mode", "dim")
                ),
            ),
            group=True,
        )
    )
    for section in AGENDA:
        rows.append(
            Row(
                f"agenda:{section.key}",
                (
                    Content(section.title),
                    Content(f"{section.minutes} min"),
                    Content(""),
                    Content(""),
                ),
            )
        )
    return rows


def action_rows(
    items: Sequence[ActionItem],
    week: str,
    today: date,
    people: Mapping[int, str],
    companies: Mapping[int, str],
) -> list[Row]:
    rows = []
    for item in items:
        overdue = is_overdue(item, today)
        done = item.status is ActionStatus.COMPLETE
        carried = item.week < week
        rows.append(
            Row(
                f"action:{item.id}",
                (
                    text_cell(item.what),
                    text_cell(people.get(item.owner_id or -1, "")),
                    Content.styled(
                        "" if item.due_date is None else item.due_date.isoformat(),
                        "bold $error reverse" if overdue else "",
                    ),
                    text_cell(
                        companies.get(item.company_id, "") if item.company_id else "Cross-company"
                    ),
                    Content.styled(item.priority.value, PRIORITY_STYLES[item.priority]),
                    Content.styled(
                        "Overdue" if overdue else item.status.value,
                        "bold $error" if overdue else ("$success" if done else ""),
                    ),
                    Content.styled(
                        f"↪ {item.week}" if carried else item.week, "$accent" if carried else "dim"
                    ),
                ),
                style="dim" if done else "",
            )
        )
        rows[-1] = mark_problems(rows[-1], item.row_problems, ACTION_COLUMNS)
    return rows or [empty_row(f"No action items for {week} yet — n adds one")]


def decision_rows(decisions: Sequence[Decision], now: datetime) -> list[Row]:
    rows = []
    for decision in decisions:
        overdue = decision_overdue(decision, now)
        if decision.decided_at is not None:
            due = Content.styled(f"decided {decision.decided_at:%b %d %H:%M}", "$success")
        elif decision.kind is DecisionKind.FOLLOW_UP:
            due = Content.styled(
                f"{'OVERDUE ' if overdue else 'due '}{decision.due_at:%b %d %H:%M}",
                "bold $error" if overdue else "$warning",
            )
        else:
            due = Content.styled("in the meeting", "$warning")
        rows.append(
            Row(
                f"decision:{decision.id}",
                (
                    text_cell(decision.what),
                    Content(decision.kind.value),
                    Content(decision.category.value),
                    Content(f"{decision.raised_at:%b %d %H:%M}"),
                    due,
                ),
            )
        )
        rows[-1] = mark_problems(rows[-1], decision.row_problems, DECISION_COLUMNS)
    return rows or [empty_row("No decisions on this week's agenda — n logs one")]


def escalation_rows(escalations: Sequence[Escalation]) -> list[Row]:
    rows = []
    for item in escalations:
        rows.append(
            Row(
                f"{item.kind}:{item.target_id}:{item.trigger.name}",
                (
                    Content.styled(item.trigger.value, "bold $error"),
                    text_cell(
                        PRIVACY.customer(item.title, item.target_id)
                        if item.kind == "customer"
                        else item.title
                    ),
                    text_cell(item.detail),
                ),
            )
        )
    return rows or [
        empty_row(
            "Nothing escalated: no open P0/P1 or security-flagged bug, no project a week "
            "late, no customer escalation"
        )
    ]


def risk_rows(risks: Sequence[RiskFigure]) -> list[Row]:
    """The risk register as `data.figures.risk_register` orders it: open and mitigating
    risks, then the closed ones, dimmed, each group under its heading."""
    if not risks:
        return [empty_row("No risks in the register yet — n adds one")]
    rows: list[Row] = []
    for closed in (False, True):
        group = [risk for risk in risks if risk.closed is closed]
        if not group:
            continue
        title = "Closed" if closed else "Open and mitigating"
        rows.append(
            Row(
                f"group:{'closed' if closed else 'open'}",
                (Content.assemble((title, "bold"), (f"  {len(group)}", "dim")),),
                group=True,
            )
        )
        rows.extend(
            Row(
                f"risk:{risk.id}",
                (
                    text_cell(risk.risk),
                    text_cell(risk.owner or "—"),
                    Content.styled(risk.status.value, RISK_STYLES[risk.status]),
                    text_cell(risk.mitigation or "—"),
                    text_cell(risk.project or "—"),
                    text_cell(risk.company or "—"),
                ),
                style="dim" if closed else "",
            )
            for risk in group
        )
    return rows


def who_changed_lines(week: str, people: Sequence[PersonChanges]) -> list[Content]:
    """Who changed what in the workspace during the week (from its history)."""
    lines = [Content(""), Content.styled(f"Who changed what in {week}", "bold")]
    if not people:
        lines.append(Content.styled("  No recorded changes this week.", "dim"))
    lines.extend(Content(f"  {person_changes_words(item)}") for item in people)
    return lines


def changes_lines(snapshot: SnapshotData, previous: SnapshotData | None) -> list[Content]:
    """What changed since the previous snapshot, as plain lines (the export's wording)."""
    diff = week_diff(snapshot, previous)
    lines: list[Content] = []
    if diff.previous_week is None:
        lines.append(Content.styled("No earlier snapshot: nothing to compare with.", "dim"))
    else:
        lines.append(Content.styled(f"Changes since {diff.previous_week}", "bold"))
    for change in diff.projects:
        before, after = change.before, change.after
        parts = []
        if before.status is not after.status:
            parts.append(f"{before.status.value} → {after.status.value}")
        if before.phase is not after.phase:
            parts.append(f"{before.phase.value} → {after.phase.value}")
        if (after.slip_days or 0) > (before.slip_days or 0):
            parts.append(f"slip {before.slip_days or 0} → {after.slip_days} days")
        lines.append(Content(f"  Project {shown_line(after.name)}: {', '.join(parts)}"))
    for movement in diff.bug_movements:
        lines.append(
            Content(
                f"  Bugs {shown_line(movement.company)}: P0 {movement.p0_before} → "
                f"{movement.p0_after}, P1 {movement.p1_before} → {movement.p1_after}"
            )
        )
    for band in diff.band_changes:
        lines.append(
            Content(
                f"  Customer {shown_line(band.after.name)}: {band.before.band.value} → "
                f"{band.after.band.value} (health {band.before.health} → {band.after.health})"
            )
        )
    for escalation in diff.new_escalations:
        lines.append(Content(f"  New escalation: {shown_line(escalation.title)}"))
    for escalation in diff.cleared_escalations:
        lines.append(Content(f"  Cleared escalation: {shown_line(escalation.title)}"))
    for decision in diff.decisions_made:
        lines.append(Content(f"  Decided: {shown_line(decision.what)}"))
    for item in diff.actions_closed:
        lines.append(Content(f"  Action closed: {shown_line(item.what)}"))
    for item in diff.actions_overdue:
        lines.append(Content(f"  Action overdue: {shown_line(item.what)}"))
    if len(lines) == 1:
        lines.append(Content.styled("  Nothing changed.", "dim"))
    return lines


def _money(value: float | None) -> str:
    return "—" if value is None else PRIVACY.money(f"${value:,.0f}")


def _number(value: float | int | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return text + suffix


def _kpi_label(name: str) -> str:
    return Kpis.model_fields[name].title or name


def _computed(label: str, value: str) -> tuple[str, Content]:
    return label, Content.assemble(value, (f"   {COMPUTED_MARK}", "italic $accent"))


SPARK_WEEKS = 8
"""Weeks a KPI's sparkline on the KPIs tab draws: seven before this one, and this one."""


def kpi_content(
    kpis: Kpis | None,
    week: str,
    computed: ComputedKpisFigure | None,
    history: Mapping[str, Sequence[float | None]] | None = None,
) -> Content:
    """The seed's weekly metrics dashboard for the week: the KPIs typed with `K`, and those
    computed from the data (`data.figures.computed_kpis`), marked computed. With `history`
    (`domain.trends.kpi_history` of the weeks before) each KPI has a sparkline of those
    weeks and this one; a week without figures is a gap."""
    typed = kpis or Kpis(week=week)
    figures = computed or ComputedKpisFigure()
    label = ComputedKpisFigure.LABELS
    bugs = f"{figures.p0} P0, {figures.p1} P1, {figures.p2} P2, {figures.p3} P3"
    nps = "— (no survey responses yet)"
    if figures.nps is not None:
        responses = figures.nps_responses
        noun = "response" if responses == 1 else "responses"
        nps = nps_value(figures.nps) + ("" if responses is None else f" from {responses:,} {noun}")
    sections: tuple[tuple[str, tuple[tuple[str, str | Content, str], ...]], ...] = (
        (
            "Revenue & customers",
            (
                (
                    _kpi_label("customers_signed"),
                    _number(typed.customers_signed),
                    "customers_signed",
                ),
                (_kpi_label("arr"), _money(typed.arr), "arr"),
                (_kpi_label("pipeline"), _money(typed.pipeline), "pipeline"),
                (
                    _kpi_label("churn_customers"),
                    f"{_number(typed.churn_customers)} customers, "
                    f"{_number(typed.churn_mrr_pct, '%')} MRR",
                    "churn_customers",
                ),
            ),
        ),
        (
            "Product quality",
            (
                (*_computed(label["open_bugs"], bugs), "open_bugs"),
                (_kpi_label("uptime_pct"), _number(typed.uptime_pct, "%"), "uptime_pct"),
                (_kpi_label("p95_ms"), _number(typed.p95_ms, " ms"), "p95_ms"),
                (
                    _kpi_label("test_coverage_pct"),
                    _number(typed.test_coverage_pct, "%"),
                    "test_coverage_pct",
                ),
            ),
        ),
        (
            "Customer health",
            (
                (*_computed(label["nps"], nps), "nps"),
                (
                    *_computed(
                        label["support_tickets"],
                        _number(figures.support_tickets, " across all customers"),
                    ),
                    "support_tickets",
                ),
            ),
        ),
        (
            "Team & velocity",
            (
                (
                    *_computed(
                        label["shipped_requests"],
                        _number(figures.shipped_requests, " to date, no shipping date kept"),
                    ),
                    "",
                ),
                (_kpi_label("story_points"), _number(typed.story_points), "story_points"),
                (_kpi_label("team_size"), _number(typed.team_size, " FTE"), "team_size"),
            ),
        ),
    )
    current: dict[str, float | None] = {
        name: None if getattr(typed, name) is None else float(getattr(typed, name))
        for name in Kpis.typed_fields()
    }
    current["nps"] = figures.nps
    current["support_tickets"] = (
        None if figures.support_tickets is None else float(figures.support_tickets)
    )
    current["open_bugs"] = float(figures.p0 + figures.p1 + figures.p2 + figures.p3)

    def spark(key: str) -> Content:
        if history is None:
            return Content("")
        # In privacy mode the shape of ARR or pipeline is hidden with its amounts.
        if not key or key not in history or (PRIVACY.active and key in MONEY_FIELDS):
            return Content(" " * (SPARK_WEEKS + 2))
        values = (*history[key], current.get(key))
        return sparkline_content(values[-SPARK_WEEKS:], "$accent") + Content("  ")

    lines: list[Content] = [Content.styled(f"Weekly product metrics — {week}", "bold")]
    if kpis is None:
        lines.append(
            Content.assemble(
                (f"No KPIs typed for {week} yet", "bold $warning"),
                " — K enters them (customers signed, ARR, pipeline, churn, uptime, p95, "
                "test coverage, story points, team size).",
            )
        )
    for title, values in sections:
        lines.append(Content(""))
        lines.append(Content.styled(title, "bold $accent"))
        lines.extend(
            Content.assemble(
                (f"  {name:<27}", "dim"),
                spark(key),
                value if isinstance(value, Content) else shown_line(value),
            )
            for name, value, key in values
        )
    lines.append(Content(""))
    lines.append(
        Content.styled(
            f"K edits the week's typed KPIs; those marked {COMPUTED_MARK} come from the data.",
            "dim",
        )
    )
    return Content("\n").join(lines)
