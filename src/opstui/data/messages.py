"""What each message the review sends is written from, read in one go.

A message's loader reads the workspace once and returns plain figures; the message is then
rendered from them (redacted or not) without reading again, so the CLI and the preview show
the same bytes. The week's figures come from `review_snapshots`, as the weekly export's;
what a snapshot does not hold (deep dives, the pre-read, meeting notes, a P0's playbook) is
read here, through the same repository calls the screens make.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from opstui.data.figures import action_figures
from opstui.data.repository import Repository
from opstui.data.review import review_snapshots
from opstui.domain.bugs import mentions_bug
from opstui.domain.enums import BugStatus, PlaybookStep, Priority
from opstui.domain.models import Bug, Customer, Project
from opstui.domain.settings import BugTargets, HealthModel
from opstui.domain.snapshot import ActionItemFigure, SnapshotData
from opstui.domain.weeks import PREREAD_DUE_TIME

_IDS_PER_READ = 500
"""Bug ids looked up per statement."""


class MessageError(Exception):
    """A message that cannot be written from what was asked (one line for the user)."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What a message is asked for: the week, the day its live figures are taken as of,
    the settings the figures follow, and for a post-incident review the bug."""

    week: str
    as_of: date
    targets: BugTargets = field(default_factory=BugTargets)
    health: HealthModel = field(default_factory=HealthModel)
    bug_id: int | None = None
    preread_due: time = PREREAD_DUE_TIME
    """When the week's Friday pre-read was due (the configuration's `preread.due_time`)."""


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """The week's snapshot and the one before it (the weekly export's figures)."""

    snapshot: SnapshotData
    previous: SnapshotData | None


def week_figures(repo: Repository, request: ExportRequest) -> WeekFigures:
    """The week as the weekly export shows it: frozen, or computed as of the request's day."""
    snapshot, previous = review_snapshots(
        repo, request.week, request.as_of, request.targets, request.health, request.preread_due
    )
    return WeekFigures(snapshot, previous)


@dataclass(frozen=True, slots=True)
class PrereadFigures:
    """The weekly export's figures (the Friday pre-read's states and accepted content
    among them) and the projects for the deep dives."""

    week: WeekFigures
    projects: tuple[Project, ...]
    companies: Mapping[int, str]
    people: Mapping[int, str]


def preread_figures(repo: Repository, request: ExportRequest) -> PrereadFigures:
    """What the pre-read is written from. The deep dives are the projects as they stand, as
    meeting mode walks them."""
    people = repo.people()
    return PrereadFigures(
        week=week_figures(repo, request),
        projects=tuple(repo.projects()),
        companies={company.id: company.name for company in repo.companies() if company.id},
        people={person.id: person.name for person in people if person.id is not None},
    )


@dataclass(frozen=True, slots=True)
class SummaryFigures:
    """The week's figures and what was written in meeting mode, by agenda section."""

    week: WeekFigures
    notes: Mapping[str, str]


def summary_figures(repo: Repository, request: ExportRequest) -> SummaryFigures:
    """What the executive summary is written from."""
    return SummaryFigures(week_figures(repo, request), repo.meeting_notes(request.week))


@dataclass(frozen=True, slots=True)
class FridayFigures:
    """The week's figures, and where last week's open P0/P1 bugs stand now."""

    week: WeekFigures
    bug_states: Mapping[int, tuple[BugStatus, Priority | None]]
    """Status and priority today of each bug last week's snapshot had as an open P0/P1."""


def friday_figures(repo: Repository, request: ExportRequest) -> FridayFigures:
    """What the Friday update is written from."""
    week = week_figures(repo, request)
    earlier = () if week.previous is None else week.previous.critical_bugs
    ids = [bug.id for bug in earlier if bug.id is not None]
    states: dict[int, tuple[BugStatus, Priority | None]] = {}
    # In slices: a big portfolio's open P1s outnumber what one statement may bind.
    for start in range(0, len(ids), _IDS_PER_READ):
        for bug in repo.bugs_by_ids(ids[start : start + _IDS_PER_READ]):
            if bug.id is not None:
                states[bug.id] = (bug.status, bug.priority)
    return FridayFigures(week, states)


@dataclass(frozen=True, slots=True)
class LinkedCustomer:
    id: int | None
    name: str
    arr: float


@dataclass(frozen=True, slots=True)
class PostmortemFigures:
    """A P0 incident: the bug, its playbook checks, who it hit, what follows from it."""

    bug: Bug
    company: str
    product: str
    assignee: str
    checks: Mapping[PlaybookStep, datetime]
    customers: tuple[LinkedCustomer, ...]
    """The customers linked to the bug, by name."""
    actions: tuple[ActionItemFigure, ...]
    """Action items that name the bug (`domain.bugs.mentions_bug`), in the order added."""
    now: datetime
    """The moment the review is written as of: the end of the request's day."""
    known_customers: tuple[tuple[int | None, str], ...]
    """Every customer (id, name), so redaction numbers them as the week's documents do."""


def postmortem_figures(repo: Repository, request: ExportRequest) -> PostmortemFigures:
    """What the post-incident review of `request.bug_id` is written from. Raises
    `MessageError` for a bug that does not exist or is not a P0."""
    if request.bug_id is None:
        raise MessageError("a post-incident review needs the bug: --bug ID")
    bug = repo.get(Bug, request.bug_id)
    if bug is None:
        raise MessageError(f"there is no bug #{request.bug_id} in this workspace")
    if bug.priority is not Priority.P0:
        shown = "untriaged" if bug.priority is None else bug.priority.value
        raise MessageError(
            f"bug #{request.bug_id} is {shown}, not P0: a post-incident review is written "
            "for P0 incidents"
        )
    companies = {company.id: company.name for company in repo.companies() if company.id}
    people: dict[int | None, str] = {person.id: person.name for person in repo.people()}
    products = {product.id: product.name for product in repo.products() if product.id}
    linked = [repo.get(Customer, customer_id) for customer_id in repo.bug_customer_ids(bug.id or 0)]
    customers = sorted(
        (LinkedCustomer(c.id, c.name, c.arr) for c in linked if c is not None),
        key=lambda c: (c.name.casefold(), c.id or 0),
    )
    items = [
        item
        for item in sorted(repo.action_items(), key=lambda item: item.id or 0)
        if mentions_bug(item.what, request.bug_id, bug.title)
    ]
    return PostmortemFigures(
        bug=bug,
        company="" if bug.company_id is None else companies.get(bug.company_id, ""),
        product="" if bug.product_id is None else products.get(bug.product_id, ""),
        assignee=people.get(bug.assignee_id, "") if bug.assignee_id is not None else "",
        checks={check.step: check.done_at for check in repo.playbook_checks(bug.id or 0)},
        customers=tuple(customers),
        actions=action_figures(items, people, companies),
        now=datetime.combine(request.as_of, time(23, 59)),
        known_customers=tuple(
            (customer.id, customer.name) for customer in repo.customers(retired=True)
        ),
    )
