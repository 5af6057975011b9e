"""Figures over weeks: each week's trend figures from its snapshot, the charts they make,
the review periods (a calendar month, a quarter, the weeks up to one) and sparklines.

A week without figures (neither frozen nor the live week) is a gap: its point is None and
every series holds None there, never a zero, so a chart, a sparkline and a table show it
as missing. The trends view, the month and quarter views and their Markdown all read the
`PeriodReview` that `period_review` builds here from the points the loader gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from opstui.domain.bugs import TOTAL_LABEL
from opstui.domain.enums import (
    ActionStatus,
    HealthBand,
    Phase,
    Priority,
    ProjectStatus,
    RiskStatus,
)
from opstui.domain.models import Kpis
from opstui.domain.portfolio import SLIP_ESCALATION_DAYS
from opstui.domain.snapshot import BugRowFigure, SnapshotData, TargetsFigure
from opstui.domain.weeks import (
    iso_week,
    month_name,
    month_weeks,
    next_week,
    previous_week,
    quarter_weeks,
    week_days,
    week_monday,
    week_thursday,
)

ALL_COMPANIES = "All companies"
"""The line of a by-company chart that holds the bug matrix's total row."""

TREND_WEEKS = 13
"""How many weeks the trends view shows: a quarter, up to the week it is opened on."""

SPARK_BARS = "▁▂▃▄▅▆▇█"
GAP_MARK = "·"
"""What a sparkline shows for a week without figures: a gap, never the lowest bar."""


# -- the figures a week's trends are read from -------------------------------------------------


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ProjectTrendFigure(_Part):
    phase: Phase
    status: ProjectStatus
    slip_days: int | None = None


class CustomerTrendFigure(_Part):
    id: int | None = None
    name: str = ""
    band: HealthBand
    arr: float = 0.0


class ActionTrendFigure(_Part):
    status: ActionStatus
    week: str
    closed_on: date | None = None


class RiskTrendFigure(_Part):
    status: RiskStatus


class RequestTrendFigure(_Part):
    candidate: bool = False


class TrendFigures(_Part):
    """The parts of a week's snapshot its trends read: a stored snapshot's JSON or a live
    `SnapshotData` validate into it alike (what it does not name is ignored)."""

    week: str
    taken_on: date
    on_track: int = 0
    total_projects: int = 0
    projects: tuple[ProjectTrendFigure, ...] = ()
    bugs: tuple[BugRowFigure, ...] = ()
    targets: TargetsFigure = TargetsFigure()
    nps: float | None = None
    customers: tuple[CustomerTrendFigure, ...] = ()
    requests: tuple[RequestTrendFigure, ...] = ()
    escalations: tuple[_Part, ...] = ()
    action_items: tuple[ActionTrendFigure, ...] = ()
    risks: tuple[RiskTrendFigure, ...] = ()
    kpis: dict[str, float | int | None] = {}
    support_tickets: int | None = None

    @classmethod
    def of_snapshot(cls, snapshot: SnapshotData) -> TrendFigures:
        return cls.model_validate(snapshot.model_dump())

    def bug_total(self) -> BugRowFigure | None:
        """The bug matrix's total row (always the last), as `SnapshotData.bug_total`."""
        if self.bugs and self.bugs[-1].company == TOTAL_LABEL:
            return self.bugs[-1]
        return None

    def company_bug_rows(self) -> tuple[BugRowFigure, ...]:
        # By position, not name: a company may be called "Total" too.
        return self.bugs[:-1] if self.bug_total() is not None else self.bugs


