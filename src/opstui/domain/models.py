"""Pydantic models for every entity of a workspace.

The repository takes these in and gives these out; validation here is what a form shows on
its fields. Text fields strip control characters on the way in, so none is ever stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    BugStatus,
    ChurnRisk,
    DecisionCategory,
    DecisionKind,
    Feasibility,
    FeedbackKind,
    LaunchPhase,
    MarketValidation,
    PersonRole,
    Phase,
    PlaybookStep,
    Priority,
    ProjectStatus,
    QualityGates,
    RequestStatus,
    RiskLevel,
    RiskStatus,
    SubmissionPart,
    SubmissionState,
    VelocityTrend,
)
from opstui.domain.limits import MONEY_MAX, SQLITE_INTEGER_MAX
from opstui.domain.text import clean_line, clean_text
from opstui.domain.wording import problem_in_words

FOLLOW_UP_WINDOW = timedelta(hours=48)
"""A follow-up decision is due this long after it was raised (seed: within 48 hours)."""

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def _line(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) else value


def _text(value: Any) -> Any:
    return clean_text(value).strip() if isinstance(value, str) else value


def _not_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _iso_week(value: str) -> str:
    match = _ISO_WEEK.match(value)
    if match is None:
        raise ValueError("must be an ISO week like 2026-W28")
    year, week = int(match[1]), int(match[2])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}") from None
    return value


Line = Annotated[str, BeforeValidator(_line)]
"""One line of text: controls removed, line breaks folded to spaces."""
Title = Annotated[str, BeforeValidator(_line), AfterValidator(_not_empty)]
"""A required single-line name or title."""
Text = Annotated[str, BeforeValidator(_text)]
"""Free multi-line text."""
IsoWeek = Annotated[str, BeforeValidator(_line), AfterValidator(_iso_week)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=SQLITE_INTEGER_MAX)]
Money = Annotated[float, Field(ge=0, le=MONEY_MAX, allow_inf_nan=False)]


class Model(BaseModel):
    """Base of every entity: strict about unknown fields, blanks mean None."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)

    row_problems: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """What was wrong with the stored row this entity was read from, by field, in a form's
    words ("'soon' is not a date (YYYY-MM-DD)"); empty for every valid row. The repository
    sets it on the entities it reads from rows that break the model, whose bad fields hold
    stand-ins meanwhile: saving the entity writes valid values and so repairs the row."""

    @classmethod
    def _blankable(cls) -> frozenset[str]:
        """Fields with a default that is not text: a blank value there means "not set" (None,
        or the default, as for a ticket count left empty)."""
        cached = cls.__dict__.get("_blankable_fields")
        if cached is None:
            cached = frozenset(
                name
                for name, field in cls.model_fields.items()
                if not field.is_required() and not isinstance(field.default, str)
            )
            type.__setattr__(cls, "_blankable_fields", cached)
        return cached

    @model_validator(mode="before")
    @classmethod
    def _blank_optional_fields(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        blankable = cls._blankable()
        # Rows are read by the thousand, and stored rows hold None, not blanks: look only
        # at the optional fields, and only at their string values.
        blank = [
            name
            for name in blankable
            if (value := data.get(name)).__class__ is str and not value.strip()
        ]
        if not blank:
            return data
        cleaned = dict(data)
        fields = cls.model_fields
        for name in blank:
            if fields[name].default is None:
                cleaned[name] = None
            else:
                del cleaned[name]  # the field's default applies
        return cleaned


def _model_named(title: str) -> type[Model] | None:
    """The model class a validation error is about (its title is the class name)."""
    stack: list[type[Model]] = [Model]
    while stack:
        kind = stack.pop()
        if kind.__name__ == title:
            return kind
        stack.extend(kind.__subclasses__())
    return None


def field_errors(error: ValidationError) -> dict[str, str]:
    """One message per field, in the user's words, for showing each error under its field."""
    model = _model_named(error.title)
    messages: dict[str, str] = {}
    for item in error.errors():
        if item["loc"]:
            field = str(item["loc"][0])
            message = problem_in_words(item, model)
        else:
            # Cross-field checks name their field as "field: message".
            message = str(item["msg"]).removeprefix("Value error, ")
            field, _, rest = message.partition(": ")
            if rest and field.isidentifier():
                message = rest
            else:
                field = "__root__"
        messages.setdefault(field, message)
    return messages


class Company(Model):
    id: int | None = None
    name: Title
    retired_on: date | None = None
    """Set when the company is retired: hidden from pickers, kept in history."""


class Product(Model):
    id: int | None = None
    company_id: int
    name: Title
    retired_on: date | None = None


class Person(Model):
    id: int | None = None
    name: Title
    role: PersonRole
    company_id: int | None = None
    email: Line | None = None
    retired_on: date | None = None


class PhaseChange(Model):
    """A project entering a phase on a date; the history gives time spent per phase."""

    id: int | None = None
    project_id: int
    phase: Phase
    entered_on: date


class Project(Model):
    id: int | None = None
    name: Title
    company_id: int
    product_id: int | None = None
    phase: Phase = Phase.DISCOVERY
    progress: Percent = 0
    status: ProjectStatus = ProjectStatus.ON_TRACK
    next_milestone: Line = ""
    milestone_date: date | None = None
    risk: RiskLevel = RiskLevel.LOW
    completion_date: date | None = None
    baseline_completion: date | None = None
    """The completion date first committed to; slip is measured against it."""
    pm_id: int | None = None
    lead_id: int | None = None
    cpto_input: Text = ""
    """What the project needs from the CPTO this week ("CPTO input needed")."""
    # Discovery deep dive
    problem: Text = ""
    interviews_done: Count | None = None
    key_findings: Text = ""
    market_validation: MarketValidation | None = None
    go_no_go_date: date | None = None
    # Definition deep dive
    scope_finalised: bool | None = None
    scope_remaining: Text = ""
    feasibility: Feasibility | None = None
    resource_requirements: Text = ""
    dev_start_date: date | None = None
    # Development deep dive
    sprint_current: Annotated[int, Field(ge=1)] | None = None
    sprint_total: Annotated[int, Field(ge=1)] | None = None
    velocity_trend: VelocityTrend | None = None
    quality_gates: QualityGates | None = None
    key_blockers: Text = ""
    beta_feedback: Text = ""
    # Delivery deep dive
    launch_phase: LaunchPhase | None = None
    adoption_pct: Percent | None = None
    business_impact_arr: Money | None = None
    satisfaction: Text = ""
    support_impact: Text = ""
    source_key: Line | None = None
    """Where an imported project came from (see `Bug.source_key`)."""

    @model_validator(mode="after")
    def _sprints_in_range(self) -> Project:
        if (
            self.sprint_current is not None
            and self.sprint_total is not None
            and self.sprint_current > self.sprint_total
        ):
            raise ValueError("sprint_current: sprint cannot be past the last sprint")
        return self


class Bug(Model):
    id: int | None = None
    title: Title
    description: Text = ""
    company_id: int | None = None
    product_id: int | None = None
    priority: Priority | None = None
    """None while the bug is untriaged."""
    status: BugStatus = BugStatus.OPEN
    opened_at: datetime
    resolved_at: datetime | None = None
    assignee_id: int | None = None
    project_id: int | None = None
    duplicate_of: int | None = None
    snoozed_until: date | None = None
    security_flag: bool = False
    # P0/P1 analysis
    customers_affected: Count | None = None
    revenue_impact: Money | None = None
    root_cause: Text = ""
    expected_fix_date: date | None = None
    prevention: Text = ""
    source_key: Line | None = None
    """Where an imported bug came from ("jira:ACME-12", "linear:ENG-3", "github:URL",
    "csv:…"); None for a bug typed into opstui. Importing the same file again finds it."""

    @model_validator(mode="after")
    def _resolved_after_opened(self) -> Bug:
        if self.resolved_at is not None and self.resolved_at < self.opened_at:
            raise ValueError("resolved_at: a bug cannot be resolved before it was opened")
        return self


class PlaybookCheck(Model):
    """One incident-playbook step of a P0, checked off at a time."""

    bug_id: int
    step: PlaybookStep
    done_at: datetime


class Customer(Model):
    id: int | None = None
    name: Title
    company_id: int
    arr: Money = 0
    csm_id: int | None = None
    renewal_date: date | None = None
    seats: Count | None = None
    active_users: Count | None = None
    critical_features_used: Count | None = None
    tickets_this_week: Count = 0
    tickets_last_week: Count = 0
    churn_risk: ChurnRisk = ChurnRisk.LOW
    escalated: bool = False
    escalation_note: Text = ""
    retired_on: date | None = None
    source_key: Line | None = None
    """Where an imported customer came from (see `Bug.source_key`)."""


class NpsResponse(Model):
    id: int | None = None
    customer_id: int
    score: Annotated[int, Field(ge=0, le=10)]
    responded_on: date
    comment: Text = ""
    source_key: Line | None = None
    """Where an imported response came from (see `Bug.source_key`)."""


class FeedbackEntry(Model):
    id: int | None = None
    customer_id: int
    logged_on: date
    kind: FeedbackKind
    text: Annotated[str, BeforeValidator(_text), AfterValidator(_not_empty)]
    request_id: int | None = None
    source_key: Line | None = None
    """Where an imported entry came from (see `Bug.source_key`)."""


class FeatureRequest(Model):
    id: int | None = None
    title: Title
    status: RequestStatus = RequestStatus.BACKLOG
    effort: Line = ""
    """Effort estimate as the team states it, e.g. "2-3 weeks"."""
    epic: Line = ""


class ActionItem(Model):
    id: int | None = None
    what: Title
    owner_id: int | None = None
    due_date: date | None = None
    company_id: int | None = None
    """None means cross-company."""
    priority: ActionPriority = ActionPriority.MEDIUM
    status: ActionStatus = ActionStatus.NOT_STARTED
    week: IsoWeek
    """The review week the item came from."""
    closed_on: date | None = None


class Decision(Model):
    id: int | None = None
    what: Title
    context: Text = ""
    recommendation: Text = ""
    kind: DecisionKind = DecisionKind.IMMEDIATE
    category: DecisionCategory
    week: IsoWeek
    raised_at: datetime
    decided_at: datetime | None = None
    """When it was decided; an immediate decision is decided when raised."""

    @property
    def due_at(self) -> datetime:
        """Immediate decisions are due in the meeting; follow-ups 48 hours later."""
        if self.kind is DecisionKind.FOLLOW_UP:
            return self.raised_at + FOLLOW_UP_WINDOW
        return self.raised_at

    @model_validator(mode="after")
    def _decided_after_raised(self) -> Decision:
        if self.decided_at is not None and self.decided_at < self.raised_at:
            raise ValueError("decided_at: cannot be decided before it was raised")
        return self


class Risk(Model):
    id: int | None = None
    risk: Title
    owner_id: int | None = None
    mitigation: Text = ""
    status: RiskStatus = RiskStatus.OPEN
    project_id: int | None = None
    company_id: int | None = None


class ReviewWeek(Model):
    week: IsoWeek
    director_id: int | None = None
    director_accepted_at: datetime | None = None
    notes: Text = ""


class Submission(Model):
    """One part of the Friday pre-read a person owes for a week."""

    week: IsoWeek
    person_id: int
    part: SubmissionPart
    submitted_at: datetime | None = None


def _json_object(value: Any) -> Any:
    """A JSON object column as stored (text), or a mapping as given."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "{}")
        except ValueError:
            raise ValueError("is not a JSON object") from None
    return value


class PrereadSubmission(Model):
    """One person's Friday pre-read for a review week: the text of each part they owe, a
    note per project of theirs, and where it stands (draft → submitted → returned with
    the director's comment → submitted again → accepted).

    `version` goes up with every write: a write names the version it was made on, and one
    made on an older version is refused (two people never overwrite each other).
    """

    week: IsoWeek
    person_id: int
    state: SubmissionState = SubmissionState.DRAFT
    version: Annotated[int, Field(ge=0)] = 0
    """How many times it was written; 0 for one never stored."""
    parts: Annotated[dict[SubmissionPart, Text], BeforeValidator(_json_object)] = {}
    """The text of each part, by part."""
    project_notes: Annotated[dict[int, Text], BeforeValidator(_json_object)] = {}
    """The status update of each of the person's projects, by project id."""
    saved_at: datetime | None = None
    first_submitted_at: datetime | None = None
    """When it was first submitted: the late flag compares this with the deadline."""
    submitted_at: datetime | None = None
    """When it was last submitted (again, after a return)."""
    comment: Text = ""
    """The director's comment when returning it (kept, for the record, once resubmitted)."""
    reviewer_id: int | None = None
    reviewed_at: datetime | None = None
    """When the director last returned or accepted it."""

    def text_of(self, part: SubmissionPart) -> str:
        return self.parts.get(part, "")


KPIS_COMPUTED = frozenset({"nps", "support_tickets", "features_shipped"})
"""Stored KPI fields that the app now computes: kept for reading, never asked for or shown."""


class Kpis(Model):
    """The seed's weekly metrics dashboard: the figures that come from outside the workspace,
    typed in for the week. Each field's title is its label and its description its unit.

    NPS, support tickets and shipped features are computed from the data instead
    (`domain.snapshot.ComputedKpisFigure`): their old columns are still read, so older
    workspaces load, but nothing asks for them or shows them (`KPIS_COMPUTED`).
    """

    week: IsoWeek
    customers_signed: Count | None = Field(None, title="Customers signed")
    arr: Money | None = Field(None, title="ARR", description="$")
    pipeline: Money | None = Field(None, title="Pipeline value", description="$")
    churn_customers: Count | None = Field(None, title="Churn", description="customers")
    churn_mrr_pct: Percent | None = Field(None, title="Churn", description="% MRR")
    uptime_pct: Percent | None = Field(None, title="Uptime", description="%")
    p95_ms: Annotated[float, Field(ge=0)] | None = Field(
        None, title="Response time p95", description="ms"
    )
    test_coverage_pct: Percent | None = Field(None, title="Test coverage", description="%")
    nps: Annotated[float, Field(ge=-100, le=100)] | None = None
    support_tickets: Count | None = None
    features_shipped: Count | None = None
    story_points: Count | None = Field(None, title="Story points completed")
    team_size: Annotated[float, Field(ge=0)] | None = Field(
        None, title="Team size", description="FTE"
    )

    @classmethod
    def typed_fields(cls) -> tuple[str, ...]:
        """The fields a user types for a week, in the dashboard's order."""
        return tuple(
            name for name in cls.model_fields if name != "week" and name not in KPIS_COMPUTED
        )

    @classmethod
    def label(cls, name: str) -> str:
        """A typed field's label with its unit, as a form asks for it: "Uptime (%)"."""
        field = cls.model_fields[name]
        title = field.title or name
        return f"{title} ({field.description})" if field.description else title


class MeetingNote(Model):
    """Notes taken on one agenda section during a week's review."""

    week: IsoWeek
    section: Title
    text: Text = ""


class FollowUp(Model):
    """A follow-up checkpoint of the week (Tuesday, Wednesday, Friday), checked off."""

    week: IsoWeek
    day: Title
    done_at: datetime


class SavedFilter(Model):
    id: int | None = None
    name: Title
    query: Line = ""
    company_id: int | None = None
    priority: Priority | None = None
    status: BugStatus | None = None
    assignee_id: int | None = None
