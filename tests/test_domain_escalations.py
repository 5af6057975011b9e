"""Escalations: which bugs, projects and customers need the CPTO's attention today."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from opstui.domain.enums import BugStatus, EscalationTrigger, Priority
from opstui.domain.escalations import Escalation, escalations
from opstui.domain.models import Bug, Customer, Project

TODAY = date(2026, 7, 6)
BASELINE = date(2026, 9, 1)


def bug(
    bug_id: int,
    title: str,
    priority: Priority | None,
    status: BugStatus = BugStatus.OPEN,
    *,
    days_ago: int = 0,
    security: bool = False,
) -> Bug:
    opened = datetime(2026, 7, 6, 9, 0) - timedelta(days=days_ago)
    return Bug(
        id=bug_id,
        title=title,
        priority=priority,
        status=status,
        opened_at=opened,
        resolved_at=opened + timedelta(hours=1) if status is BugStatus.RESOLVED else None,
        security_flag=security,
    )


def project(project_id: int, name: str, slip: int | None) -> Project:
    return Project(
        id=project_id,
        name=name,
        company_id=1,
        baseline_completion=BASELINE if slip is not None else None,
        completion_date=BASELINE + timedelta(days=slip) if slip is not None else None,
    )


def customer(customer_id: int, name: str, *, escalated: bool, note: str = "") -> Customer:
    return Customer(
        id=customer_id, name=name, company_id=1, escalated=escalated, escalation_note=note
    )


def test_a_p0_open_for_three_days_escalates_as_an_unresolved_bug() -> None:
    found = escalations([bug(7, "Checkout fails", Priority.P0, days_ago=3)], [], [], TODAY)

    assert found == (
        Escalation(
            EscalationTrigger.BUG_UNRESOLVED, "bug", 7, "Checkout fails", "P0 · open 3 days"
        ),
    )


def test_a_p1_being_worked_on_is_still_unresolved() -> None:
    found = escalations(
        [bug(8, "Slow search", Priority.P1, BugStatus.IN_PROGRESS, days_ago=1)], [], [], TODAY
    )

    assert [(e.trigger, e.detail) for e in found] == [
        (EscalationTrigger.BUG_UNRESOLVED, "P1 · open 1 day")
    ]


@pytest.mark.parametrize("status", [BugStatus.RESOLVED, BugStatus.CLOSED, BugStatus.DUPLICATE])
def test_resolved_closed_and_duplicate_bugs_never_escalate(status: BugStatus) -> None:
    done = [
        bug(1, "Was a P0", Priority.P0, status, days_ago=5),
        bug(2, "Was a security hole", Priority.P2, status, days_ago=5, security=True),
    ]

    assert escalations(done, [], [], TODAY) == ()


def test_open_p2_and_p3_bugs_and_untriaged_ones_do_not_escalate() -> None:
    calm = [
        bug(1, "Typo", Priority.P3, days_ago=30),
        bug(2, "Misaligned", Priority.P2, days_ago=30),
        bug(3, "Just filed", None),
    ]

    assert escalations(calm, [], [], TODAY) == ()


def test_any_open_bug_with_a_security_flag_escalates_whatever_its_priority() -> None:
    found = escalations(
        [
            bug(4, "Token in logs", Priority.P3, days_ago=2, security=True),
            bug(5, "GDPR export gap", None, security=True),
        ],
        [],
        [],
        TODAY,
    )

    assert [(e.trigger, e.target_id, e.detail) for e in found] == [
        (EscalationTrigger.SECURITY, 4, "P3 · open 2 days"),
        (EscalationTrigger.SECURITY, 5, "untriaged · open 0 days"),
    ]


def test_a_p0_security_bug_is_listed_under_both_triggers() -> None:
    found = escalations([bug(9, "Auth bypass", Priority.P0, security=True)], [], [], TODAY)

    assert [e.trigger for e in found] == [
        EscalationTrigger.BUG_UNRESOLVED,
        EscalationTrigger.SECURITY,
    ]


def test_a_project_twelve_days_behind_baseline_escalates() -> None:
    found = escalations([], [project(3, "Billing v2", slip=12)], [], TODAY)

    assert found == (
        Escalation(
            EscalationTrigger.PROJECT_LATE, "project", 3, "Billing v2", "12 days behind baseline"
        ),
    )


def test_a_project_a_week_late_on_time_or_without_a_baseline_does_not() -> None:
    projects = [
        project(1, "A week late", slip=7),
        project(2, "Ahead", slip=-5),
        project(3, "No baseline", slip=None),
    ]

    assert escalations([], projects, [], TODAY) == ()


def test_an_escalated_customer_escalates_with_its_note_on_one_line() -> None:
    found = escalations(
        [],
        [],
        [customer(11, "Globex", escalated=True, note="Outage on Friday.\nCFO called.")],
        TODAY,
    )

    assert found == (
        Escalation(
            EscalationTrigger.CUSTOMER,
            "customer",
            11,
            "Globex",
            "Outage on Friday. CFO called.",
        ),
    )


def test_an_escalated_customer_without_a_note_says_escalated() -> None:
    found = escalations([], [], [customer(12, "Initech", escalated=True)], TODAY)

    assert [e.detail for e in found] == ["escalated"]


def test_customers_not_flagged_do_not_escalate() -> None:
    assert escalations([], [], [customer(13, "Umbrella", escalated=False)], TODAY) == ()


def test_a_quiet_week_has_no_escalations() -> None:
    assert escalations([], [], [], TODAY) == ()


def test_the_list_runs_by_trigger_then_p0_before_p1_then_title() -> None:
    bugs = [
        bug(1, "Slow search", Priority.P1, days_ago=1),
        bug(2, "checkout fails", Priority.P0, days_ago=3),
        bug(3, "Auth bypass", Priority.P0, security=True),
        bug(4, "Token in logs", Priority.P2, security=True),
        bug(5, "Audit trail gap", None, security=True),
        bug(6, "Another P1", Priority.P1),
    ]
    projects = [project(21, "Zephyr", slip=9), project(22, "Billing v2", slip=30)]
    customers = [
        customer(31, "Initech", escalated=True),
        customer(32, "Globex", escalated=True),
    ]

    found = escalations(bugs, projects, customers, TODAY)

    assert [(e.trigger, e.title) for e in found] == [
        (EscalationTrigger.BUG_UNRESOLVED, "Auth bypass"),
        (EscalationTrigger.BUG_UNRESOLVED, "checkout fails"),
        (EscalationTrigger.BUG_UNRESOLVED, "Another P1"),
        (EscalationTrigger.BUG_UNRESOLVED, "Slow search"),
        (EscalationTrigger.PROJECT_LATE, "Billing v2"),
        (EscalationTrigger.PROJECT_LATE, "Zephyr"),
        (EscalationTrigger.SECURITY, "Auth bypass"),
        (EscalationTrigger.SECURITY, "Token in logs"),
        (EscalationTrigger.SECURITY, "Audit trail gap"),
        (EscalationTrigger.CUSTOMER, "Globex"),
        (EscalationTrigger.CUSTOMER, "Initech"),
    ]


def test_a_bug_that_was_never_saved_cannot_escalate() -> None:
    unsaved = Bug(title="Draft", priority=Priority.P0, opened_at=datetime(2026, 7, 6, 9, 0))

    with pytest.raises(ValueError, match="no id"):
        escalations([unsaved], [], [], TODAY)
