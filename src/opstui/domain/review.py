"""The weekly review's own figures: the pre-read checklist, the Monday agenda, the week's
action items and decisions, and the follow-up checkpoints.

Pure functions: they receive the week's rows and "now"/"today" and return what the weekly
screen and meeting mode show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from opstui.domain.enums import (
    SUBMISSION_PARTS,
    ActionStatus,
    DecisionKind,
    PersonRole,
    Phase,
    SubmissionPart,
)
from opstui.domain.models import ActionItem, Decision, Person, Submission
from opstui.domain.weeks import is_late, week_monday

# -- the Monday agenda ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgendaSection:
    """One timeboxed part of the 90-minute Monday review."""

    key: str
    title: str
    minutes: int
    phase: Phase | None = None
    """For the phase deep dive: the phase this part walks through."""


AGENDA: tuple[AgendaSection, ...] = (
    AgendaSection("portfolio", "Portfolio health dashboard", 15),
    AgendaSection("discovery", "Phase deep dive: Discovery", 10, Phase.DISCOVERY),
    AgendaSection("definition", "Phase deep dive: Definition", 10, Phase.DEFINITION),
    AgendaSection("development", "Phase deep dive: Development", 15, Phase.DEVELOPMENT),
    AgendaSection("delivery", "Phase deep dive: Delivery", 10, Phase.DELIVERY),
    AgendaSection("quality", "Quality & bug management", 20),
    AgendaSection("synergies", "Cross-company synergies & resources", 10),
)
"""The seed's agenda: 15 + 45 (10/10/15/10) + 20 + 10 = 90 minutes."""

AGENDA_MINUTES = sum(section.minutes for section in AGENDA)


@dataclass(frozen=True, slots=True)
class Countdown:
    """Where a timeboxed section stands."""

    remaining_seconds: int
    """Seconds left in the timebox; negative once over time."""
    over_time: bool


def countdown(section: AgendaSection, elapsed_seconds: float) -> Countdown:
    """The section's countdown after `elapsed_seconds` spent on it."""
    remaining = section.minutes * 60 - int(elapsed_seconds)
    return Countdown(remaining, remaining < 0)


def clock_text(seconds: int) -> str:
    """Seconds as m:ss, with a minus sign when negative (over time)."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


# -- the Friday pre-read ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartStatus:
    part: SubmissionPart
    submitted_at: datetime | None
    late: bool


@dataclass(frozen=True, slots=True)
class PrereadRow:
    """One person's pre-read for a week: the parts they owe and where each stands."""

    person: Person
    parts: tuple[PartStatus, ...]

    @property
    def submitted(self) -> int:
        return sum(1 for part in self.parts if part.submitted_at is not None)

    @property
    def complete(self) -> bool:
        return self.submitted == len(self.parts)

    @property
    def late(self) -> bool:
        return any(part.late for part in self.parts)


@dataclass(frozen=True, slots=True)
class PrereadSummary:
    rows: tuple[PrereadRow, ...]
    people_complete: int
    parts_submitted: int
    parts_owed: int
    late_parts: int


def preread(
    week: str, people: Sequence[Person], submissions: Sequence[Submission]
) -> PrereadSummary:
    """Every product manager and engineering lead with the parts they owe for `week`.

    A part is late when it was submitted after the Friday 17:00 deadline before the week's
    Monday (an unsubmitted part is missing, not late).
    """
    done = {(s.person_id, s.part): s.submitted_at for s in submissions if s.week == week}
    rows = []
    for person in sorted(people, key=lambda p: (p.role.value, p.name.casefold())):
        owed = SUBMISSION_PARTS.get(person.role)
        if not owed or person.id is None:
            continue
        parts = []
        for part in owed:
            at = done.get((person.id, part))
            parts.append(PartStatus(part, at, at is not None and is_late(at, week)))
        rows.append(PrereadRow(person, tuple(parts)))
    return PrereadSummary(
        rows=tuple(rows),
        people_complete=sum(1 for row in rows if row.complete),
        parts_submitted=sum(row.submitted for row in rows),
        parts_owed=sum(len(row.parts) for row in rows),
        late_parts=sum(1 for row in rows for part in row.parts if part.late),
    )


# -- action items and decisions ---------------------------------------------------------------


def is_overdue(item: ActionItem, today: date) -> bool:
    """An unfinished action item past its due date."""
    return (
        item.status is not ActionStatus.COMPLETE
        and item.due_date is not None
        and item.due_date < today
    )


def carried_into(week: str, raised_in: str, done_on: date | None) -> bool:
    """Whether an item belongs on `week`'s agenda: raised that week, or earlier and either
    still open or done during the week (so that its closing shows)."""
    if raised_in == week:
        return True
    return raised_in < week and (done_on is None or done_on >= week_monday(week))


def week_action_items(items: Sequence[ActionItem], week: str) -> list[ActionItem]:
    """The week's action items, as the screen, meeting mode and the export list them: its
    own, and those of earlier weeks still open or closed during the week. A Complete item
    without a closing date was closed at some unknown time: only its own week shows it.

    Listed by due date (items without one last), then in the order added: the pre-read
    reads as a schedule.
    """

    def on_agenda(item: ActionItem) -> bool:
        if item.closed_on is None and item.status is ActionStatus.COMPLETE:
            return item.week == week
        return carried_into(week, item.week, item.closed_on)

    return sorted(
        (item for item in items if on_agenda(item)),
        key=lambda item: (item.due_date is None, item.due_date or date.min, item.id or 0),
    )


def week_decisions(decisions: Sequence[Decision], week: str) -> list[Decision]:
    """The week's decisions: taken or raised that week, and earlier ones still undecided or
    decided during the week, in the order raised."""
    return [
        decision
        for decision in decisions
        if carried_into(
            week, decision.week, None if decision.decided_at is None else decision.decided_at.date()
        )
    ]


def decision_overdue(decision: Decision, now: datetime) -> bool:
    """A follow-up decision not decided 48 hours after it was raised."""
    return (
        decision.kind is DecisionKind.FOLLOW_UP
        and decision.decided_at is None
        and now > decision.due_at
    )


# -- follow-up checkpoints --------------------------------------------------------------------

FOLLOW_UPS: tuple[tuple[str, int, str], ...] = (
    ("Tuesday", 1, "Action item progress check with owners"),
    ("Wednesday", 2, "Mid-week blocker resolution if needed"),
    ("Friday", 4, "Action item completion verification and next week preparation"),
)
"""The seed's follow-up process: day, days after Monday, what happens."""


def follow_up_date(week: str, days_after_monday: int) -> date:
    """The date of a follow-up checkpoint of `week`."""
    return week_monday(week) + timedelta(days=days_after_monday)


REVIEW_ROLES = (PersonRole.PRODUCT_MANAGER, PersonRole.ENGINEERING_LEAD)
