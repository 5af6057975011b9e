"""Trends over weeks, read from the frozen snapshots and the live week: the one loader of
the trends view, the month and quarter views and their Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from pydantic import ValidationError

from opstui.data.figures import week_snapshot
from opstui.data.repository import Repository
from opstui.data.review import SnapshotDamagedError, snapshot_date
from opstui.domain.bugs import TOTAL_LABEL
from opstui.domain.settings import BugTargets, HealthModel
from opstui.domain.trends import (
    ALL_COMPANIES,
    PeriodReview,
    ReviewPeriod,
    ReviewSection,
    TrendFigures,
    WeekPoint,
    period_review,
    week_point,
)
from opstui.domain.weeks import previous_week, week_monday


def week_points(
    repo: Repository,
    weeks: Sequence[str],
    *,
    live_week: str | None,
    today: date,
    targets: BugTargets,
    health: HealthModel,
    records: bool = True,
) -> dict[str, WeekPoint]:
    """The trend figures of each of `weeks` that has them: a frozen week's from its
    snapshot, `live_week` (when not frozen) computed as its export would be; any other week
    has none (a gap). Raises `SnapshotDamagedError` for a snapshot that does not validate.
    Without `records`, frozen weeks' projects and customers are left out (and their
    figures with them)."""
    frozen = set(repo.snapshot_weeks())
    points: dict[str, WeekPoint] = {}
    for week in weeks:
        if week in frozen:
            parts = repo.snapshot_trend_parts(week, records)
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


def earlier_weeks(repo: Repository, week: str, count: int, *, records: bool = True) -> PeriodReview:
    """The trends of the `count` weeks before `week`, from their snapshots alone (a week not
    frozen is a gap): what the tables' sparklines draw before this week's own figure.
    Without `records`, the figures of projects and customers are left out."""
    period = ReviewPeriod("weeks", previous_week(week))
    points = week_points(
        repo,
        period.weeks[-count:],
        live_week=None,
        today=week_monday(week),
        targets=BugTargets(),
        health=HealthModel(),
        records=records,
    )
    review = period_review(period, points)
    return PeriodReview(
        period=period,
        title=review.title,
        weeks=review.weeks[-count:],
        points=review.points[-count:],
        sections=tuple(
            ReviewSection(
                section.title,
                section.agenda,
                tuple(
                    replace(
                        chart,
                        lines=tuple(
                            replace(line, values=line.values[-count:], over_target=())
                            for line in chart.lines
                        ),
                    )
                    for chart in section.charts
                ),
            )
            for section in review.sections
        ),
    )


def resolution_history(
    repo: Repository, week: str, count: int
) -> dict[str, tuple[float | None, ...]]:
    """Resolution rate by company (and "Total") in the `count` weeks before `week`, oldest
    first; None for a week not frozen or a company without a rate that week."""
    # The rates are the bugs' figures: no project or customer of those weeks is read.
    lines = earlier_weeks(repo, week, count, records=False).chart("resolution_rate").lines
    return {
        TOTAL_LABEL if line.label == ALL_COMPANIES else line.label: line.values for line in lines
    }
