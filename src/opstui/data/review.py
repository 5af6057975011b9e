"""Freezing a review week: its snapshot stored, and the week read-only until unfrozen.

A frozen week's snapshot is what its export shows and what the next week's trends and diff
compare against, so it must not drift: the UI calls `ensure_week_editable` before writing
any of that week's review data, and refreezing takes `replace=True`, on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from pydantic import ValidationError

from opstui.data.figures import computed_kpis, week_preread, week_snapshot
from opstui.data.repository import Repository
from opstui.domain.bugs import TOTAL_LABEL, CompanyBugCounts
from opstui.domain.models import Person, PrereadSubmission
from opstui.domain.review import (
    PrereadEdit,
    PrereadRow,
    PrereadSeen,
    accepted,
    drafted,
    returned,
    submitted,
)
from opstui.domain.settings import BugTargets, HealthModel
from opstui.domain.snapshot import ComputedKpisFigure, SnapshotData
from opstui.domain.weeks import PREREAD_DUE_TIME, week_days


class AlreadyFrozenError(Exception):
    """Freezing a week that already has a snapshot, without asking to replace it."""

    def __init__(self, week: str, frozen_at: datetime | None) -> None:
        when = "" if frozen_at is None else f" (on {frozen_at:%Y-%m-%d %H:%M})"
        super().__init__(f"{week} is already frozen{when}")
        self.week = week
        self.frozen_at = frozen_at


class WeekFrozenError(Exception):
    """Changing review data of a frozen week (one-line message for the user)."""


class SnapshotDamagedError(Exception):
    """A stored snapshot does not validate (edited outside opstui); one-line message."""


def snapshot_date(week: str, today: date) -> date:
    """The day a live (not frozen) snapshot of `week` is computed as of, given `today`.

    Today, but never after the week's Sunday: for a past week the figures that depend on
    the day (resolution window, ages, overdue items, renewal proximity) are taken at its
    end; everything else is the workspace as it stands. A week to come uses today.
    """
    return min(today, week_days(week)[1])


def stored_snapshot(repo: Repository, week: str) -> SnapshotData | None:
    """`week`'s frozen snapshot, or None when the week is not frozen.

    Raises `SnapshotDamagedError` when what is stored does not validate.
    """
    text = repo.snapshot_json(week)
    if text is None:
        return None
    try:
        return SnapshotData.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "data"
        raise SnapshotDamagedError(
            f"the snapshot of {week} is damaged ({where}: {first['msg']})"
        ) from None


def is_frozen(repo: Repository, week: str) -> bool:
    """Whether `week` has a stored snapshot."""
    return repo.snapshot_frozen_at(week) is not None


def ensure_week_editable(repo: Repository, week: str) -> None:
    """Raise `WeekFrozenError` when `week` is frozen; call before writing its review data."""
    frozen_at = repo.snapshot_frozen_at(week)
    if frozen_at is not None:
        raise WeekFrozenError(
            f"{week} was frozen on {frozen_at:%Y-%m-%d %H:%M} and is read-only; "
            "unfreeze it to change it"
        )


def freeze_week(
    repo: Repository,
    week: str,
    *,
    today: date,
    now: datetime,
    targets: BugTargets,
    health: HealthModel,
    replace: bool = False,
    preread_due: time = PREREAD_DUE_TIME,
) -> SnapshotData:
    """Compute every figure of `week` as of `today` and store it as the week's snapshot.

    `now` is recorded as the freezing time (it is not part of the figures, so an export
    stays the same bytes). Raises `AlreadyFrozenError` when the week is frozen and
    `replace` is False; nothing is written then. The snapshot is validated by its model
    and stored in one transaction.
    """
    if not replace and is_frozen(repo, week):
        raise AlreadyFrozenError(week, repo.snapshot_frozen_at(week))
    snapshot = week_snapshot(repo, week, today, targets, health, preread_due)
    data = snapshot.model_dump(mode="json")
    # What is stored is exactly what loads back: validated once more from its JSON form.
    SnapshotData.model_validate(data)
    if not repo.freeze_snapshot(week, snapshot.version, now, data, replace=replace):
        # Frozen by someone else between the check and the write.
        raise AlreadyFrozenError(week, repo.snapshot_frozen_at(week))
    return snapshot


def unfreeze_week(repo: Repository, week: str) -> bool:
    """Remove `week`'s snapshot, making it editable again; False when it was not frozen."""
    return repo.delete_snapshot(week)