@dataclass(frozen=True, slots=True)
class PhasePoint:
    on_track: int
    total: int
    slipping: int
    """Projects more than a week behind their baseline."""
    avg_slip_days: float | None
    """Mean slip of the phase's projects that have a baseline (negative: ahead)."""


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One week's trend figures."""

    week: str
    live: bool
    """Computed now (the week under review, not frozen) rather than read from a snapshot."""
    taken_on: date
    on_track: int
    total_projects: int
    phases: Mapping[Phase, PhasePoint]
    companies: Mapping[str, BugRowFigure]
    """The bug matrix's company rows, by company name."""
    total: BugRowFigure | None
    targets: TargetsFigure
    nps: float | None
    bands: Mapping[HealthBand, int]
    customer_arr: float
    kpis: Mapping[str, float | None]
    actions_opened: int
    """Action items raised in the week."""
    actions_closed: int
    """Action items completed during the week."""
    open_risks: int
    escalations: int
    roadmap_candidates: int
    support_tickets: int | None
    customer_names: tuple[tuple[int | None, str], ...]


def week_point(figures: TrendFigures, *, live: bool) -> WeekPoint:
    """The trend figures of one week, from its snapshot's parts."""
    phases = {}
    for phase in Phase:
        mine = [p for p in figures.projects if p.phase is phase]
        slips = [p.slip_days for p in mine if p.slip_days is not None]
        phases[phase] = PhasePoint(
            on_track=sum(1 for p in mine if p.status is ProjectStatus.ON_TRACK),
            total=len(mine),
            slipping=sum(1 for slip in slips if slip > SLIP_ESCALATION_DAYS),
            avg_slip_days=round(sum(slips) / len(slips), 1) if slips else None,
        )
    first, last = week_days(figures.week)
    kpis = {
        name: None if figures.kpis.get(name) is None else float(figures.kpis[name] or 0)
        for name in Kpis.typed_fields()
    }
    return WeekPoint(
        week=figures.week,
        live=live,
        taken_on=figures.taken_on,
        on_track=figures.on_track,
        total_projects=figures.total_projects,
        phases=phases,
        companies={row.company: row for row in figures.company_bug_rows()},
        total=figures.bug_total(),
        targets=figures.targets,
        nps=figures.nps,
        bands={band: sum(1 for c in figures.customers if c.band is band) for band in HealthBand},
        customer_arr=sum(c.arr for c in figures.customers),
        kpis=kpis,
        actions_opened=sum(1 for item in figures.action_items if item.week == figures.week),
        actions_closed=sum(
            1
            for item in figures.action_items
            if item.status is ActionStatus.COMPLETE
            and item.closed_on is not None
            and first <= item.closed_on <= last
        ),
        open_risks=sum(1 for risk in figures.risks if risk.status is not RiskStatus.CLOSED),
        escalations=len(figures.escalations),
        roadmap_candidates=sum(1 for request in figures.requests if request.candidate),
        support_tickets=figures.support_tickets,
        customer_names=tuple((c.id, c.name) for c in figures.customers),
    )


# -- charts and sparklines ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a chart: a value per week, None where the week has no figure."""

    label: str
    values: tuple[float | None, ...]
    over_target: tuple[bool, ...] = ()
    """Per week, whether the value breaks its target (the bug targets, per company)."""

    def is_over(self, index: int) -> bool:
        return index < len(self.over_target) and self.over_target[index]


@dataclass(frozen=True, slots=True)
class Chart:
    """A figure over the weeks, with one or more lines."""

    key: str
    title: str
    unit: str
    """"%", "days", "projects", "$" … as a label reads it."""
    lines: tuple[Series, ...]
    higher_is_better: bool = True
    target: str = ""
    """The target in words ("P1 below 15 per company"), when the figure has one."""
    money: bool = False
    """Amounts of money: masked in a redacted export."""
    decimals: int = 0


