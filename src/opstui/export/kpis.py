"""The KPI section: the seed's weekly metrics dashboard, with changes since last week.

Revenue and customers, product quality, customer health, team and velocity — the KPIs
typed in for the week, and the bug counts and NPS the app computes.
"""

from __future__ import annotations

from collections.abc import Mapping

from opstui.domain.snapshot import SnapshotData
from opstui.export.context import WeekContext
from opstui.export.escape import bullets, heading, inline
from opstui.export.numbers import MISSING, number, percent, score, versus

_Kpis = Mapping[str, float | int | None]


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
        label: str,
        key: str,
        unit: str = "",
        *,
        higher_is_better: bool = True,
        tolerance: float = 1.0,
    ) -> str:
        value = self.value(key)
        shown = MISSING if value is None else f"{number(value)}{unit}"
        change = self.change(key, higher_is_better=higher_is_better, tolerance=tolerance)
        return f"{label}: {shown}{change}"


def render_kpis(week: WeekContext) -> list[str]:
    """The KPI section; masked money shows its change as an arrow only."""
    snapshot, redact = week.snapshot, week.redact
    kpis = _Dashboard(snapshot, week.previous)
    churned = kpis.value("churn_customers")
    churn_pct = kpis.value("churn_mrr_pct")
    revenue = [
        kpis.line("Customers signed", "customers_signed"),
        f"ARR: {redact.money(kpis.value('arr'))}{kpis.change('arr', amount=not redact.active)}",
        f"Pipeline value: {redact.money(kpis.value('pipeline'))}"
        f"{kpis.change('pipeline', amount=not redact.active)}",
        f"Churn: {MISSING if churned is None else number(churned)} customers, "
        f"{percent(churn_pct)} MRR churn",
    ]
    total = snapshot.bug_total()
    bugs = (
        MISSING if total is None else f"{total.p0} P0, {total.p1} P1, {total.p2} P2, {total.p3} P3"
    )
    quality = [
        f"Bugs: {bugs}",
        kpis.line("Uptime", "uptime_pct", "%", tolerance=0.05),
        kpis.line("Response time p95", "p95_ms", " ms", higher_is_better=False, tolerance=5),
        kpis.line("Test coverage", "test_coverage_pct", "%"),
    ]
    computed = "" if snapshot.nps is None else f"; {score(snapshot.nps)} from survey responses"
    health = [
        f"NPS: {score(kpis.value('nps'))} reported{computed}",
        kpis.line("Support tickets this week", "support_tickets", higher_is_better=False),
    ]
    team = [
        kpis.line("Features shipped", "features_shipped"),
        kpis.line("Story points completed", "story_points"),
        kpis.line("Team size", "team_size", " FTE", tolerance=0.5),
    ]
    return [
        heading(2, "KPIs"),
        "**Revenue & customers**",
        bullets(revenue),
        "**Product quality**",
        bullets(quality),
        "**Customer health**",
        bullets(health),
        "**Team & velocity**",
        bullets(team),
    ]
