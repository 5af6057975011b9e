"""The KPI section: the seed's weekly metrics dashboard, with changes since last week.

Revenue and customers, product quality, customer health, team and velocity. The figures
that come from outside (ARR, uptime, story points …) are the ones typed for the week; NPS,
open bugs, support tickets and shipped requests are computed from the data and marked so.
"""

from __future__ import annotations

from collections.abc import Mapping

from opstui.domain.models import Kpis
from opstui.domain.snapshot import COMPUTED_MARK, ComputedKpisFigure, SnapshotData
from opstui.export.context import WeekContext
from opstui.export.escape import bullets, heading, inline
from opstui.export.numbers import MISSING, number, percent, score, versus

_Kpis = Mapping[str, float | int | None]


def _title(key: str) -> str:
    return Kpis.model_fields[key].title or key


class _Dashboard:
    def __init__(self, snapshot: SnapshotData, previous: SnapshotData | None) -> None:
        self.current: _Kpis = snapshot.kpis
        self.before: _Kpis = {} if previous is None else previous.kpis
        self.previous_week = None if previous is None else inline(previous.week)

    def value(self, key: str) -> float | None:
        value = self.current.get(key)
        return None if value is None else float(value)

    def change(
        self,
        key: str,
        *,
        higher_is_better: bool = True,
        tolerance: float = 1.0,
        amount: bool = True,
    ) -> str:
        before = self.before.get(key)
        return versus(
            self.value(key),
            None if before is None else float(before),
            self.previous_week,
            higher_is_better=higher_is_better,
            tolerance=tolerance,
            show_change=amount,
        )

    def line(
        self,
        key: str,
        unit: str = "",
        *,
        higher_is_better: bool = True,
        tolerance: float = 1.0,
    ) -> str:
        value = self.value(key)
        shown = MISSING if value is None else f"{number(value)}{unit}"
        change = self.change(key, higher_is_better=higher_is_better, tolerance=tolerance)
        return f"{_title(key)}: {shown}{change}"


def _computed_lines(week: WeekContext) -> tuple[str, list[str], list[str]]:
    """The open-bugs line, the customer-health lines and the shipped-requests line."""
    snapshot, previous = week.snapshot, week.previous
    label = ComputedKpisFigure.label
    figures = snapshot.computed_kpi_figures()
    before = None if previous is None else previous.computed_kpi_figures()
    bugs = (
        MISSING
        if snapshot.bug_total() is None
        else f"{figures.p0} P0, {figures.p1} P1, {figures.p2} P2, {figures.p3} P3"
    )
    responses = ""
    if figures.nps_responses:
        noun = "response" if figures.nps_responses == 1 else "responses"
        responses = f" from {number(figures.nps_responses)} survey {noun}"
    previous_nps = None if before is None else before.nps
    health = [
        f"{label('nps')}: {score(figures.nps)}{responses}"
        f"{versus(figures.nps, previous_nps, week.previous_week)}",
    ]
    tickets = figures.support_tickets
    if tickets is None:
        health.append(f"{label('support_tickets')}: {MISSING}")
    else:
        change = versus(
            tickets,
            None if before is None else before.support_tickets,
            week.previous_week,
            higher_is_better=False,
        )
        health.append(f"{label('support_tickets')}: {number(tickets)} across all customers{change}")
    shipped = figures.shipped_requests
    if shipped is None:
        team = f"{label('shipped_requests')}: {MISSING}"
    else:
        change = versus(
            shipped, None if before is None else before.shipped_requests, week.previous_week
        )
        team = (
            f"{label('shipped_requests')}: {number(shipped)} to date, no shipping date kept{change}"
        )
    return f"{label('open_bugs')}: {bugs}", health, [team]


def render_kpis(week: WeekContext) -> list[str]:
    """The KPI section; masked money shows its change as an arrow only."""
    snapshot, redact = week.snapshot, week.redact
    kpis = _Dashboard(snapshot, week.previous)
    churned = kpis.value("churn_customers")
    churn_pct = kpis.value("churn_mrr_pct")
    revenue = [
        kpis.line("customers_signed"),
        f"{_title('arr')}: {redact.money(kpis.value('arr'))}"
        f"{kpis.change('arr', amount=not redact.active)}",
        f"{_title('pipeline')}: {redact.money(kpis.value('pipeline'))}"
        f"{kpis.change('pipeline', amount=not redact.active)}",
        f"{_title('churn_customers')}: {MISSING if churned is None else number(churned)} "
        f"customers, {percent(churn_pct)} MRR churn",
    ]
    bugs, health, shipped = _computed_lines(week)
    quality = [
        bugs,
        kpis.line("uptime_pct", "%", tolerance=0.05),
        kpis.line("p95_ms", " ms", higher_is_better=False, tolerance=5),
        kpis.line("test_coverage_pct", "%"),
    ]
    team = [
        *shipped,
        kpis.line("story_points"),
        kpis.line("team_size", " FTE", tolerance=0.5),
    ]
    return [
        heading(2, "KPIs"),
        f"Typed for the week, except those marked ({COMPUTED_MARK}), which come from the "
        "workspace's own data.",
        "**Revenue & customers**",
        bullets(revenue),
        "**Product quality**",
        bullets(quality),
        "**Customer health**",
        bullets(health),
        "**Team & velocity**",
        bullets(team),
    ]