def sparkline(
    values: Sequence[float | None], low: float | None = None, high: float | None = None
) -> str:
    """One character per week, `SPARK_BARS` from low to high; `GAP_MARK` for a week without a
    figure. `low`/`high` default to the values' own range (a flat line sits mid-height)."""
    known = [value for value in values if value is not None]
    if not known:
        return GAP_MARK * len(values)
    bottom = min(known) if low is None else low
    top = max(known) if high is None else high
    marks = []
    for value in values:
        if value is None:
            marks.append(GAP_MARK)
        elif top <= bottom:
            marks.append(SPARK_BARS[len(SPARK_BARS) // 2 - 1])
        else:
            share = (min(max(value, bottom), top) - bottom) / (top - bottom)
            marks.append(SPARK_BARS[round(share * (len(SPARK_BARS) - 1))])
    return "".join(marks)


def bar(value: float, high: float, width: int) -> str:
    """A horizontal bar of `width` cells at most, in eighths, for `value` out of `high`."""
    if high <= 0 or value <= 0:
        return ""
    eighths = round(min(value / high, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


# -- review periods ----------------------------------------------------------------------------

PeriodKind = Literal["month", "quarter", "weeks"]


@dataclass(frozen=True, slots=True)
class ReviewPeriod:
    """The weeks a review covers: a calendar month, a calendar quarter (a week belongs to the
    month holding its Thursday, see `domain.weeks`), or the `TREND_WEEKS` up to a week."""

    kind: PeriodKind
    anchor: str
    """A week of the period (for "weeks": its last week)."""

    @property
    def _thursday(self) -> date:
        return week_thursday(self.anchor)

    @property
    def weeks(self) -> tuple[str, ...]:
        day = self._thursday
        if self.kind == "month":
            return month_weeks(day.year, day.month)
        if self.kind == "quarter":
            return quarter_weeks(day.year, (day.month - 1) // 3 + 1)
        monday = week_monday(self.anchor)
        return tuple(
            iso_week(date.fromordinal(monday.toordinal() - 7 * back))
            for back in range(TREND_WEEKS - 1, -1, -1)
        )

    @property
    def label(self) -> str:
        """ "July 2026", "Q3 2026", "2026-W16 – 2026-W28"."""
        day = self._thursday
        if self.kind == "month":
            return month_name(day.year, day.month)
        if self.kind == "quarter":
            return f"Q{(day.month - 1) // 3 + 1} {day.year}"
        weeks = self.weeks
        return f"{weeks[0]} – {weeks[-1]}"

    def shifted(self, step: int) -> ReviewPeriod:
        """The period `step` periods later (earlier when negative); "weeks" moves by a week."""
        period = self
        for _ in range(abs(step)):
            if self.kind == "weeks":
                anchor = next_week(period.anchor) if step > 0 else previous_week(period.anchor)
            else:
                weeks = period.weeks
                anchor = next_week(weeks[-1]) if step > 0 else previous_week(weeks[0])
            period = ReviewPeriod(self.kind, anchor)
        return period


# -- the review: sections of charts -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewSection:
    title: str
    agenda: tuple[str, ...]
    """The seed agenda's items the section answers."""
    charts: tuple[Chart, ...]


@dataclass(frozen=True, slots=True)
class PeriodReview:
    """What the trends view, a month or quarter view and their Markdown show."""

    period: ReviewPeriod
    title: str
    weeks: tuple[str, ...]
    points: tuple[WeekPoint | None, ...]
    """One per week, None for a week without figures (a gap)."""
    sections: tuple[ReviewSection, ...]

    @property
    def gaps(self) -> tuple[str, ...]:
        return tuple(w for w, p in zip(self.weeks, self.points, strict=True) if p is None)

    def chart(self, key: str) -> Chart:
        return next(c for s in self.sections for c in s.charts if c.key == key)

    def customer_names(self) -> list[tuple[int | None, str]]:
        """Every customer the weeks hold, newest week first (for the redactor)."""
        return [name for p in reversed(self.points) if p is not None for name in p.customer_names]


def _values(
    points: Sequence[WeekPoint | None], pick: Callable[[WeekPoint], float | int | None]
) -> tuple[float | None, ...]:
    out: list[float | None] = []
    for point in points:
        value = None if point is None else pick(point)
        out.append(None if value is None else float(value))
    return tuple(out)


def _companies(points: Sequence[WeekPoint | None]) -> list[str]:
    names = {name for p in points if p is not None for name in p.companies}
    return sorted(names, key=lambda name: (name.casefold(), name))


def _latest(points: Sequence[WeekPoint | None]) -> WeekPoint | None:
    return next((p for p in reversed(points) if p is not None), None)


def _kpi_chart(points: Sequence[WeekPoint | None], name: str, **extra: object) -> Chart:
    field = Kpis.model_fields[name]
    unit = field.description or ""
    title = field.title or name
    return Chart(
        key=f"kpi.{name}",
        title=title,
        unit=unit,
        lines=(Series(title, _values(points, lambda p: p.kpis.get(name))),),
        money=unit == "$",
        **extra,  # type: ignore[arg-type]
    )


def _company_count(name: str, key: str) -> Callable[[WeekPoint], int | None]:
    def count(point: WeekPoint) -> int | None:
        row = point.companies.get(name)
        return None if row is None else int(getattr(row, key))

    return count


def _company_series(points: Sequence[WeekPoint | None], name: str, priority: Priority) -> Series:
    """A company's open bugs of `priority`, marked where they break the week's target."""
    values = _values(points, _company_count(name, priority.value.lower()))
    over = tuple(
        point is not None and value is not None and point.targets.over_target(priority, int(value))
        for point, value in zip(points, values, strict=True)
    )
    return Series(name, values, over)


def _row_figure(name: str | None, key: str) -> Callable[[WeekPoint], float | None]:
    """A bug matrix row's figure: a company's (None: the total row's)."""

    def figure(point: WeekPoint) -> float | None:
        row = point.total if name is None else point.companies.get(name)
        value = None if row is None else getattr(row, key)
        return None if value is None else float(value)

    return figure


def _phase_figure(phase: Phase, key: str) -> Callable[[WeekPoint], float | None]:
    def figure(point: WeekPoint) -> float | None:
        value = getattr(point.phases[phase], key)
        return None if value is None else float(value)

    return figure


def _band_count(band: HealthBand) -> Callable[[WeekPoint], int]:
    def count(point: WeekPoint) -> int:
        return point.bands[band]

    return count


def charts(points: Sequence[WeekPoint | None]) -> dict[str, Chart]:
    """Every chart the trends read, by key."""
    companies = _companies(points)
    latest = _latest(points)
    targets = latest.targets if latest is not None else TargetsFigure()
    found: dict[str, Chart] = {}

    def add(chart: Chart) -> None:
        found[chart.key] = chart

    add(
        Chart(
            "on_track",
            "Projects on track, by phase",
            "projects",
            (
                Series("All phases", _values(points, lambda p: p.on_track)),
                *(
                    Series(phase.value, _values(points, _phase_figure(phase, "on_track")))
                    for phase in Phase
                ),
            ),
            target="every project on track",
        )
    )
    add(
        Chart(
            "projects",
            "Projects, by phase",
            "projects",
            (
                Series("All phases", _values(points, lambda p: p.total_projects)),
                *(
                    Series(phase.value, _values(points, _phase_figure(phase, "total")))
                    for phase in Phase
                ),
            ),
        )
    )
    add(
        Chart(
            "slipping",
            "Projects slipping more than a week, by phase",
            "projects",
            tuple(
                Series(phase.value, _values(points, _phase_figure(phase, "slipping")))
                for phase in Phase
            ),
            higher_is_better=False,
            target="none slipping",
        )
    )
    add(
        Chart(
            "slip_days",
            "Average slip behind baseline, by phase",
            "days",
            tuple(
                Series(phase.value, _values(points, _phase_figure(phase, "avg_slip_days")))
                for phase in Phase
            ),
            higher_is_better=False,
            decimals=1,
        )
    )
    for priority, target in (
        ("p0", f"at most {targets.p0_max} per company"),
        ("p1", f"below {targets.p1_below} per company"),
        ("p2", f"below {targets.p2_below} per company"),
    ):
        add(
            Chart(
                f"bugs.{priority}",
                f"Open {priority.upper()} bugs, by company",
                "bugs",
                (
                    Series(ALL_COMPANIES, _values(points, _row_figure(None, priority))),
                    *(
                        _company_series(points, name, Priority(priority.upper()))
                        for name in companies
                    ),
                ),
                higher_is_better=False,
                target=target,
            )
        )

    def rate_lines(key: str) -> tuple[Series, ...]:
        return (
            Series(ALL_COMPANIES, _values(points, _row_figure(None, key))),
            *(Series(name, _values(points, _row_figure(name, key))) for name in companies),
        )

    add(Chart("resolution_rate", "Resolution rate", "%", rate_lines("resolution_rate"), decimals=1))
    add(
        Chart(
            "resolution_days",
            "Average resolution time",
            "days",
            rate_lines("avg_resolution_days"),
            higher_is_better=False,
            decimals=1,
        )
    )
    add(Chart("nps", "NPS", "", (Series("NPS", _values(points, lambda p: p.nps)),), decimals=0))
    add(
        Chart(
            "bands",
            "Customers by health band",
            "customers",
            tuple(Series(band.value, _values(points, _band_count(band))) for band in HealthBand),
        )
    )
    add(
        Chart(
            "support_tickets",
            "Support tickets this week",
            "tickets",
            (Series("Tickets", _values(points, lambda p: p.support_tickets)),),
            higher_is_better=False,
        )
    )
    for name in Kpis.typed_fields():
        lower = name in {"churn_customers", "churn_mrr_pct", "p95_ms"}
        add(
            _kpi_chart(
                points,
                name,
                higher_is_better=not lower,
                decimals=2 if name == "uptime_pct" else (1 if name.endswith("_pct") else 0),
            )
        )
    add(
        Chart(
            "actions",
            "Action items opened and closed",
            "items",
            (
                Series("Opened", _values(points, lambda p: p.actions_opened)),
                Series("Closed", _values(points, lambda p: p.actions_closed)),
            ),
        )
    )
    add(
        Chart(
            "risks",
            "Open risks and escalations",
            "",
            (
                Series("Open risks", _values(points, lambda p: p.open_risks)),
                Series("Escalations", _values(points, lambda p: p.escalations)),
            ),
            higher_is_better=False,
        )
    )
    add(
        Chart(
            "roadmap",
            "Roadmap candidates (requests asked for by 3+ customers)",
            "requests",
            (Series("Candidates", _values(points, lambda p: p.roadmap_candidates)),),
        )
    )
    return found


_MONTHLY: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Portfolio performance against goals",
        ("Portfolio performance vs. annual goals",),
        ("on_track", "projects", "slipping", "slip_days"),
    ),
    (
        "Quality metrics trends",
        ("Quality metrics trends and improvement initiatives",),
        ("bugs.p0", "bugs.p1", "bugs.p2", "resolution_rate", "resolution_days"),
    ),
    (
        "Customer impact and satisfaction",
        ("Customer impact and satisfaction analysis",),
        (
            "nps",
            "bands",
            "support_tickets",
            "kpi.arr",
            "kpi.customers_signed",
            "kpi.pipeline",
            "kpi.churn_customers",
            "kpi.churn_mrr_pct",
        ),
    ),
    (
        "Team health and capacity",
        ("Team health and capacity planning",),
        ("kpi.team_size", "kpi.story_points", "actions"),
    ),
    (
        "Technology debt and infrastructure",
        ("Technology debt and infrastructure priorities",),
        ("kpi.uptime_pct", "kpi.p95_ms", "kpi.test_coverage_pct", "risks"),
    ),
)
"""The monthly deep dive's agenda (first Monday of the month), each item's charts."""

_QUARTERLY: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Portfolio performance and the annual roadmap",
        (
            "Annual roadmap adjustment based on portfolio performance",
            "Quarter detailed roadmaps presented and approved",
        ),
        ("on_track", "projects", "slipping", "slip_days", "roadmap"),
    ),
    (
        "Cross-company quality and synergies",
        ("Cross-company synergy identification and planning",),
        ("bugs.p0", "bugs.p1", "bugs.p2", "resolution_rate", "resolution_days"),
    ),
    (
        "Resources, team structure and capacity",
        (
            "Resource allocation and team structure optimization",
            "Resource allocation and capacity planning for next quarter execution",
        ),
        ("kpi.team_size", "kpi.story_points", "actions"),
    ),
    (
        "Technology strategy and platform evolution",
        ("Technology strategy and platform evolution",),
        ("kpi.uptime_pct", "kpi.p95_ms", "kpi.test_coverage_pct"),
    ),
    (
        "Market opportunity and customers",
        (
            "Market opportunity assessment and competitive response",
            "Next quarter business objectives and strategic priorities alignment",
        ),
        (
            "kpi.arr",
            "kpi.pipeline",
            "kpi.customers_signed",
            "kpi.churn_customers",
            "kpi.churn_mrr_pct",
            "nps",
            "bands",
            "support_tickets",
        ),
    ),
    (
        "Risks and dependencies of the roadmap",
        ("Risk assessment and dependency management for roadmap commitments",),
        ("risks",),
    ),
)
"""The quarterly strategic review (third Monday of the quarter's second month) and roadmap
review (its final Friday): each agenda item's charts."""

_TRENDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Portfolio", (), ("on_track", "slipping", "slip_days", "projects")),
    (
        "Bugs",
        (),
        ("bugs.p0", "bugs.p1", "bugs.p2", "resolution_rate", "resolution_days"),
    ),
    ("Customers", (), ("nps", "bands", "support_tickets")),
    ("KPIs", (), tuple(f"kpi.{name}" for name in Kpis.typed_fields())),
    ("Action items and risks", (), ("actions", "risks", "roadmap")),
)

