"""Bug triage: the company × priority matrix and the bugs that need attention now."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Footer, Static

from opstui.data.figures import current_bug_matrix, previous_snapshot
from opstui.domain.bugs import BugMatrix
from opstui.domain.models import Bug
from opstui.screens.base import OpsScreen
from opstui.widgets.bug_matrix import BugMatrixView
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.virtual_table import Column, ListSource, Row, VirtualTable, text_cell

COLUMNS = (
    Column("id", "#", 6, align="right"),
    Column("priority", "Pri", 4),
    Column("title", "Title", 60),
    Column("status", "Status", 12),
    Column("flag", "Flag", 9),
    Column("opened", "Opened", 11),
)


class BugsScreen(OpsScreen):
    """The quality section of the review: the matrix, then open P0/P1 and security bugs."""

    SCREEN_TITLE = "Bugs"
    BINDINGS: ClassVar[list[BindingType]] = []

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield BugMatrixView(id="matrix")
        yield Static(Content("Open P0/P1 and security-flagged bugs"), id="urgent-title")
        yield VirtualTable(COLUMNS, id="urgent")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_header()
        self.load()

    def data_changed(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="bugs-load", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        previous = previous_snapshot(session.repo, session.week)
        matrix = current_bug_matrix(session.repo, session.today, session.config.targets, previous)
        urgent = session.repo.escalation_bugs()
        self.app.call_from_thread(self._loaded, matrix, urgent)

    def _loaded(self, matrix: BugMatrix, urgent: list[Bug]) -> None:
        self.query_one(BugMatrixView).show(matrix)
        rows = [
            Row(
                key=f"bug:{bug.id}",
                cells=(
                    Content(str(bug.id)),
                    Content.styled(bug.priority.value if bug.priority else "—", "bold $error"),
                    text_cell(bug.title),
                    Content(bug.status.value),
                    Content.styled("security" if bug.security_flag else "", "$warning"),
                    Content(f"{bug.opened_at:%Y-%m-%d}"),
                ),
            )
            for bug in urgent
        ]
        self.query_one("#urgent", VirtualTable).set_source(ListSource(rows))
        self.loaded = True
        self.apply_pending_entity()

    loaded = False

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    def select_entity(self, entity_id: int) -> None:
        table = self.query_one("#urgent", VirtualTable)
        index = table.index_of(f"bug:{entity_id}")
        if index is not None:
            table.move_cursor(index)
        else:
            self.notify(f"Bug #{entity_id} is not among the open P0/P1 or security bugs")
