"""Customer health: NPS and the explained health score, worst first."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Footer

from opstui.data.figures import CustomerHealth, customer_health
from opstui.domain.enums import HealthBand
from opstui.screens.base import OpsScreen
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.virtual_table import Column, ListSource, Row, VirtualTable, text_cell

BAND_STYLES = {
    HealthBand.RED: "$error",
    HealthBand.YELLOW: "$warning",
    HealthBand.GREEN: "$success",
}

COLUMNS = (
    Column("name", "Customer", 24),
    Column("arr", "ARR", 10, align="right"),
    Column("nps", "NPS (n)", 10, align="right"),
    Column("usage", "Active", 10, align="right"),
    Column("tickets", "Tickets", 8, align="right"),
    Column("churn", "Churn", 7),
    Column("health", "Health", 14),
    Column("renewal", "Renewal", 11),
)


def health_row(row: CustomerHealth) -> Row:
    customer = row.customer
    nps = "—" if row.nps is None else f"{row.nps:+.0f} ({row.responses})"
    usage = (
        f"{customer.active_users}/{customer.seats}"
        if customer.active_users is not None and customer.seats
        else "—"
    )
    band = row.health.band
    return Row(
        key=f"customer:{customer.id}",
        cells=(
            text_cell(customer.name),
            Content(f"${customer.arr:,.0f}"),
            Content(nps),
            Content(usage),
            Content(str(customer.tickets_this_week)),
            Content(customer.churn_risk.value),
            Content.styled(f"{row.health.score:>3} ● {band.value}", BAND_STYLES[band]),
            Content("" if customer.renewal_date is None else customer.renewal_date.isoformat()),
        ),
    )


class CustomersScreen(OpsScreen):
    """Every customer with NPS and health score, worst health first."""

    SCREEN_TITLE = "Customers"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield VirtualTable(COLUMNS, id="health")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_header()
        self.load()

    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="customers-load", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        rows = customer_health(session.repo, session.config.health, session.today)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[CustomerHealth]) -> None:
        self.query_one(VirtualTable).set_source(ListSource([health_row(row) for row in rows]))
        self.loaded = True
        self.apply_pending_entity()

    loaded = False

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    def select_entity(self, entity_id: int) -> None:
        table = self.query_one(VirtualTable)
        index = table.index_of(f"customer:{entity_id}")
        if index is not None:
            table.move_cursor(index)