_AGENDAS = {"month": _MONTHLY, "quarter": _QUARTERLY, "weeks": _TRENDS}


def period_review(period: ReviewPeriod, points: Mapping[str, WeekPoint]) -> PeriodReview:
    """The review of `period` from the weeks' points (a week missing from `points` is a
    gap), its sections following the period's seed agenda."""
    weeks = period.weeks
    ordered = tuple(points.get(week) for week in weeks)
    found = charts(ordered)
    titles = {
        "month": f"Monthly deep dive — {period.label}",
        "quarter": f"Quarterly strategic and roadmap review — {period.label}",
        "weeks": f"Trends — {period.label}",
    }
    return PeriodReview(
        period=period,
        title=titles[period.kind],
        weeks=weeks,
        points=ordered,
        sections=tuple(
            ReviewSection(title, agenda, tuple(found[key] for key in keys))
            for title, agenda, keys in _AGENDAS[period.kind]
        ),
    )


def kpi_history(review: PeriodReview) -> dict[str, tuple[float | None, ...]]:
    """Each KPI of the KPIs tab over the review's weeks: the typed KPIs by field name, and
    "nps", "open_bugs" (P0–P3, the matrix's total) and "support_tickets"."""
    history = {name: review.chart(f"kpi.{name}").lines[0].values for name in Kpis.typed_fields()}
    history["nps"] = review.chart("nps").lines[0].values
    history["support_tickets"] = review.chart("support_tickets").lines[0].values
    history["open_bugs"] = _values(
        review.points,
        lambda p: None if p.total is None else p.total.p0 + p.total.p1 + p.total.p2 + p.total.p3,
    )
    return history


def section_titles(kind: PeriodKind) -> tuple[str, ...]:
    """The sections a review of `kind` has, in agenda order (before any figure is read)."""
    return tuple(title for title, _, _ in _AGENDAS[kind])
