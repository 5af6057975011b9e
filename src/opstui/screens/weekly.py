"""The weekly review: the Friday pre-read checklist, follow-ups and agenda, action items,
decisions, escalations, KPIs and the risk register of one ISO week, and meeting mode for the
Monday review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane

from opstui.data.figures import current_escalations, risk_register, week_preread
from opstui.data.messages import ExportRequest, MessageError
from opstui.data.repository import Repository
from opstui.data.review import (
    SnapshotDamagedError,
    freeze_week,
    review_snapshots,
    snapshot_date,
    unfreeze_week,
    week_kpi_figures,
)
from opstui.data.trends import earlier_weeks
from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    DecisionCategory,
    DecisionKind,
    RiskStatus,
)
from opstui.domain.escalations import Escalation
from opstui.domain.history import Change, StaleEditError
from opstui.domain.models import (
    KPIS_COMPUTED,
    ActionItem,
    Company,
    Decision,
    Kpis,
    Person,
    ReviewWeek,
    Risk,
)
from opstui.domain.records import choosable
from opstui.domain.review import (
    PrereadSummary,
    is_overdue,
    week_action_items,
    week_decisions,
)
from opstui.domain.snapshot import ComputedKpisFigure, RiskFigure, SnapshotData
from opstui.domain.trends import PeriodKind, ReviewPeriod, kpi_history
from opstui.domain.weeks import next_week, previous_week, week_days
from opstui.export.kinds import KINDS, ExportKind, Render
from opstui.export.markdown import render_week
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.export_preview import ExportPreview
from opstui.modals.model_form import Field, ModelForm
from opstui.modals.picker import Picker
from opstui.screens.base import not_saved_words
from opstui.screens.preread_flow import PrereadFlow
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.fitting_strip import FittingStrip, piece
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.virtual_table import ListSource, VirtualTable
from opstui.widgets.weekly_rows import (
    ACTION_COLUMNS,
    CHECKLIST_COLUMNS,
    DECISION_COLUMNS,
    ESCALATION_COLUMNS,
    RISK_COLUMNS,
    SPARK_WEEKS,
    action_rows,
    changes_lines,
    checklist_rows,
    decision_rows,
    escalation_rows,
    kpi_content,
    risk_rows,
    who_changed_lines,
)

TABS = ("checklist", "actions", "decisions", "escalations", "kpis", "risks", "changes")
TABLE_TABS = frozenset(TABS) - {"kpis", "changes"}
"""The tabs that show a table (the others show text)."""
ESCALATION_MODES = {"bug": "bugs", "project": "portfolio", "customer": "customers"}


@dataclass(slots=True)
class WeekData:
    """Everything the weekly screen shows for one week."""

    week: str
    people: list[Person]
    companies: list[Company]
    preread: PrereadSummary
    """The Friday pre-read, from the loader the export and meeting mode use too."""
    review: ReviewWeek | None
    follow_ups: dict[str, datetime]
    actions: list[ActionItem]
    decisions: list[Decision]
    escalations: tuple[Escalation, ...]
    kpis: Kpis | None
    computed: ComputedKpisFigure
    """The computed KPIs: the frozen snapshot's for a frozen week, else the data's now."""
    risks: tuple[RiskFigure, ...]
    frozen_at: datetime | None
    kpi_history: dict[str, tuple[float | None, ...]]
    """Each KPI in the weeks before this one (the KPIs tab's sparklines)."""


INCIDENTS_OFFERED = 20
"""Recent P0 bugs the message picker offers a post-incident review of."""


class WeeklyScreen(PrereadFlow):
    """One review week, tab by tab; `m` walks the Monday agenda in meeting mode."""

    SCREEN_TITLE = "Weekly review"
    CSS_PATH = "../styles/weekly.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "week(-1)", "Previous week", id="weekly.previous_week"),
        Binding("right_square_bracket", "week(1)", "Next week", id="weekly.next_week"),
        Binding(
            "t",
            "this_week",
            "This week",
            id="weekly.this_week",
            show=False,
            tooltip="Back to the review week of today",
        ),
        Binding("h", "tab(-1)", "Previous tab", id="weekly.previous_tab", show=False),
        Binding("l", "tab(1)", "Next tab", id="weekly.next_tab", show=False),
        Binding(
            "m",
            "meeting",
            "Meeting mode",
            id="weekly.meeting",
            tooltip="Walk the Monday agenda full screen, with timers",
        ),
        Binding(
            "n",
            "new",
            "New",
            id="weekly.new",
            tooltip="New action item, decision or risk (on their tabs)",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="weekly.open",
            tooltip="Edit the item or risk, open a pre-read, or jump to an escalation",
        ),
        Binding(
            "space",
            "tick",
            "Tick",
            id="weekly.toggle",
            tooltip="Tick a follow-up checkpoint; mark a decision decided",
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="weekly.status",
            tooltip="Cycle an action item's status; a risk's: open, mitigating, closed, reopened",
        ),
        Binding(
            "S",
            "my_preread",
            "My pre-read",
            id="weekly.my_preread",
            tooltip="Fill, save and submit your own pre-read for the week shown",
        ),
        Binding(
            "A",
            "accept_preread",
            "Accept pre-read",
            id="weekly.accept",
            show=False,
            tooltip="A director accepts the highlighted person's submitted pre-read",
        ),
        Binding(
            "R",
            "return_preread",
            "Return pre-read",
            id="weekly.return",
            show=False,
            tooltip="A director returns the highlighted person's pre-read with a comment",
        ),
        Binding(
            "K",
            "edit_kpis",
            "KPIs",
            id="weekly.kpis",
            show=False,
            tooltip="Type the week's KPIs that come from outside (NPS, bugs, tickets are computed)",
        ),
        Binding(
            "F",
            "freeze",
            "Freeze",
            id="weekly.freeze",
            tooltip="Freeze the week's figures as its snapshot (asks before refreezing)",
        ),
        Binding(
            "U",
            "unfreeze",
            "Unfreeze",
            id="weekly.unfreeze",
            show=False,
            tooltip="Make a frozen week editable again (asks first)",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="weekly.export",
            tooltip="Preview the week's Markdown and write it to a file",
        ),
        Binding(
            "M",
            "messages",
            "Messages",
            id="weekly.messages",
            tooltip="Preview a message of the week (pre-read, executive summary, action items, "
            "Friday update, post-incident review) and write it to a file",
        ),
        Binding(
            "T",
            "review('weeks')",
            "Trends",
            id="weekly.trends",
            tooltip="Charts of the figures over the 13 weeks up to this one",
        ),
        Binding(
            "D",
            "review('month')",
            "Monthly deep dive",
            id="weekly.month",
            tooltip="The monthly deep dive of this week's month, week by week",
        ),
        Binding(
            "Q",
            "review('quarter')",
            "Quarter review",
            id="weekly.quarter",
            tooltip="The quarterly strategic and roadmap review of this week's quarter",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.week = ""
        self.data: WeekData | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield FittingStrip(id="week-bar")
        with TabbedContent(id="tabs", initial="checklist"):
            with TabPane("Checklist", id="checklist"):
                yield VirtualTable(CHECKLIST_COLUMNS, id="checklist-table")
            with TabPane("Action items", id="actions"):
                yield VirtualTable(ACTION_COLUMNS, id="actions-table")
            with TabPane("Decisions", id="decisions"):
                yield VirtualTable(DECISION_COLUMNS, id="decisions-table")
            with TabPane("Escalations", id="escalations"):
                yield VirtualTable(ESCALATION_COLUMNS, id="escalations-table")
            with TabPane("KPIs", id="kpis"):
                yield Static(id="kpis-view")
            with TabPane("Risks", id="risks"):
                yield VirtualTable(RISK_COLUMNS, id="risks-table")
            with TabPane("Changes", id="changes"), VerticalScroll():
                yield Static(id="changes-view")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.week = self.week or self.session.week
        self.refresh_header()
        self.load()

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    def data_changed(self) -> None:
        self.load()

    def preread_summary(self) -> PrereadSummary | None:
        return None if self.data is None else self.data.preread

    def workspace_people(self) -> list[Person]:
        return [] if self.data is None else self.data.people

    def highlighted_key(self) -> str | None:
        return self._current_key() if self.tab == "checklist" else None

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active or "checklist"

    def table(self, tab: str | None = None) -> VirtualTable:
        return self.query_one(f"#{tab or self.tab}-table", VirtualTable)

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="weekly-load", exit_on_error=False)
    def load(self) -> None:
        session = self.session
        with session.reading() as repo:
            week = self.week
            counts = repo.company_bug_counts(
                session.today, session.config.targets.resolution_window_days
            )
            people = repo.people()
            companies = repo.companies()
            frozen_at = repo.snapshot_frozen_at(week)
            data = WeekData(
                week=week,
                people=people,
                companies=companies,
                preread=week_preread(repo, week, session.config.preread.due_time),
                review=repo.review_week(week),
                follow_ups=repo.follow_ups(week),
                actions=week_action_items(repo.action_items(), week),
                decisions=week_decisions(repo.decisions(), week),
                escalations=current_escalations(repo, session.today),
                kpis=repo.kpis(week),
                computed=week_kpi_figures(repo, week, counts),
                risks=risk_register(
                    repo,
                    people={p.id: p.name for p in people},
                    companies={c.id: c.name for c in companies if c.id is not None},
                ),
                frozen_at=frozen_at,
                kpi_history=kpi_history(earlier_weeks(repo, week, SPARK_WEEKS - 1)),
            )
        self.app.call_from_thread(self._loaded, data)

    def _loaded(self, data: WeekData) -> None:
        self.data = data
        session = self.session
        people = {p.id: p.name for p in data.people if p.id is not None}
        companies = {c.id: c.name for c in data.companies if c.id is not None}
        summary = data.preread
        self._keep(self.table("checklist"), checklist_rows(data.week, summary, data.follow_ups))
        items = data.actions
        self._keep(
            self.table("actions"), action_rows(items, data.week, session.today, people, companies)
        )
        self._keep(self.table("decisions"), decision_rows(data.decisions, session.now()))
        self._keep(self.table("escalations"), escalation_rows(data.escalations))
        self.query_one("#kpis-view", Static).update(
            kpi_content(data.kpis, data.week, data.computed, data.kpi_history)
        )
        self._keep(self.table("risks"), risk_rows(data.risks))
        monday, sunday = week_days(data.week)
        overdue = sum(1 for item in items if is_overdue(item, session.today))
        late = summary.late
        all_in = bool(summary.rows) and summary.accepted == len(summary.rows)
        bar = [
            piece(f"Week {data.week}", 0, "bold"),
            piece(f"  {monday:%b %d}–{sunday:%b %d}", 6),
            piece(f"   pre-read {summary.handed_in}/{len(summary.rows)} submitted", 0, "bold"),
            piece(Content(" · ") + Content.styled(f"{late} late", "$warning" if late else ""), 1),
            piece(
                Content(" · ")
                + Content.styled(f"{summary.accepted} accepted", "$success" if all_in else ""),
                2,
            ),
            piece(f"   actions {len(items)}", 3),
        ]
        if overdue:
            bar.append(piece(f" ({overdue} overdue)", 3, "bold $error"))
        bar += [
            piece(f"   decisions {len(data.decisions)}", 5),
            piece(
                Content("   ")
                + Content.styled(
                    f"escalations {len(data.escalations)}",
                    "bold $error" if data.escalations else "",
                ),
                5,
            ),
            piece(f"   ❄ frozen {data.frozen_at:%a %b %d %H:%M} (U unfreezes)", 0, "bold $primary")
            if data.frozen_at
            else piece("   not frozen (F freezes)", 7, "dim"),
            piece("   ([ ] week · t this week)", 8, "dim"),
        ]
        self.query_one("#week-bar", FittingStrip).show(bar)
        self.loaded = True
        if self.tab == "changes":
            self.load_changes()
        self.apply_pending_entity()
        self.open_pending_preread()

    @staticmethod
    def _keep(table: VirtualTable, rows: list[Any]) -> None:
        table.set_source(ListSource(rows), keep=table.current_key)

    # -- navigation ---------------------------------------------------------------------------

    def action_week(self, step: int) -> None:
        self.week = next_week(self.week) if step > 0 else previous_week(self.week)
        self.load()

    def action_this_week(self) -> None:
        self.week = self.session.week
        self.load()

    def action_tab(self, step: int) -> None:
        index = (TABS.index(self.tab) + step) % len(TABS)
        self.query_one(TabbedContent).active = TABS[index]
        if TABS[index] in TABLE_TABS:
            self.set_focus(self.table(TABS[index]))

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or ""
        if tab == "changes":
            self.load_changes()
        elif tab in TABLE_TABS:
            self.set_focus(self.table(tab))

    def action_meeting(self, start: str | None = None) -> None:
        from opstui.screens.meeting import MeetingScreen

        clock = self.session.clock
        ticker = (lambda: clock().timestamp()) if clock is not None else None
        self.app.push_screen(MeetingScreen(self.week, start=start, clock=ticker))

    def action_review(self, kind: PeriodKind) -> None:
        from opstui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(ReviewPeriod(kind, self.week)))

    # -- writing ------------------------------------------------------------------------------

    @property
    def frozen(self) -> bool:
        return self.data is not None and self.data.frozen_at is not None

    def editable(self) -> bool:
        """False, with a word to the user, when the week is frozen (read-only)."""
        if self.frozen:
            self.notify(
                f"{self.week} is frozen: its figures are the stored snapshot. "
                "U unfreezes it on purpose.",
                severity="warning",
            )
            return False
        return True

    def _save(self, change: Callable[[], object], message: str) -> None:
        if not self.editable():
            return
        try:
            change()
        except Exception as error:  # one transaction: nothing was stored
            self.notify(not_saved_words(error, self.session.repo.path), severity="error")
            if isinstance(error, StaleEditError):
                self.load()  # show what the other person saved
            return
        self.notify(message)
        self.ops.data_changed()
        self.load()

    def _history(self, record: ActionItem | Decision | Risk | None) -> list[Change] | None:
        """What the form of `record` lists under its fields (None for a new record)."""
        if record is None or record.id is None:
            return None
        return self.session.repo.history_of(type(record), record.id)

    def _open_form(
        self,
        form: ModelForm[Any],
        original: Any,
        store: Callable[[Any, Any], object],
        message: str,
    ) -> None:
        """Open `form`, which saves with `store` before it closes (a refused save keeps
        it open with what was typed); then say so and reload."""
        if not self.editable():
            return

        def done(result: object) -> None:
            if result is not None:
                self.notify(message)
                self.ops.data_changed()
                self.load()

        self.app.push_screen(form.saving(original, store), done)

    def _current_key(self) -> str | None:
        """The key of the row under the cursor, on a tab with a table."""
        return self.table().current_key if self.tab in TABLE_TABS else None

    def _current_id(self) -> int | None:
        key = self._current_key()
        if key is None or ":" not in key:
            return None
        tail = key.split(":")[1]
        return int(tail) if tail.isdigit() else None

    def _action_fields(self, item: ActionItem | None = None) -> list[Field]:
        assert self.data is not None
        # Retired people and companies are not offered, unless the item names them.
        owners = choosable(self.data.people, item.owner_id if item else None)
        people = tuple((p.name, p.id) for p in owners if p.id is not None)
        companies = (
            ("Cross-company", None),
            *(
                (c.name, c.id)
                for c in choosable(self.data.companies, item.company_id if item else None)
                if c.id is not None
            ),
        )
        return [
            Field("what", "Action item", required=True),
            Field("owner_id", "Owner", "choice", people),
            Field("due_date", "Due date", hint="YYYY-MM-DD"),
            Field("company_id", "Company", "choice", companies),
            Field(
                "priority",
                "Priority",
                "choice",
                tuple((p.value, p) for p in ActionPriority),
                required=True,
            ),
            Field(
                "status",
                "Status",
                "choice",
                tuple((s.value, s) for s in ActionStatus),
                required=True,
            ),
        ]

    def _decision_fields(self) -> list[Field]:
        return [
            Field("what", "Decision", required=True),
            Field("context", "Context", "text"),
            Field("recommendation", "Recommendation", "text"),
            Field(
                "kind",
                "Kind",
                "choice",
                (
                    ("Immediate (in the meeting)", DecisionKind.IMMEDIATE),
                    ("Follow-up within 48 hours", DecisionKind.FOLLOW_UP),
                ),
                required=True,
            ),
            Field(
                "category",
                "Category",
                "choice",
                tuple((c.value, c) for c in DecisionCategory),
                required=True,
            ),
        ]

    def _edit_action(self, item: ActionItem | None) -> None:
        if not self.editable():
            return
        repo = self.session.repo
        values = (
            item.model_dump()
            if item
            else {
                "priority": ActionPriority.MEDIUM,
                "status": ActionStatus.NOT_STARTED,
            }
        )
        fixed = (
            {"id": item.id, "week": item.week, "closed_on": item.closed_on}
            if item
            else {
                "week": self.week,
            }
        )
        today = self.session.today

        def store(original: ActionItem | None, result: ActionItem) -> None:
            closed = today if result.status is ActionStatus.COMPLETE else None
            result = result.model_copy(update={"closed_on": result.closed_on or closed})
            if result.status is not ActionStatus.COMPLETE:
                result = result.model_copy(update={"closed_on": None})
            if result.id is None:
                repo.add(result)
            else:
                repo.save_edit(original, result)

        title = "New action item" if item is None else "Edit action item"
        form = ModelForm(
            title, ActionItem, self._action_fields(item), values, fixed, history=self._history(item)
        )
        self._open_form(
            form, item, store, "Action item added" if item is None else "Action item saved"
        )

    def _edit_decision(self, decision: Decision | None) -> None:
        if not self.editable():
            return
        repo = self.session.repo
        now = self.session.now()
        values = decision.model_dump() if decision else {"kind": DecisionKind.IMMEDIATE}
        fixed: dict[str, Any] = {"week": self.week, "raised_at": now}
        if decision is not None:
            fixed = {
                "id": decision.id,
                "week": decision.week,
                "raised_at": decision.raised_at,
                "decided_at": decision.decided_at,
            }

        def store(original: Decision | None, result: Decision) -> None:
            if result.id is None:
                if result.kind is DecisionKind.IMMEDIATE:
                    result = result.model_copy(update={"decided_at": result.raised_at})
                repo.add(result)
            else:
                repo.save_edit(original, result)

        title = "Log a decision" if decision is None else "Edit decision"
        form = ModelForm(
            title, Decision, self._decision_fields(), values, fixed, history=self._history(decision)
        )
        self._open_form(
            form, decision, store, "Decision logged" if decision is None else "Decision saved"
        )

    def action_new(self) -> None:
        if self.tab == "decisions":
            self._edit_decision(None)
        elif self.tab == "kpis":
            self.action_edit_kpis()
        elif self.tab == "risks":
            self._edit_risk(None)
        else:
            if self.tab != "actions":
                self.query_one(TabbedContent).active = "actions"
            self._edit_action(None)

    def action_open(self) -> None:
        if self.data is None:
            return
        key = self._current_key()
        if key is None:
            return
        kind, _, rest = key.partition(":")
        if kind == "action":
            item = next((a for a in self.data.actions if a.id == int(rest)), None)
            self._edit_action(item)
        elif kind == "decision":
            decision = next((d for d in self.data.decisions if d.id == int(rest)), None)
            self._edit_decision(decision)
        elif kind == "risk":
            risk = self.session.repo.get(Risk, int(rest))
            if risk is not None:
                self._edit_risk(risk)
        elif kind == "person":
            self.open_preread(int(rest))
        elif kind == "agenda":
            self.action_meeting(rest)
        elif kind == "followup":
            self.action_tick()
        elif kind in ESCALATION_MODES:
            self.ops.jump_to(ESCALATION_MODES[kind], int(rest.split(":")[0]))
        elif kind == "director":
            self.action_my_preread()

    @on(VirtualTable.Selected)
    def _selected(self) -> None:
        self.action_open()

    def action_tick(self) -> None:
        key = self._current_key()
        if key is None or self.data is None:
            return
        repo = self.session.repo
        now = self.session.now()
        kind, _, rest = key.partition(":")
        if kind == "followup":
            done = rest in self.data.follow_ups
            self._save(
                lambda: repo.set_follow_up(self.week, rest, None if done else now),
                f"{rest} follow-up {'reopened' if done else 'done'}",
            )
        elif kind == "decision":
            decision = next((d for d in self.data.decisions if d.id == int(rest)), None)
            if decision is not None:
                at = None if decision.decided_at else max(now, decision.raised_at)
                self._save(
                    lambda: repo.save_changes(
                        decision, decision.model_copy(update={"decided_at": at})
                    ),
                    "Decided" if at else "Marked undecided",
                )
        elif kind == "person":
            self.open_preread(int(rest))

    def action_cycle_status(self) -> None:
        if self.tab == "risks":
            self._cycle_risk_status()
            return
        if self.tab != "actions" or self.data is None:
            return
        item_id = self._current_id()
        item = next((a for a in self.data.actions if a.id == item_id), None)
        if item is None:
            return
        statuses = list(ActionStatus)
        following = statuses[(statuses.index(item.status) + 1) % len(statuses)]
        closed = self.session.today if following is ActionStatus.COMPLETE else None
        repo = self.session.repo
        self._save(
            lambda: repo.save_changes(
                item, item.model_copy(update={"status": following, "closed_on": closed})
            ),
            f"Status: {following.value}",
        )

    def action_edit_kpis(self) -> None:
        if not self.editable():
            return
        repo = self.session.repo
        current = repo.kpis(self.week)
        # Only what comes from outside is typed; the computed KPIs are not asked for, and
        # what older versions stored for them is kept as it was.
        fields = [Field(name, Kpis.label(name)) for name in Kpis.typed_fields()]
        values = current.model_dump() if current else {}
        fixed: dict[str, Any] = {"week": self.week}
        if current is not None:
            fixed.update({name: getattr(current, name) for name in KPIS_COMPUTED})

        def store(original: Kpis | None, result: Kpis) -> None:
            if original is None:  # the week's first KPIs, unless someone saved theirs since
                latest = repo.kpis(result.week)
                if latest is not None:
                    raise StaleEditError(
                        f"someone else saved the KPIs of {result.week} after you opened the form",
                        latest,
                    )
                repo.upsert(result)
            else:  # only the figures typed, never over a newer edit of them
                repo.save_changes(original, result)

        form = ModelForm(f"KPIs of {self.week} (typed)", Kpis, fields, values, fixed)
        self._open_form(form, current, store, f"KPIs of {self.week} saved")

    # -- the risk register --------------------------------------------------------------------

    def _risk_fields(self, risk: Risk | None) -> list[Field]:
        """The risk form's fields; retired people and companies are offered only where the
        risk already names them."""
        assert self.data is not None
        owners = choosable(self.data.people, risk.owner_id if risk else None)
        people = tuple((p.name, p.id) for p in owners if p.id is not None)
        threatened = choosable(self.data.companies, risk.company_id if risk else None)
        companies = tuple((c.name, c.id) for c in threatened if c.id is not None)
        projects = tuple((name, pid) for pid, name, _ in self.session.repo.project_names())
        return [
            Field("risk", "Risk", required=True),
            Field("owner_id", "Owner", "choice", people),
            Field("mitigation", "Mitigation", "text"),
            Field(
                "status",
                "Status",
                "choice",
                tuple((s.value, s) for s in RiskStatus),
                required=True,
            ),
            Field("project_id", "Project", "choice", projects),
            Field("company_id", "Company", "choice", companies),
        ]

    def _edit_risk(self, risk: Risk | None) -> None:
        if not self.editable() or self.data is None:
            return
        repo = self.session.repo
        values = risk.model_dump() if risk else {"status": RiskStatus.OPEN}
        fixed = {} if risk is None else {"id": risk.id}

        def store(original: Risk | None, result: Risk) -> None:
            if result.id is None:
                repo.add(result)
            else:
                repo.save_edit(original, result)

        title = "New risk" if risk is None else "Edit risk"
        form = ModelForm(
            title, Risk, self._risk_fields(risk), values, fixed, history=self._history(risk)
        )
        self._open_form(
            form, risk, store, "Risk added to the register" if risk is None else "Risk saved"
        )

    def _cycle_risk_status(self) -> None:
        """Open → mitigating → closed → open again (reopened)."""
        risk_id = self._current_id()
        risk = None if risk_id is None else self.session.repo.get(Risk, risk_id)
        if risk is None:
            return
        statuses = list(RiskStatus)
        following = statuses[(statuses.index(risk.status) + 1) % len(statuses)]
        word = "reopened" if risk.status is RiskStatus.CLOSED else following.value.lower()
        repo = self.session.repo
        self._save(
            lambda: repo.save_changes(risk, risk.model_copy(update={"status": following})),
            f"Risk {word}",
        )

    # -- the snapshot: freeze, unfreeze, changes, export ---------------------------------------

    def _snapshots(self, repo: Repository) -> tuple[SnapshotData, SnapshotData | None]:
        session = self.session
        as_of = snapshot_date(self.week, session.today)
        targets, health = session.config.targets, session.config.health
        return review_snapshots(
            repo, self.week, as_of, targets, health, session.config.preread.due_time
        )

    @work(thread=True, exclusive=True, group="weekly-changes", exit_on_error=False)
    def load_changes(self) -> None:
        with self.session.reading() as repo:
            snapshot, previous = self._snapshots(repo)
            people = repo.people_changes(self.week)
        lines = [*changes_lines(snapshot, previous), *who_changed_lines(self.week, people)]
        self.app.call_from_thread(
            self.query_one("#changes-view", Static).update, Content("\n").join(lines)
        )

    def action_freeze(self) -> None:
        session = self.session
        week = self.week

        def freeze(replace: bool) -> None:
            try:
                freeze_week(
                    session.repo,
                    week,
                    today=snapshot_date(week, session.today),
                    now=session.now(),
                    targets=session.config.targets,
                    health=session.config.health,
                    replace=replace,
                    preread_due=session.config.preread.due_time,
                )
            except Exception as error:
                self.notify(f"Not frozen: {error}", severity="error")
                return
            self.notify(f"{week} frozen: its figures are stored as this week's snapshot")
            self.ops.data_changed()
            self.load()

        if not self.frozen:
            freeze(False)
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                freeze(True)

        self.app.push_screen(
            ConfirmDialog(
                f"{week} is already frozen. Refreeze it? The stored snapshot is replaced by "
                "today's figures.",
                "Refreeze",
            ),
            confirmed,
        )

    def action_unfreeze(self) -> None:
        if not self.frozen:
            self.notify(f"{self.week} is not frozen")
            return
        repo = self.session.repo
        week = self.week

        def confirmed(answer: bool | None) -> None:
            if answer:
                unfreeze_week(repo, week)
                self.notify(f"{week} unfrozen: editable again")
                self.ops.data_changed()
                self.load()

        self.app.push_screen(
            ConfirmDialog(
                f"Unfreeze {week}? Its stored snapshot is deleted and the week becomes "
                "editable; next week's trends then compare with the week before.",
                "Unfreeze",
            ),
            confirmed,
        )

    def action_export(self) -> None:
        self.notify(f"Preparing the export of {self.week}…", timeout=2)
        self._prepare_export()

    @work(thread=True, exclusive=True, group="weekly-export", exit_on_error=False)
    def _prepare_export(self) -> None:
        """The week's figures, read on a connection of the worker's own; the preview
        renders them (and their redacted form) without reading the workspace again."""
        with self.session.reading() as repo:
            snapshot, previous = self._snapshots(repo)
        self.app.call_from_thread(self._show_export, snapshot, previous)

    def _show_export(self, snapshot: SnapshotData, previous: SnapshotData | None) -> None:
        def render(redact: bool) -> str:
            return render_week(snapshot, previous, redact=redact)

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Wrote {path}")

        default = Path.cwd() / f"opstui-{self.week}.md"
        title = f"Markdown export of {self.week}"
        self.app.push_screen(ExportPreview(title, render, default), written)

    # -- the messages the review sends --------------------------------------------------------

    def action_messages(self) -> None:
        self._choose_message()

    @work(thread=True, exclusive=True, group="weekly-messages", exit_on_error=False)
    def _choose_message(self) -> None:
        """The kinds of message, and a post-incident review per recent P0 bug (read on a
        connection of the worker's own)."""
        with self.session.reading() as repo:
            incidents = repo.incident_titles(INCIDENTS_OFFERED)
        options: list[tuple[str, tuple[str, int | None]]] = []
        for kind in KINDS.values():
            if not kind.needs_bug:
                options.append((kind.title, (kind.name, None)))
                continue
            for bug_id, bug_title in incidents:
                options.append((f"{kind.title} — #{bug_id} {bug_title}", (kind.name, bug_id)))
        self.app.call_from_thread(self._pick_message, options)

    def _pick_message(self, options: list[tuple[str, tuple[str, int | None]]]) -> None:
        def picked(choice: tuple[str, int | None] | None) -> None:
            if choice is not None:
                self.notify(f"Preparing the {KINDS[choice[0]].title.lower()}…", timeout=2)
                self._prepare_message(*choice)

        title = f"Message of {self.week} to preview (a post-incident review per recent P0)"
        self.app.push_screen(Picker(title, options), picked)

    @work(thread=True, exclusive=True, group="weekly-export", exit_on_error=False)
    def _prepare_message(self, name: str, bug_id: int | None) -> None:
        """The message's figures, read once on the worker's connection; the preview renders
        them, redacted or not, without reading again."""
        kind, session = KINDS[name], self.session
        request = ExportRequest(
            self.week,
            kind.day(self.week, session.today),
            session.config.targets,
            session.config.health,
            bug_id,
            session.config.preread.due_time,
        )
        try:
            with session.reading() as repo:
                render = kind.prepare(repo, request)
        except (MessageError, SnapshotDamagedError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show_message, kind, render, bug_id)

    def _show_message(self, kind: ExportKind, render: Render, bug_id: int | None) -> None:
        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Wrote {path}")

        default = Path.cwd() / kind.file_name(self.week, bug_id)
        about = f"#{bug_id}" if bug_id is not None else self.week
        self.app.push_screen(ExportPreview(f"{kind.title} of {about}", render, default), written)

    # -- jumps --------------------------------------------------------------------------------

    def select_entity(self, entity_id: int) -> None:
        """Weeks are not entities; a jump here shows the current week."""
