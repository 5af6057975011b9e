"""Customer health and the feature-request board: who is at risk and why, what customers
ask for, and which requests enough customers share to go on the roadmap.

Two views of one screen, switched with `b`: the health table (worst health first) and the
request board (ranked by customers asking, then ARR). Rows and cells live in
`customer_views`; the customer and request details are modals; adding, editing, NPS
responses and retiring are the flows of `customer_records`. Retired customers count in no
live figure; `r` lists them (dimmed, "retired" in words) and `R` brings one back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from opstui.data.figures import CustomerHealth, customer_health, previous_health, ranked_requests
from opstui.domain.customers import nps
from opstui.domain.enums import RequestStatus
from opstui.domain.text import clean_line
from opstui.modals.customer_detail import CustomerDetail
from opstui.modals.feedback_form import log_feedback
from opstui.modals.request_detail import RequestDetail
from opstui.screens.base import not_saved_words
from opstui.screens.customer_records import (
    WorkspaceCustomer,
    add_nps,
    edit_customer,
    restore_customer,
    retire_customer,
)
from opstui.screens.customer_views import (
    BOARD_COLUMNS,
    HEALTH_COLUMNS,
    BoardItem,
    CustomersData,
    board_haystack,
    board_hint,
    board_items,
    board_row,
    board_sort_key,
    board_summary,
    health_haystack,
    health_hint,
    health_row,
    health_sort_key,
    health_summary,
)
from opstui.screens.filtering import FilterableScreen
from opstui.screens.importing import ImportFlow
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.fitting_strip import FittingStrip
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.virtual_table import Column, LazyRows, Row, VirtualTable

View = Literal["health", "board"]
COLUMNS: dict[View, tuple[Column, ...]] = {"health": HEALTH_COLUMNS, "board": BOARD_COLUMNS}
PLACEHOLDERS: dict[View, str] = {
    "health": "Filter: customer, company, CSM",
    "board": "Filter: request, epic, status",
}
HEALTH_ONLY = {
    "feedback",
    "toggle_escalation",
    "show_board",
    "new_customer",
    "edit_customer",
    "add_nps",
    "retire",
    "restore",
    "toggle_retired",
}
BOARD_ONLY = {"cycle_status", "show_health"}


class CustomersScreen(FilterableScreen):
    """Every customer with NPS and an explained health score; the feature-request board."""

    SCREEN_TITLE = "Customers"
    AUTO_FOCUS = "#health"
    CSS_PATH = "../styles/customers.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="customers.filter",
            tooltip="Customer, company or CSM as you type (board: request, epic)",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="customers.clear_filter",
            show=False,
            tooltip="Empty the filter and go back to the table",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="customers.open",
            tooltip="Why this score: factors, NPS, feedback (on the board: who asked)",
        ),
        Binding(
            "n",
            "new_customer",
            "New",
            id="customers.new",
            tooltip="Add a customer: company serving it, ARR, seats, CSM, renewal, churn risk",
        ),
        Binding(
            "I",
            "import_file",
            "Import",
            id="customers.import",
            show=False,
            tooltip="Import customers, NPS responses or feedback from a CSV: preview, confirm",
        ),
        Binding(
            "e",
            "edit_customer",
            "Edit",
            id="customers.edit",
            tooltip="Edit the highlighted customer",
        ),
        Binding(
            "N",
            "add_nps",
            "NPS",
            id="customers.nps",
            tooltip="Add NPS responses: one score, or several at once (9 10 6 8)",
        ),
        Binding(
            "f",
            "feedback",
            "Feedback",
            id="customers.feedback",
            tooltip="Log what the customer said, dated today",
        ),
        Binding(
            "d",
            "retire",
            "Delete",
            id="customers.delete",
            tooltip="Delete the customer, or retire it when bugs, requests or responses link to it",
        ),
        Binding(
            "r",
            "toggle_retired",
            "Retired",
            id="customers.show_retired",
            show=False,
            tooltip="Show or hide retired customers (dimmed; they count in no live figure)",
        ),
        Binding(
            "R",
            "restore",
            "Bring back",
            id="customers.restore",
            show=False,
            tooltip="Bring the highlighted retired customer back into service",
        ),
        Binding(
            "E",
            "toggle_escalation",
            "Escalate",
            id="customers.escalate",
            tooltip="Raise or clear the customer's escalation flag",
        ),
        Binding(
            "b",
            "show_board",
            "Request board",
            id="customers.board",
            tooltip="Requests ranked by customers asking, then ARR",
        ),
        Binding(
            "b",
            "show_health",
            "Customer health",
            id="customers.health",
            tooltip="Back to the customer health table",
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="customers.request_status",
            tooltip="backlog → planned → in roadmap → shipped",
        ),
        Binding(
            "o",
            "sort_next",
            "Sort",
            id="customers.sort",
            show=False,
            tooltip="Sort by the next column (or click a heading)",
        ),
        Binding(
            "O",
            "sort_reverse",
            "Reverse sort",
            id="customers.sort_reverse",
            show=False,
            tooltip="Reverse the sort order",
        ),
    ]

    health_table = getters.query_one("#health", VirtualTable)
    board_table = getters.query_one("#requests", VirtualTable)

    def __init__(self) -> None:
        super().__init__()
        self.data: CustomersData | None = None
        self.view: View = "health"
        self.sorting: dict[View, tuple[str, bool]] = {
            "health": ("health", False),  # worst health first
            "board": ("rank", False),
        }
        self._rows: dict[str, Row] = {}
        self._haystacks: dict[str, str] = {}
        self.show_retired = False
        """Whether the health table lists retired customers too (after the others)."""
        self.loaded = False
        """True once the first load has been shown (tests wait on it)."""

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield FittingStrip(id="summary")
        yield Input(placeholder=PLACEHOLDERS["health"], id="filter")
        yield Static(id="first-run")
        yield VirtualTable(HEALTH_COLUMNS, id="health")
        yield VirtualTable(BOARD_COLUMNS, id="requests")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.board_table.display = False
        self.health_table.sort_column = "health"
        self.board_table.sort_column = "rank"
        self.refresh_header()
        self.load()

    @property
    def table(self) -> VirtualTable:
        """The table of the current view."""
        return self.health_table if self.view == "health" else self.board_table

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="customers-load", exit_on_error=False)
    def load(self, keep: str | None = None) -> None:
        """Read customers, their health and the ranked requests off the main thread."""
        session = self.session
        with session.reading() as repo:
            # Live figures leave retired customers out; the table lists them on request.
            # Every customer's scores, read once: the overall NPS is of those in service.
            scores = repo.nps_scores(retired=True)
            gone = repo.retired_customer_ids()
            every_score = [
                score for customer, own in scores.items() if customer not in gone for score in own
            ]
            rows = customer_health(
                repo, session.config.health, session.today, retired=True, scores=scores
            )
            serving = [row for row in rows if row.customer.retired_on is None]
            companies = repo.companies()
            data = CustomersData(
                rows=serving,
                companies={c.id: c.name for c in companies if c.id is not None},
                people={p.id: p.name for p in repo.people() if p.id is not None},
                # Those in service as the workspace says (`gone`), without reading them again.
                ranked=ranked_requests(
                    repo, [row.customer for row in rows if row.customer.id not in gone]
                ),
                overall_nps=nps(every_score),
                responses=len(every_score),
                model=session.config.health,
                retired=[row for row in rows if row.customer.retired_on is not None],
                serving_companies=sum(1 for c in companies if c.retired_on is None),
            )
            previous = previous_health(repo, session.week)
            if previous is not None:
                data.previous_week = previous.week
                data.previous_nps = previous.nps
                data.previous_health = previous.health
        self.app.call_from_thread(self._loaded, data, keep)

    def _loaded(self, data: CustomersData, keep: str | None) -> None:
        self.data = data
        self._rows = {}
        self._haystacks = {}
        self.show_rows(keep)
        self.loaded = True
        self.apply_pending_entity()

    def data_changed(self) -> None:
        self.load(self.table.current_key)

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    # -- showing ------------------------------------------------------------------------------

    def visible_customers(self) -> list[CustomerHealth]:
        """Customers matching the filter, in the health table's sort order."""
        data = self.data
        if data is None:
            return []
        words = self.filter_input.value.casefold().split()
        column, reverse = self.sorting["health"]
        key = health_sort_key(column, data)
        # Retired customers, when shown, come after those in service whatever the sort.
        groups = (data.rows, data.retired) if self.show_retired else (data.rows,)
        shown: list[CustomerHealth] = []
        for group in groups:
            matching = []
            for row in group:
                row_key = f"customer:{row.customer.id}"
                if row_key not in self._haystacks:
                    self._haystacks[row_key] = health_haystack(row, data)
                if all(word in self._haystacks[row_key] for word in words):
                    matching.append(row)
            shown += sorted(matching, key=key, reverse=reverse)
        return shown

    def visible_requests(self) -> list[BoardItem]:
        """Requests matching the filter, in the board's sort order (ranked by default)."""
        if self.data is None:
            return []
        words = self.filter_input.value.casefold().split()
        column, reverse = self.sorting["board"]
        shown = []
        for item in board_items(self.data.ranked):
            key = f"request:{item.ranked.request.id}"
            if key not in self._haystacks:
                self._haystacks[key] = board_haystack(item)
            if all(word in self._haystacks[key] for word in words):
                shown.append(item)
        return sorted(shown, key=board_sort_key(column), reverse=reverse)

    def show_rows(self, keep: str | None = None) -> None:
        data = self.data
        if data is None:
            return
        # Rows are built when drawn (and kept): 5,000 customers cost the ones on screen.
        source: LazyRows[CustomerHealth] | LazyRows[BoardItem]
        if self.view == "health":
            customers = self.visible_customers()
            keys = [f"customer:{row.customer.id}" for row in customers]
            self.query_one("#summary", FittingStrip).show(health_summary(data, self.show_retired))
            filtered = bool(self.filter_input.value.strip())
            hint = health_hint(data, len(customers), filtered, self.show_retired)

            def customer_row(row: CustomerHealth) -> Row:
                key = f"customer:{row.customer.id}"
                if key not in self._rows:
                    self._rows[key] = health_row(row, data)
                return self._rows[key]

            source = LazyRows(customers, keys, customer_row)
        else:
            requests = self.visible_requests()
            keys = [f"request:{item.ranked.request.id}" for item in requests]
            self.query_one("#summary", FittingStrip).show(board_summary(data))
            hint = board_hint(data, len(requests), bool(self.filter_input.value.strip()))

            def request_row(item: BoardItem) -> Row:
                key = f"request:{item.ranked.request.id}"
                if key not in self._rows:
                    self._rows[key] = board_row(item)
                return self._rows[key]

            source = LazyRows(requests, keys, request_row)
        first_run = self.query_one("#first-run", Static)
        first_run.update(hint or "")
        first_run.display = hint is not None
        table = self.table
        table.set_source(source, keep or table.current_key)

    def select_entity(self, entity_id: int) -> None:
        if self.view != "health":
            self.action_show_health()
        retired = self.data is not None and any(
            row.customer.id == entity_id for row in self.data.retired
        )
        if self.filter_input.value or (retired and not self.show_retired):
            self.filter_input.value = ""
            self.show_retired = self.show_retired or retired
            self.show_rows()
        index = self.health_table.index_of(f"customer:{entity_id}")
        if index is not None:
            self.health_table.move_cursor(index)
            self.set_focus(self.health_table)

    # -- the selection ------------------------------------------------------------------------

    def selected_customer(self) -> CustomerHealth | None:
        key = self.health_table.current_key
        if self.view != "health" or key is None or self.data is None:
            return None
        rows = (*self.data.rows, *self.data.retired)
        return next((r for r in rows if f"customer:{r.customer.id}" == key), None)

    def selected_request(self) -> BoardItem | None:
        key = self.board_table.current_key
        if self.view != "board" or key is None or self.data is None:
            return None
        items = board_items(self.data.ranked)
        return next((i for i in items if f"request:{i.ranked.request.id}" == key), None)

    def _save(self, change: Callable[[], object], message: str) -> None:
        """Run one write; report failures where the user is; reload what changed."""
        try:
            change()
        except Exception as error:  # the write failed as a whole: nothing was stored
            self.notify(not_saved_words(error, self.session.repo.path), severity="error")
            return
        self.notify(message)
        self._written()

    def _written(self) -> None:
        self.ops.data_changed()
        self.load(self.table.current_key)

    def _stored(self, message: str, customer_id: int | None) -> None:
        """After a flow of `customer_records` stored something: say so, reload, keep the
        cursor on that customer."""
        self.notify(message)
        self.ops.data_changed()
        self.load(f"customer:{customer_id}" if customer_id is not None else None)

    # -- views, filter and sort ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in HEALTH_ONLY:
            return self.view == "health"
        if action in BOARD_ONLY:
            return self.view == "board"
        return True

    def _switch(self, view: View) -> None:
        self.view = view
        self.filter_input.value = ""
        self.filter_input.display = False
        self.filter_input.placeholder = PLACEHOLDERS[view]
        self.health_table.display = view == "health"
        self.board_table.display = view == "board"
        self.show_rows()
        self.set_focus(self.table)
        self.refresh_bindings()

    def action_show_board(self) -> None:
        self._switch("board")

    def action_show_health(self) -> None:
        self._switch("health")

    @on(VirtualTable.Selected)
    def _row_selected(self) -> None:
        self.action_open()

    @on(VirtualTable.HeaderSelected)
    def _header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        column, reverse = self.sorting[self.view]
        self._sort(event.column, not reverse if event.column == column else False)

    def _sort(self, column: str, reverse: bool) -> None:
        self.sorting[self.view] = (column, reverse)
        self.table.sort_column = column
        self.table.sort_reverse = reverse
        self.show_rows()

    def action_sort_next(self) -> None:
        columns = COLUMNS[self.view]
        keys = [c.key for c in columns]
        column = keys[(keys.index(self.sorting[self.view][0]) + 1) % len(keys)]
        self._sort(column, False)
        self.notify(f"Sorted by {next(c.label for c in columns if c.key == column)}")

    def action_sort_reverse(self) -> None:
        column, reverse = self.sorting[self.view]
        self._sort(column, not reverse)

    # -- actions on the selection -------------------------------------------------------------

    def action_open(self) -> None:
        if self.data is None:
            return
        if self.view == "board":
            item = self.selected_request()
            request_id = None if item is None else item.ranked.request.id
            if item is not None and request_id is not None:
                repo = self.session.repo
                asking = repo.request_asker_ids().get(request_id, [])
                board = RequestDetail(
                    item.ranked,
                    self.data.rows,
                    self.data.companies,
                    asking,
                    repo.request_feedback(request_id),
                )
                self.app.push_screen(board)
            return
        row = self.selected_customer()
        if row is None or row.customer.id is None:
            return
        session = self.session
        customer = WorkspaceCustomer(
            session.repo, row.customer.id, session.config.health, session.today
        )
        detail = CustomerDetail(customer, session.config.health)

        def closed(changed: bool | None) -> None:
            if changed:
                self.load(self.table.current_key)

        self.app.push_screen(detail, closed)

    def action_feedback(self) -> None:
        row = self._customer_or_hint("log its feedback")
        if row is None or row.customer.id is None:
            return
        session = self.session
        log_feedback(
            self, session.repo, row.customer.id, row.customer.name, session.today, self._written
        )

    def action_toggle_escalation(self) -> None:
        row = self._customer_or_hint("raise or clear its escalation")
        if row is None or row.customer.id is None:
            return
        customer_id, raised = row.customer.id, not row.customer.escalated
        name = clean_line(row.customer.name)
        repo = self.session.repo
        self._save(
            lambda: repo.set_customer_escalated(customer_id, raised),
            f"{name} escalated" if raised else f"{name}: escalation cleared",
        )

    def action_cycle_status(self) -> None:
        item = self.selected_request()
        if item is None:
            return
        request = item.ranked.request
        statuses = list(RequestStatus)
        following = statuses[(statuses.index(request.status) + 1) % len(statuses)]
        repo = self.session.repo
        self._save(
            lambda: repo.save_changes(request, request.model_copy(update={"status": following})),
            f"{clean_line(request.title)}: {following.value}",
        )

    # -- keeping the records ------------------------------------------------------------------

    def _customer_or_hint(self, doing: str) -> CustomerHealth | None:
        """The highlighted customer; with none, say what to do instead."""
        row = self.selected_customer()
        if row is None and self.data is not None:
            empty = not self.data.rows and not self.data.retired
            hint = "No customers yet: n adds one" if empty else f"Highlight a customer to {doing}"
            self.notify(hint, severity="warning")
        return row

    def action_import_file(self) -> None:
        """Import customers, NPS responses or feedback: the dry run first, then on confirm."""
        ImportFlow(self, lambda: self.load(self.table.current_key)).start()

    def action_new_customer(self) -> None:
        if self.data is None:
            return
        model = self.session.config.health
        edit_customer(self, self.session.repo, None, model.critical_features, self._stored)

    def action_edit_customer(self) -> None:
        row = self._customer_or_hint("edit it")
        if row is None:
            return
        model = self.session.config.health
        edit_customer(
            self, self.session.repo, row.customer.model(), model.critical_features, self._stored
        )

    def action_add_nps(self) -> None:
        row = self._customer_or_hint("add its NPS responses")
        if row is not None:
            add_nps(self, self.session.repo, row.customer.model(), self.session.today, self._stored)

    def action_retire(self) -> None:
        row = self._customer_or_hint("delete or retire it")
        if row is not None:
            session = self.session
            retire_customer(self, session.repo, row.customer.model(), session.today, self._stored)

    def action_restore(self) -> None:
        row = self._customer_or_hint("bring it back")
        if row is not None:
            restore_customer(self, self.session.repo, row.customer.model(), self._stored)

    def action_toggle_retired(self) -> None:
        if self.data is None:
            return
        self.show_retired = not self.show_retired
        count = len(self.data.retired)
        if self.show_retired:
            self.notify(f"Showing {count} retired customers, dimmed" if count else "None retired")
        else:
            self.notify("Retired customers hidden")
        self.show_rows()
