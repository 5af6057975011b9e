"""The weekly review's own figures: the pre-read checklist, the Monday agenda, the week's
action items and decisions, and the follow-up checkpoints.

Pure functions: they receive the week's rows and "now"/"today" and return what the weekly
screen and meeting mode show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from opstui.domain.enums import (
    SUBMISSION_PARTS,
    ActionStatus,
    DecisionKind,
    PersonRole,
    Phase,
    PrereadStatus,
    SubmissionPart,
    SubmissionState,
)
from opstui.domain.models import ActionItem, Decision, Person, PrereadSubmission, Project
from opstui.domain.text import clean_text
from opstui.domain.weeks import PREREAD_DUE_TIME, is_late, preread_deadline, week_monday

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


class TransitionError(ValueError):
    """A step the submission's state does not allow (one line for the user)."""


@dataclass(frozen=True, slots=True)
class PrereadRow:
    """One person's pre-read for a week: what they owe, what they wrote and where it
    stands."""

    person: Person
    parts: tuple[SubmissionPart, ...]
    """The parts the person's role owes, in the seed's order."""
    projects: tuple[Project, ...]
    """The projects the person is product manager or engineering lead of."""
    submission: PrereadSubmission | None
    late: bool
    """First submitted after the deadline."""
    reviewer: str = ""
    """The director who last returned or accepted it."""

    @property
    def state(self) -> SubmissionState | None:
        return None if self.submission is None else self.submission.state

    @property
    def status(self) -> PrereadStatus:
        state = self.state
        if state is None:
            return PrereadStatus.MISSING
        if state is SubmissionState.SUBMITTED and self.late:
            return PrereadStatus.LATE
        return PrereadStatus(state.value)

    @property
    def accepted(self) -> bool:
        return self.state is SubmissionState.ACCEPTED


@dataclass(frozen=True, slots=True)
class PrereadSummary:
    week: str
    deadline: datetime
    rows: tuple[PrereadRow, ...]

    def count(self, *statuses: PrereadStatus) -> int:
        return sum(1 for row in self.rows if row.status in statuses)

    @property
    def handed_in(self) -> int:
        """People whose pre-read is submitted (on time or late) or accepted; a returned
        one is back with its author."""
        return self.count(PrereadStatus.SUBMITTED, PrereadStatus.LATE, PrereadStatus.ACCEPTED)

    @property
    def late(self) -> int:
        return sum(1 for row in self.rows if row.late)

    @property
    def accepted(self) -> int:
        return self.count(PrereadStatus.ACCEPTED)

    def row_of(self, person_id: int) -> PrereadRow | None:
        return next((row for row in self.rows if row.person.id == person_id), None)


@dataclass(frozen=True, slots=True)
class PrereadEdit:
    """What the author typed: each part's text, each project's note and edited fields,
    and whether they asked to submit (else: save a draft)."""

    parts: dict[SubmissionPart, str]
    notes: dict[int, str]
    projects: tuple[Project, ...]
    """The author's projects as edited (only `PROJECT_FIELDS` differ)."""
    submit: bool


@dataclass(frozen=True, slots=True)
class PrereadSeen:
    """What the form was opened on: the stored pre-read (version 0 when new) and the
    author's projects as read. A write is made against these."""

    submission: PrereadSubmission
    projects: tuple[Project, ...]


def owes_preread(person: Person) -> bool:
    """Product managers and engineering leads (not retired) owe the Friday pre-read."""
    return person.retired_on is None and bool(SUBMISSION_PARTS.get(person.role))


def persons_projects(person_id: int, projects: Sequence[Project]) -> tuple[Project, ...]:
    """The projects `person_id` is product manager or engineering lead of, by name."""
    return tuple(
        sorted(
            (p for p in projects if person_id in (p.pm_id, p.lead_id)),
            key=lambda p: (p.name.casefold(), p.id or 0),
        )
    )


def preread(
    week: str,
    people: Sequence[Person],
    submissions: Sequence[PrereadSubmission],
    projects: Sequence[Project] = (),
    due: time = PREREAD_DUE_TIME,
) -> PrereadSummary:
    """Every product manager and engineering lead with their pre-read for `week`.

    A pre-read is late when it was first submitted after the Friday deadline (`due`) before
    the week's Monday; one not submitted yet is missing or a draft, not late. Someone
    retired who had already written one for the week is still listed.
    """
    mine = {s.person_id: s for s in submissions if s.week == week}
    names = {p.id: p.name for p in people}
    rows = []
    for person in sorted(people, key=lambda p: (p.role.value, p.name.casefold())):
        if person.id is None or not SUBMISSION_PARTS.get(person.role):
            continue
        submission = mine.get(person.id)
        if not owes_preread(person) and submission is None:
            continue
        first = submission.first_submitted_at if submission else None
        reviewer = names.get(submission.reviewer_id, "") if submission else ""
        rows.append(
            PrereadRow(
                person,
                SUBMISSION_PARTS[person.role],
                persons_projects(person.id, projects),
                submission,
                first is not None and is_late(first, week, due),
                reviewer,
            )
        )
    return PrereadSummary(week, preread_deadline(week, due), tuple(rows))


