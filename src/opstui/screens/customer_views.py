"""The two views of the customers screen, as rows: the health table and the request board.

Columns, cells, sort keys and filter text for each view, and the strip above the table.
Everything from the workspace is shown as text (`text_cell`, `Content`), never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from textual.content import Content

from opstui.data.figures import CustomerHealth
from opstui.domain.customers import ROADMAP_CANDIDATE_MIN_CUSTOMERS, CustomerRow, RankedRequest
from opstui.domain.enums import ChurnRisk, HealthBand, RequestStatus
from opstui.domain.settings import HealthModel
from opstui.widgets.customer_cells import (
    BAND_STYLES,
    STATUS_STYLES,
    candidate_cell,
    churn_cell,
    health_cell,
    money,
    nps_text,
    plural,
    status_cell,
    tickets_cell,
)
from opstui.widgets.fitting_strip import Piece, piece
from opstui.widgets.privacy import PRIVACY
from opstui.widgets.problem_marks import mark_problems
from opstui.widgets.trend import delta
from opstui.widgets.virtual_table import Column, Row, text_cell

HEALTH_COLUMNS = (
    Column("flag", "⚑", 1),
    Column("name", "Customer", 20, min_width=14),
    Column("company", "Company", 9, drop=6),
    Column("arr", "ARR", 6, align="right"),
    Column("nps", "NPS (n)", 9, align="right"),
    Column("users", "Users", 9, align="right", drop=4),
    Column("features", "Feat.", 5, align="right", drop=3),
    Column("tickets", "Tickets", 7, drop=1),
    Column("churn", "Churn", 6),
    Column("health", "Health", 16),
    Column("csm", "CSM", 12, min_width=8, drop=5),
    Column("renewal", "Renewal", 10, drop=2),
)
BOARD_COLUMNS = (
    Column("rank", "#", 3, align="right"),
    Column("title", "Request", 30),
    Column("customers", "Customers", 9, align="right"),
    Column("arr", "ARR", 7, align="right"),
    Column("status", "Status", 10),
    Column("effort", "Effort", 10, drop=2),
    Column("epic", "Epic", 26, drop=3),
    Column("candidate", "Roadmap", 11, drop=1),
)


@dataclass(slots=True)
class CustomersData:
    """What the screen shows, loaded in one go."""

    rows: list[CustomerHealth]
    companies: dict[int, str]
    people: dict[int, str]
    ranked: tuple[RankedRequest, ...]
    overall_nps: float | None
    responses: int
    model: HealthModel
    previous_week: str | None = None
    """The snapshot the trends compare with."""
    previous_nps: float | None = None
    previous_health: dict[str, int] = field(default_factory=dict)
    """Health scores in the previous snapshot, by customer name."""
    retired: list[CustomerHealth] = field(default_factory=list)
    """Retired customers: out of `rows` and of every live figure, shown on request."""
    serving_companies: int = 0
    """Companies in service: a customer needs one."""


@dataclass(frozen=True, slots=True)
class BoardItem:
    """A ranked request and its place in the ranking (kept when sorted otherwise)."""

    rank: int
    ranked: RankedRequest


# -- the health table -------------------------------------------------------------------------


def health_row(row: CustomerHealth, data: CustomersData) -> Row:
    customer = row.customer
    usage = (
        f"{customer.active_users}/{customer.seats}"
        if customer.active_users is not None and customer.seats
        else "—"
    )
    used = customer.critical_features_used
    features = "—" if used is None else f"{used}/{data.model.critical_features}"
    table_row = Row(
        key=f"customer:{customer.id}",
        cells=(
            Content.styled("⚑", "bold $error") if customer.escalated else Content(""),
            text_cell(PRIVACY.customer(customer.name, customer.id)),
            text_cell(data.companies.get(customer.company_id, "")),
            Content(money(customer.arr)),
            Content.styled(
                nps_text(row.nps, row.responses), "$error" if (row.nps or 0) < 0 else ""
            ),
            Content(usage),
            Content(features),
            tickets_cell(customer),
            churn_cell(customer.churn_risk),
            retired_cell(customer.retired_on)
            if customer.retired_on is not None
            else health_cell(row.health, data.previous_health.get(row.customer.name)),
            text_cell(data.people.get(customer.csm_id or -1, "")),
            Content("" if customer.renewal_date is None else customer.renewal_date.isoformat()),
        ),
        style="" if customer.retired_on is None else "dim",
    )
    return mark_problems(table_row, customer.row_problems, HEALTH_COLUMNS)


def health_haystack(row: CustomerHealth, data: CustomersData) -> str:
    """What the filter searches: name (as shown: in privacy mode, its alias), serving
    company, CSM ("retired" finds those)."""
    customer = row.customer
    return " ".join(
        (
            PRIVACY.customer(customer.name, customer.id),
            data.companies.get(customer.company_id, ""),
            data.people.get(customer.csm_id or -1, ""),
            "" if customer.retired_on is None else "retired",
        )
    ).casefold()


def health_sort_key(column: str, data: CustomersData) -> Callable[[CustomerHealth], Any]:
    """Sort key for a health-table column; ties go by name. Missing data sorts last."""

    def usage(customer: CustomerRow) -> float:
        if customer.active_users is None or not customer.seats:
            return 2.0
        return customer.active_users / customer.seats

    keys: dict[str, Callable[[CustomerHealth], Any]] = {
        "flag": lambda r: not r.customer.escalated,
        "name": lambda r: 0,
        "company": lambda r: data.companies.get(r.customer.company_id, "").casefold(),
        "arr": lambda r: r.customer.arr,
        "nps": lambda r: (r.nps is None, r.nps or 0.0),
        "users": lambda r: usage(r.customer),
        "features": lambda r: (
            r.customer.critical_features_used is None,
            r.customer.critical_features_used or 0,
        ),
        "tickets": lambda r: (r.customer.tickets_this_week, r.customer.tickets_last_week),
        "churn": lambda r: list(ChurnRisk).index(r.customer.churn_risk),
        "health": lambda r: r.health.score,
        "csm": lambda r: data.people.get(r.customer.csm_id or -1, "").casefold(),
        "renewal": lambda r: r.customer.renewal_date or date.max,
    }
    key = keys[column]
    return lambda r: (key(r), r.customer.name.casefold(), r.customer.id or 0)


def retired_cell(on: date) -> Content:
    """The health cell of a retired customer: the word and the day, no live score."""
    return Content.styled(f"retired {on:%b} {on.day}", "italic")


def health_summary(data: CustomersData, shown: bool = False) -> list[Piece]:
    """The strip above the health table: customers in service, ARR, overall NPS, bands,
    escalations, and how many retired customers are left out (`shown`: listed below)."""
    bands = {band: 0 for band in HealthBand}
    for row in data.rows:
        bands[row.health.band] += 1
    escalated = sum(1 for row in data.rows if row.customer.escalated)
    pieces = [
        piece(plural(len(data.rows), "customer"), 0, "bold"),
        piece(f"  ARR {money(sum(row.customer.arr for row in data.rows))}", 1),
        piece(f"  NPS {nps_text(data.overall_nps, data.responses)}", 1),
        piece(Content(" ") + delta(data.overall_nps, data.previous_nps), 3),
    ]
    if data.previous_week:
        pieces.append(piece(f" vs {data.previous_week}", 4, "dim"))
    for band, count in bands.items():
        pieces.append(
            piece(Content("  ") + Content.styled(f"● {band.value} {count}", BAND_STYLES[band]), 2)
        )
    style = "bold $error" if escalated else "$success"
    pieces.append(piece(Content("  ") + Content.styled(f"⚑ {escalated} escalated", style), 0))
    if data.retired:
        retired = f"   {len(data.retired)} retired (r {'hides' if shown else 'shows'})"
        pieces.append(piece(retired, 5, "dim"))
    pieces.append(piece("    enter: why this score", 6, "dim"))
    return pieces


def health_hint(data: CustomersData, shown: int, filtered: bool, retired: bool) -> Content | None:
    """What to do when the health table shows nothing (a new workspace), else None.

    `shown` rows match the filter (when `filtered`); `retired` says whether retired
    customers are shown.
    """
    if shown:
        return None
    if not data.rows and not data.retired:
        if not data.serving_companies:
            return Content.assemble(
                ("No customers yet", "bold"),
                " — a customer needs a company to serve it: add a company first (",
                ("5", "bold $accent"),
                " Setup), then ",
                ("n", "bold $accent"),
                " adds a customer.",
            )
        return Content.assemble(
            ("No customers yet", "bold"), " — ", ("n", "bold $accent"), " adds one."
        )
    if filtered:
        return Content.assemble(
            "No customer matches the filter — ", ("esc", "bold $accent"), " clears it."
        )
    if not retired:
        return Content.assemble(
            ("No customers in service", "bold"),
            f" — {len(data.retired)} retired: ",
            ("r", "bold $accent"),
            " shows them, ",
            ("n", "bold $accent"),
            " adds a customer.",
        )
    return None


# -- the request board ------------------------------------------------------------------------


def board_items(ranked: tuple[RankedRequest, ...]) -> list[BoardItem]:
    return [BoardItem(rank, item) for rank, item in enumerate(ranked, start=1)]


def board_row(item: BoardItem) -> Row:
    ranked = item.ranked
    request = ranked.request
    row = Row(
        key=f"request:{request.id}",
        cells=(
            Content(str(item.rank)),
            text_cell(request.title),
            Content(str(ranked.customers)),
            Content(money(ranked.arr)),
            status_cell(request.status),
            text_cell(request.effort),
            text_cell(request.epic),
            candidate_cell(ranked),
        ),
    )
    return mark_problems(row, request.row_problems, BOARD_COLUMNS)


def board_haystack(item: BoardItem) -> str:
    """What the filter searches on the board: title, epic, status."""
    request = item.ranked.request
    return " ".join(
        (PRIVACY.text(request.title), PRIVACY.text(request.epic), request.status.value)
    ).casefold()


def board_sort_key(column: str) -> Callable[[BoardItem], Any]:
    """Sort key for a board column; ties keep the ranking."""
    keys: dict[str, Callable[[BoardItem], Any]] = {
        "rank": lambda i: 0,
        "title": lambda i: i.ranked.request.title.casefold(),
        "customers": lambda i: i.ranked.customers,
        "arr": lambda i: i.ranked.arr,
        "status": lambda i: list(RequestStatus).index(i.ranked.request.status),
        "effort": lambda i: i.ranked.request.effort.casefold(),
        "epic": lambda i: i.ranked.request.epic.casefold(),
        "candidate": lambda i: not i.ranked.candidate,
    }
    key = keys[column]
    return lambda i: (key(i), i.rank)


def board_summary(data: CustomersData) -> list[Piece]:
    """The strip above the board: requests, roadmap candidates, requests by status."""
    candidates = sum(1 for item in data.ranked if item.candidate)
    pieces = [
        piece(f"{len(data.ranked)} requests", 0, "bold"),
        piece(
            Content("  ") + Content.styled(f"★ {candidates} roadmap candidates", "bold $success"), 0
        ),
        piece(f" ({ROADMAP_CANDIDATE_MIN_CUSTOMERS}+ customers)", 2, "dim"),
    ]
    for status in RequestStatus:
        count = sum(1 for item in data.ranked if item.request.status is status)
        pieces.append(
            piece(
                Content("  ") + Content.styled(f"{status.value} {count}", STATUS_STYLES[status]), 1
            )
        )
    pieces.append(piece("   enter: who asked", 3, "dim"))
    return pieces


def board_hint(data: CustomersData, shown: int, filtered: bool) -> Content | None:
    """What to do when the board shows nothing, else None."""
    if shown:
        return None
    if filtered:
        return Content.assemble(
            "No request matches the filter — ", ("esc", "bold $accent"), " clears it."
        )
    return Content.assemble(
        ("No feature requests yet", "bold"),
        " — ",
        ("f", "bold $accent"),
        " on a customer logs feedback (",
        ("b", "bold $accent"),
        " back to the customers), and a feature request lands here.",
    )
