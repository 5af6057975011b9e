"""The weekly review: escalations and action items of the review week."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Footer, Static

from opstui.data.figures import current_escalations
from opstui.domain.escalations import Escalation
from opstui.domain.models import ActionItem
from opstui.screens.base import OpsScreen
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.virtual_table import Column, ListSource, Row, VirtualTable, text_cell

ESCALATION_COLUMNS = (
    Column("trigger", "Trigger", 30),
    Column("title", "What", 50),
    Column("detail", "Detail", 36),
)
ACTION_COLUMNS = (
    Column("what", "Action item", 56),
    Column("due", "Due", 11),
    Column("priority", "Pri", 4),
    Column("status", "Status", 12),
    Column("week", "From", 9),
)


class WeeklyScreen(OpsScreen):
    """The review week's escalations and open action items."""

    SCREEN_TITLE = "Weekly review"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Static(Content("Escalations"), classes="section-title")
        yield VirtualTable(ESCALATION_COLUMNS, id="escalations")
        yield Static(Content("Action items"), classes="section-title")
        yield VirtualTable(ACTION_COLUMNS, id="actions")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_header()
        self.load()

    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="weekly-load", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        escalations = current_escalations(session.repo, session.today)
        actions = [
            item
            for item in session.repo.action_items()
            if item.week <= session.week and (item.week == session.week or item.closed_on is None)
        ]
        self.app.call_from_thread(self._loaded, escalations, actions)

    def _loaded(self, escalations: tuple[Escalation, ...], actions: list[ActionItem]) -> None:
        today = self.session.today
        self.query_one("#escalations", VirtualTable).set_source(
            ListSource(
                [
                    Row(
                        key=f"{item.kind}:{item.target_id}:{item.trigger.name}",
                        cells=(
                            Content.styled(item.trigger.value, "bold $error"),
                            text_cell(item.title),
                            text_cell(item.detail),
                        ),
                    )
                    for item in escalations
                ]
            )
        )
        self.query_one("#actions", VirtualTable).set_source(
            ListSource(
                [
                    Row(
                        key=f"action:{item.id}",
                        cells=(
                            text_cell(item.what),
                            Content.styled(
                                "" if item.due_date is None else item.due_date.isoformat(),
                                "bold $error"
                                if item.due_date
                                and item.due_date < today
                                and item.closed_on is None
                                else "",
                            ),
                            Content(item.priority.value),
                            Content(item.status.value),
                            Content(item.week),
                        ),
                    )
                    for item in actions
                ]
            )
        )