def review_snapshots(
    repo: Repository,
    week: str,
    as_of: date,
    targets: BugTargets,
    health: HealthModel,
    preread_due: time = PREREAD_DUE_TIME,
) -> tuple[SnapshotData, SnapshotData | None]:
    """`week`'s snapshot and the one before it, as an export or a preview shows them.

    A frozen week gives its stored snapshot; any other week is computed live as of
    `as_of` (callers without a day of their own pass `snapshot_date(week, today)`). The
    previous one is the newest snapshot frozen before `week`.
    """
    snapshot = stored_snapshot(repo, week)
    if snapshot is None:
        snapshot = week_snapshot(repo, week, as_of, targets, health, preread_due)
    earlier = [frozen for frozen in repo.snapshot_weeks() if frozen < week]
    return snapshot, stored_snapshot(repo, earlier[-1]) if earlier else None


_KPI_PARTS = ("nps", "nps_responses", "support_tickets", "shipped_requests", "bugs")
"""The parts of a stored snapshot the computed KPIs are read from."""


def week_kpi_figures(
    repo: Repository, week: str, counts: Sequence[CompanyBugCounts]
) -> ComputedKpisFigure:
    """The computed KPIs of `week` as the KPIs tab shows them: those frozen with the week,
    or else the figures the snapshot and the export compute now (`computed_kpis`; `counts`
    are the bug matrix's). A damaged snapshot shows the data's figures, as the export of
    that week refuses with its own message."""
    if repo.snapshot_frozen_at(week) is not None:
        # Its parts alone: a frozen snapshot of a big portfolio is not read whole each time.
        parts = {key: repo.snapshot_part(week, key) for key in _KPI_PARTS}
        rows = parts.pop("bugs")
        total = rows[-1] if isinstance(rows, list) and rows else None
        if isinstance(total, dict) and total.get("company") == TOTAL_LABEL:
            parts.update({key: total.get(key) for key in ("p0", "p1", "p2", "p3")})
        try:
            return ComputedKpisFigure.model_validate(
                {key: value for key, value in parts.items() if value is not None}
            )
        except ValidationError:
            pass
    return computed_kpis(repo, counts)


# -- the Friday pre-read: each step, written ---------------------------------------------------


def person_preread(
    repo: Repository, week: str, person_id: int, due: time = PREREAD_DUE_TIME
) -> PrereadRow | None:
    """One person's pre-read for `week` as the checklist shows it (the same loader), or
    None when they owe none (not a product manager or engineering lead)."""
    return week_preread(repo, week, due).row_of(person_id)


def preread_seen(row: PrereadRow, week: str) -> PrereadSeen:
    """What a form opened on `row` writes against: the stored pre-read (a blank one,
    version 0, when not started) and the author's projects as read."""
    assert row.person.id is not None
    blank = PrereadSubmission(week=week, person_id=row.person.id)
    return PrereadSeen(row.submission or blank, row.projects)


def save_preread(
    repo: Repository, row: PrereadRow, seen: PrereadSeen, edit: PrereadEdit, now: datetime
) -> PrereadSubmission:
    """The author's typing stored as a draft, or submitted when `edit.submit` (every part
    must hold text), with their projects' fields updated in place. One transaction;
    refused (`StaleEditError`, `TransitionError`, `WeekFrozenError`) with nothing written.
    """
    ensure_week_editable(repo, seen.submission.week)
    step = drafted(seen.submission, edit.parts, edit.notes, now)
    if edit.submit:
        step = submitted(step, row.parts, now)
    before = {project.id: project for project in seen.projects}
    changed = [
        (before[project.id], project)
        for project in edit.projects
        if project.id in before and before[project.id] != project
    ]
    return repo.write_preread(seen.submission, step, changed)


def review_preread(
    repo: Repository,
    seen: PrereadSubmission,
    reviewer: Person | None,
    now: datetime,
    *,
    comment: str | None = None,
) -> PrereadSubmission:
    """The director's decision on a submitted pre-read: accepted, or returned to its
    author with `comment` when one is given. Refused as `save_preread` is."""
    ensure_week_editable(repo, seen.week)
    if comment is None:
        step = accepted(seen, reviewer, now)
    else:
        step = returned(seen, reviewer, comment, now)
    return repo.write_preread(seen, step)
