"""One feature request: who asked for it, how healthy they are, and what they said."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from opstui.data.figures import CustomerHealth
from opstui.domain.customers import ROADMAP_CANDIDATE_MIN_CUSTOMERS, RankedRequest
from opstui.domain.models import FeedbackEntry
from opstui.widgets.customer_cells import (
    candidate_cell,
    health_cell,
    money,
    plural,
    status_cell,
)
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.privacy import PRIVACY, PRIVACY_BINDING, shown_line
from opstui.widgets.virtual_table import Column, ListSource, Row, VirtualTable, text_cell

ASKER_COLUMNS = (
    Column("name", "Customer", 22),
    Column("company", "Company", 9),
    Column("arr", "ARR", 6, align="right"),
    Column("health", "Health", 12),
    Column("asked", "Asked on", 10),
    Column("said", "What they said", 36),
)


def request_heading(ranked: RankedRequest) -> Content:
    """Title, status, effort and epic; then who asks, the ARR behind it, candidacy."""
    request = ranked.request
    details = " · ".join(part for part in (request.effort, request.epic) if part)
    missing = ROADMAP_CANDIDATE_MIN_CUSTOMERS - ranked.customers
    candidacy = (
        candidate_cell(ranked)
        if ranked.candidate
        else Content.styled(f"{plural(missing, 'more customer')} to be a roadmap candidate", "dim")
    )
    return Content.assemble(
        (shown_line(request.title), "bold"),
        "  ",
        status_cell(request.status),
        (f"  {shown_line(details)}" if details else "", "dim"),
        "\n",
        f"{plural(ranked.customers, 'customer')} asking · ARR {money(ranked.arr)} · ",
        candidacy,
    )


class RequestDetail(ModalScreen[None]):
    """Who asked for a request, worst health first, with what each of them said."""

    CSS_PATH = "../styles/customers.tcss"
    AUTO_FOCUS = "#askers"

    BINDINGS: ClassVar[list[BindingType]] = [
        PRIVACY_BINDING,
        Binding(
            "escape", "close", "Close", id="customers.request_close", tooltip="Back to the board"
        ),
    ]

    def __init__(
        self,
        ranked: RankedRequest,
        rows: Sequence[CustomerHealth],
        companies: dict[int, str],
        asking: Collection[int],
        feedback: Sequence[FeedbackEntry],
    ) -> None:
        super().__init__()
        self.asking = set(asking)
        """The ids of the customers asking for the request."""
        self.feedback = feedback
        """What was said about the request, newest first."""
        self.ranked = ranked
        self.rows = rows
        self.companies = companies

    def compose(self) -> ComposeResult:
        with Vertical(id="request-detail"):
            yield Static(request_heading(self.ranked), id="request-title")
            yield Static(Content("Who asked, worst health first"), classes="section-title")
            yield VirtualTable(ASKER_COLUMNS, id="askers")
            yield FittingFooter()

    def privacy_changed(self) -> None:
        """Privacy mode turned on or off: drawn again, names and money as it says."""
        self.query_one("#request-title", Static).update(request_heading(self.ranked))
        self.on_mount()

    def on_mount(self) -> None:
        said: dict[int, FeedbackEntry] = {}
        for entry in self.feedback:  # newest first: keep the newest
            said.setdefault(entry.customer_id, entry)
        askers = [row for row in self.rows if row.customer.id in self.asking]
        askers.sort(key=lambda row: (row.health.score, row.customer.name.casefold()))
        self.query_one(VirtualTable).set_source(
            ListSource([self._row(row, said.get(row.customer.id or -1)) for row in askers])
        )

    def _row(self, row: CustomerHealth, entry: FeedbackEntry | None) -> Row:
        customer = row.customer
        return Row(
            key=f"customer:{customer.id}",
            cells=(
                text_cell(PRIVACY.customer(customer.name, customer.id)),
                text_cell(self.companies.get(customer.company_id, "")),
                Content(money(customer.arr)),
                health_cell(row.health),
                Content("" if entry is None else entry.logged_on.isoformat()),
                text_cell("" if entry is None else entry.text),
            ),
        )

    def action_close(self) -> None:
        self.dismiss(None)
