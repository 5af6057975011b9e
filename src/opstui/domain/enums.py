"""Every enumerated value of the domain, defined once.

Screens, the export, the generator and the tests import these; the stored value is the
enum's value (the word users read), so a workspace stays readable with any SQLite tool.
"""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """The 4D phases, in their order."""

    DISCOVERY = "Discovery"
    DEFINITION = "Definition"
    DEVELOPMENT = "Development"
    DELIVERY = "Delivery"

    @property
    def order(self) -> int:
        return list(Phase).index(self)

    def next(self) -> Phase | None:
        phases = list(Phase)
        return phases[self.order + 1] if self.order + 1 < len(phases) else None

    def previous(self) -> Phase | None:
        return list(Phase)[self.order - 1] if self.order > 0 else None


class ProjectStatus(StrEnum):
    ON_TRACK = "On track"
    AT_RISK = "At risk"
    OFF_TRACK = "Off track"


class RiskLevel(StrEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


class MarketValidation(StrEnum):
    STRONG = "Strong"
    MEDIUM = "Medium"
    WEAK = "Weak"


class Feasibility(StrEnum):
    CONFIRMED = "Confirmed"
    CONCERNS = "Concerns"
    BLOCKERS = "Blockers"


class VelocityTrend(StrEnum):
    INCREASING = "Increasing"
    STABLE = "Stable"
    DECREASING = "Decreasing"


class QualityGates(StrEnum):
    ALL_MET = "All met"
    ISSUES = "Issues"


class LaunchPhase(StrEnum):
    BETA = "Beta"
    GRADUAL = "Gradual"
    FULL = "Full"


class Priority(StrEnum):
    """Bug priority. An untriaged bug has no priority (None)."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class BugStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DUPLICATE = "duplicate"


OPEN_BUG_STATUSES: tuple[BugStatus, ...] = (BugStatus.OPEN, BugStatus.IN_PROGRESS)
DONE_BUG_STATUSES: tuple[BugStatus, ...] = (BugStatus.RESOLVED, BugStatus.CLOSED)


class PlaybookStep(StrEnum):
    """The P0 incident playbook, in order."""

    DETECT = "detect"
    RESPOND = "respond"
    COMMUNICATE = "communicate"
    RECOVER = "recover"
    POST_INCIDENT = "post-incident"


# Each step's window, in minutes after detection: (opens, closes).
PLAYBOOK_WINDOWS: dict[PlaybookStep, tuple[int, int]] = {
    PlaybookStep.DETECT: (0, 1),
    PlaybookStep.RESPOND: (1, 5),
    PlaybookStep.COMMUNICATE: (5, 10),
    PlaybookStep.RECOVER: (10, 30),
    PlaybookStep.POST_INCIDENT: (60, 24 * 60),
}


class ChurnRisk(StrEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


class FeedbackKind(StrEnum):
    FEATURE_REQUEST = "feature request"
    PAIN_POINT = "pain point"
    PRAISE = "praise"
    BUG = "bug"


class RequestStatus(StrEnum):
    BACKLOG = "backlog"
    PLANNED = "planned"
    IN_ROADMAP = "in roadmap"
    SHIPPED = "shipped"


class HealthBand(StrEnum):
    RED = "Red"
    YELLOW = "Yellow"
    GREEN = "Green"


class PersonRole(StrEnum):
    PRODUCT_MANAGER = "product manager"
    ENGINEERING_LEAD = "engineering lead"
    DIRECTOR = "director"
    CSM = "csm"
    EXECUTIVE = "executive"
    OTHER = "other"


class ActionPriority(StrEnum):
    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"


class ActionStatus(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    BLOCKED = "Blocked"
    COMPLETE = "Complete"


class DecisionKind(StrEnum):
    IMMEDIATE = "immediate"
    FOLLOW_UP = "follow-up"


class DecisionCategory(StrEnum):
    RESOURCE_REALLOCATION = "resource reallocation"
    GO_NO_GO = "go/no-go"
    QUALITY_INITIATIVE = "quality initiative"
    TECHNOLOGY_SHARING = "technology sharing"
    ARCHITECTURE_CHANGE = "architecture change"
    BUDGET_OVER_5K = "budget over $5K"
    PARTNERSHIP = "partnership"
    ESCALATED_CUSTOMER_ISSUE = "escalated customer issue"


class RiskStatus(StrEnum):
    OPEN = "Open"
    MITIGATING = "Mitigating"
    CLOSED = "Closed"


class SubmissionPart(StrEnum):
    """What each person owes for the Friday pre-read."""

    PROJECT_STATUS = "project status updates"
    RISKS_BLOCKERS = "risks/blockers for escalation"
    RESOURCE_NEEDS = "resource needs"
    QUALITY_BUGS = "quality metrics and bug status"
    TECHNICAL_PROGRESS = "technical progress and velocity"
    QUALITY_GATES = "quality gates and test results"
    INFRA_TECH_DEBT = "infrastructure / tech-debt priorities"
    DEPENDENCIES = "cross-team dependencies"


class SubmissionState(StrEnum):
    """Where a person's Friday pre-read stands: saved as a draft, submitted, returned by the
    director with a comment (the author changes it and submits again), or accepted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class PrereadStatus(StrEnum):
    """What the checklist says of one person's pre-read."""

    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LATE = "late"
    """Submitted (and not yet reviewed) after the deadline."""
    RETURNED = "returned"
    ACCEPTED = "accepted"


SUBMISSION_PARTS: dict[PersonRole, tuple[SubmissionPart, ...]] = {
    PersonRole.PRODUCT_MANAGER: (
        SubmissionPart.PROJECT_STATUS,
        SubmissionPart.RISKS_BLOCKERS,
        SubmissionPart.RESOURCE_NEEDS,
        SubmissionPart.QUALITY_BUGS,
    ),
    PersonRole.ENGINEERING_LEAD: (
        SubmissionPart.TECHNICAL_PROGRESS,
        SubmissionPart.QUALITY_GATES,
        SubmissionPart.INFRA_TECH_DEBT,
        SubmissionPart.DEPENDENCIES,
    ),
}


class EscalationTrigger(StrEnum):
    """The seed's triggers for immediate CPTO attention."""

    BUG_UNRESOLVED = "P0/P1 bug unresolved"
    PROJECT_LATE = "project more than a week late"
    SECURITY = "security or compliance flag"
    CUSTOMER = "customer escalation"


class Trend(StrEnum):
    """Direction of a figure against the previous snapshot (↑ is better)."""

    UP = "↑"
    FLAT = "→"
    DOWN = "↓"
