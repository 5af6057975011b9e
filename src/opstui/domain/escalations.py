"""Escalations: what needs the CPTO's attention now, from the seed's triggers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from opstui.domain.bugs import URGENT_PRIORITIES
from opstui.domain.customers import CustomerLike
from opstui.domain.enums import OPEN_BUG_STATUSES, EscalationTrigger, Priority
from opstui.domain.models import Bug, Project
from opstui.domain.portfolio import is_slipping, slip_days
from opstui.domain.text import clean_line

EscalationKind = Literal["bug", "project", "customer"]

_TRIGGER_ORDER = {trigger: index for index, trigger in enumerate(EscalationTrigger)}
_PRIORITY_ORDER = {priority: index for index, priority in enumerate(Priority)}
# Untriaged bugs, projects and customers sort after every priority.
_NO_PRIORITY = len(_PRIORITY_ORDER)


@dataclass(frozen=True, slots=True)
class Escalation:
    """One item needing the CPTO's attention, and why."""

    trigger: EscalationTrigger
    kind: EscalationKind
    target_id: int
    """The id of the bug, project or customer."""
    title: str
    detail: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _required_id(entity_id: int | None, what: str) -> int:
    # Escalations are computed from stored rows; an unsaved one is a programming error.
    if entity_id is None:
        raise ValueError(f"{what} has no id: only stored rows can escalate")
    return entity_id


def escalations(
    bugs: Sequence[Bug],
    projects: Sequence[Project],
    customers: Sequence[CustomerLike],
    today: date,
) -> tuple[Escalation, ...]:
    """Everything that triggers an escalation today.

    - a P0 or P1 bug still open or in progress: BUG_UNRESOLVED ("P0 · open 3 days");
    - an open or in-progress bug with the security/compliance flag: SECURITY (a P0/P1
      security bug is listed under both triggers);
    - a project more than a week behind its baseline: PROJECT_LATE ("12 days behind
      baseline");
    - a customer marked escalated: CUSTOMER, with the escalation note as detail.
    Resolved, closed and duplicate bugs never escalate. Ordered by trigger (the enum's
    order), then P0 before P1 (then P2, P3, untriaged), then title.
    """
    found: list[tuple[int, Escalation]] = []

    for bug in bugs:
        if bug.status not in OPEN_BUG_STATUSES:
            continue
        days_open = max(0, (today - bug.opened_at.date()).days)
        detail = f"{bug.priority or 'untriaged'} · open {_plural(days_open, 'day')}"
        rank = _PRIORITY_ORDER[bug.priority] if bug.priority is not None else _NO_PRIORITY
        triggers = []
        if bug.priority in URGENT_PRIORITIES:
            triggers.append(EscalationTrigger.BUG_UNRESOLVED)
        if bug.security_flag:
            triggers.append(EscalationTrigger.SECURITY)
        for trigger in triggers:
            bug_id = _required_id(bug.id, f"bug {bug.title!r}")
            found.append((rank, Escalation(trigger, "bug", bug_id, bug.title, detail)))

    for project in projects:
        if not is_slipping(project):
            continue
        detail = f"{_plural(slip_days(project) or 0, 'day')} behind baseline"
        project_id = _required_id(project.id, f"project {project.name!r}")
        found.append(
            (
                _NO_PRIORITY,
                Escalation(
                    EscalationTrigger.PROJECT_LATE, "project", project_id, project.name, detail
                ),
            )
        )

    for customer in customers:
        if not customer.escalated:
            continue
        # The note is multi-line text; an escalation is listed on one line.
        detail = clean_line(customer.escalation_note) or "escalated"
        customer_id = _required_id(customer.id, f"customer {customer.name!r}")
        found.append(
            (
                _NO_PRIORITY,
                Escalation(
                    EscalationTrigger.CUSTOMER, "customer", customer_id, customer.name, detail
                ),
            )
        )

    found.sort(
        key=lambda item: (
            _TRIGGER_ORDER[item[1].trigger],
            item[0],
            item[1].title.casefold(),
            item[1].title,
            item[1].target_id,
        )
    )
    return tuple(escalation for _, escalation in found)
