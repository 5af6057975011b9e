"""Trends over weeks, read from the frozen snapshots and the live week: the one loader of
the trends view, the month and quarter views and their Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import ValidationError

from opstui.data.figures import week_snapshot
from opstui.data.repository import Repository
from opstui.data.review import SnapshotDamagedError, snapshot_date
from opstui.domain.settings import BugTargets, HealthModel
from opstui.domain.trends import (
    PeriodReview,
    ReviewPeriod,
    TrendFigures,
    WeekPoint,
    period_review,
    week_point,
)


def week_points(
    repo: Repository,
    weeks: Sequence[str],
    *,
    live_week: str | None,
    today: date,
    targets: BugTargets,
    health: HealthModel,
) -> dict[str, WeekPoint]:
    """The trend figures of each of `weeks` that has them: a frozen week's from its
    snapshot, `live_week` (when not frozen) computed as its export would be; any other week
    has none (a gap). Raises `SnapshotDamagedError` for a snapshot that does not validate."""
    frozen = set(repo.snapshot_weeks())
    points: dict[str, WeekPoint] = {}
    for week in weeks:
        if week in frozen:
            parts = repo.snapshot_trend_parts(week)
            if parts is None:  # unfrozen since the list was read
                continue
            try:
                figures = TrendFigures.model_validate(parts)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "data"
                raise SnapshotDamagedError(
                    f"the snapshot of {week} is damaged ({where}: {first['msg']})"
                ) from None
            points[week] = week_point(figures, live=False)
        elif week == live_week:
            snapshot = week_snapshot(repo, week, snapshot_date(week, today), targets, health)
            points[week] = week_point(TrendFigures.of_snapshot(snapshot), live=True)
    return points


def load_review(
    repo: Repository,
    period: ReviewPeriod,
    *,
    live_week: str | None,
    today: date,
    targets: BugTargets,
    health: HealthModel,
) -> PeriodReview:
    """The review of `period` (the trends view's weeks, a month, a quarter) as every view of
    it and its Markdown show it. `live_week` is the week under review, computed from the
    data when it is not frozen; pass None to read frozen weeks only."""
    points = week_points(
        repo, period.weeks, live_week=live_week, today=today, targets=targets, health=health
    )
    return period_review(period, points)
