"""Records a team keeps and retires: which ones a picker offers, and what depends on one,
said in words.

A retired company, product, person or customer stays in the workspace with everything that
points at it (history, snapshots, exports keep its data) but is no longer offered as a choice,
except where it is already the value of the row being edited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Protocol, TypeVar


class Retirable(Protocol):
    """A record with an id that can be retired."""

    @property
    def id(self) -> int | None: ...

    @property
    def retired_on(self) -> date | None: ...


R = TypeVar("R", bound=Retirable)


def choosable(records: Iterable[R], *keep: int | None) -> list[R]:
    """The records a picker offers: every one not retired, in the order given, and any whose
    id is in `keep` (the current value of the row being edited) even when retired."""
    kept = {record_id for record_id in keep if record_id is not None}
    return [record for record in records if record.retired_on is None or record.id in kept]


LINK_WORDS: dict[str, tuple[str, str]] = {
    "projects.company_id": ("project", "projects"),
    "projects.product_id": ("project", "projects"),
    "projects.pm_id": ("project as PM", "projects as PM"),
    "projects.lead_id": ("project as engineering lead", "projects as engineering lead"),
    "products.company_id": ("product", "products"),
    "bugs.company_id": ("bug", "bugs"),
    "bugs.product_id": ("bug", "bugs"),
    "bugs.assignee_id": ("bug assigned", "bugs assigned"),
    "bug_customers.customer_id": ("linked bug", "linked bugs"),
    "customers.company_id": ("customer", "customers"),
    "customers.csm_id": ("customer as CSM", "customers as CSM"),
    "people.company_id": ("person", "people"),
    "action_items.company_id": ("action item", "action items"),
    "action_items.owner_id": ("action item owned", "action items owned"),
    "risks.company_id": ("risk", "risks"),
    "risks.owner_id": ("risk owned", "risks owned"),
    "review_weeks.director_id": ("review week as director", "review weeks as director"),
    "submissions.person_id": ("pre-read tick", "pre-read ticks"),
    "preread_submissions.person_id": ("pre-read submission", "pre-read submissions"),
    "preread_submissions.reviewer_id": (
        "pre-read reviewed as director",
        "pre-read submissions reviewed as director",
    ),
    "nps_responses.customer_id": ("NPS response", "NPS responses"),
    "feedback.customer_id": ("feedback entry", "feedback entries"),
    "request_customers.customer_id": ("feature request asked for", "feature requests asked for"),
    "saved_filters.company_id": ("saved bug filter", "saved bug filters"),
    "saved_filters.assignee_id": ("saved bug filter", "saved bug filters"),
}
"""How each link (`table.column`, as `Repository.dependents` names it) reads, one and many."""


def link_phrase(link: str, count: int) -> str:
    """`"projects.pm_id", 6` → "6 projects as PM"; a link without words of its own still
    reads ("3 meeting notes (author)")."""
    words = LINK_WORDS.get(link)
    if words is None:
        table, _, column = link.partition(".")
        noun = table.replace("_", " ")
        role = column.removesuffix("_id").replace("_", " ")
        return f"{count} {noun} ({role})" if role else f"{count} {noun}"
    return f"{count} {words[0] if count == 1 else words[1]}"


def dependents_in_words(dependents: Mapping[str, int]) -> str:
    """What depends on a record, in words: "6 projects, 279 bugs and 5 customers"; empty
    when nothing does. Links are listed in `LINK_WORDS` order (unknown ones last)."""
    order = list(LINK_WORDS)
    links = sorted(
        (link for link, count in dependents.items() if count > 0),
        key=lambda link: (order.index(link) if link in order else len(order), link),
    )
    phrases = [link_phrase(link, dependents[link]) for link in links]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]