def is_director(person: Person | None) -> bool:
    """Whether `person` reviews and accepts pre-reads (the seed's product engineering
    director: the director role)."""
    return person is not None and person.role is PersonRole.DIRECTOR and person.retired_on is None


def person_named(name: str | None, people: Sequence[Person]) -> Person | None:
    """The workspace's person of that name (case and surrounding spaces aside), if any:
    who is at the keyboard, as a record. Someone retired is nobody at the keyboard."""
    wanted = (name or "").strip().casefold()
    if not wanted:
        return None
    return next(
        (p for p in people if p.retired_on is None and p.name.strip().casefold() == wanted),
        None,
    )


def may_edit(submission: PrereadSubmission | None) -> bool:
    """The author may change a draft or a returned pre-read (or start one)."""
    return submission is None or submission.state in (
        SubmissionState.DRAFT,
        SubmissionState.RETURNED,
    )


def drafted(
    submission: PrereadSubmission,
    parts: Mapping[SubmissionPart, str],
    notes: Mapping[int, str],
    now: datetime,
) -> PrereadSubmission:
    """The pre-read with the author's text saved (its state kept: a returned one stays
    returned, with the director's comment, until it is submitted again)."""
    if not may_edit(submission):
        raise TransitionError(
            f"this pre-read is {submission.state.value}: only a draft or a returned one changes"
        )
    return PrereadSubmission.model_validate(
        {
            **submission.model_dump(),
            "parts": {part: text for part, text in parts.items() if text.strip()},
            "project_notes": {pid: text for pid, text in notes.items() if text.strip()},
            "saved_at": now,
        }
    )


def missing_parts(
    submission: PrereadSubmission, owed: Sequence[SubmissionPart]
) -> list[SubmissionPart]:
    """The parts owed that hold no text yet."""
    return [part for part in owed if not submission.text_of(part).strip()]


def submitted(
    submission: PrereadSubmission, owed: Sequence[SubmissionPart], now: datetime
) -> PrereadSubmission:
    """The pre-read handed in at `now`: every part owed must hold text."""
    if not may_edit(submission):
        raise TransitionError(f"this pre-read is already {submission.state.value}")
    missing = missing_parts(submission, owed)
    if missing:
        raise TransitionError("write every part before submitting: " + ", ".join(missing))
    return submission.model_copy(
        update={
            "state": SubmissionState.SUBMITTED,
            "submitted_at": now,
            "first_submitted_at": submission.first_submitted_at or now,
            "saved_at": now,
        }
    )


def _reviewable(submission: PrereadSubmission, reviewer: Person | None) -> int:
    if not is_director(reviewer) or reviewer is None or reviewer.id is None:
        raise TransitionError("only a director reviews pre-reads")
    if reviewer.id == submission.person_id:
        raise TransitionError("nobody reviews their own pre-read")
    if submission.state is not SubmissionState.SUBMITTED:
        raise TransitionError(
            f"only a submitted pre-read is reviewed; this one is {submission.state.value}"
        )
    return reviewer.id


def accepted(
    submission: PrereadSubmission, reviewer: Person | None, now: datetime
) -> PrereadSubmission:
    """The director accepts a submitted pre-read."""
    reviewer_id = _reviewable(submission, reviewer)
    return submission.model_copy(
        update={
            "state": SubmissionState.ACCEPTED,
            "reviewer_id": reviewer_id,
            "reviewed_at": now,
        }
    )


def returned(
    submission: PrereadSubmission, reviewer: Person | None, comment: str, now: datetime
) -> PrereadSubmission:
    """The director returns a submitted pre-read to its author, saying why."""
    reviewer_id = _reviewable(submission, reviewer)
    text = clean_text(comment).strip()
    if not text:
        raise TransitionError("say why it is returned: the comment must not be empty")
    return submission.model_copy(
        update={
            "state": SubmissionState.RETURNED,
            "comment": text,
            "reviewer_id": reviewer_id,
            "reviewed_at": now,
        }
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
