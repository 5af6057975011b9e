"""Bug triage: the company × priority matrix, the triage inbox and the list of all bugs.

One key per decision, then the next bug: `0`–`3` priority, `m` duplicate, `a` assign, `c`
company, `x` resolve, `z` snooze. `space` marks rows for a bulk decision (`V` a range, `*`
every row of the view, `esc` none); `u` undoes, `U` redoes; `n` adds a bug. Here `0`–`3`
are priorities, so the screens are `alt+1`…`alt+5` or `g`. Lists are paged from SQLite, so
the screen behaves the same at 100 bugs or 100,000.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from opstui.data.bug_queries import BugQuery
from opstui.data.figures import week_bug_matrix
from opstui.domain.bugs import (
    BugMatrix,
    became_urgent,
    needs_analysis,
    priority_change_is_serious,
)
from opstui.domain.enums import BugStatus, PlaybookStep, Priority
from opstui.domain.history import StaleEditError
from opstui.domain.models import Bug, SavedFilter
from opstui.domain.records import choosable
from opstui.domain.text import clean_line
from opstui.modals.bug_detail import BugDetail
from opstui.modals.bug_filter import BugFilterForm
from opstui.modals.bug_form import BugForm, Named, NewBug
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.date_prompt import DatePrompt
from opstui.modals.picker import Picker
from opstui.modals.text_prompt import TextPrompt
from opstui.screens.base import OpsScreen, not_saved_words
from opstui.screens.importing import ImportFlow
from opstui.widgets.bug_list import COLUMNS, BugPages
from opstui.widgets.bug_matrix import BugMatrixView
from opstui.widgets.bug_panel import BugPanel, bug_summary
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.virtual_table import VirtualTable

UNDO_DEPTH = 100
"""How many decisions `u` can take back."""

MARK_ALL_LIMIT = 5_000
"""`*` marks every row of the view up to this many; a longer list is filtered first."""

COUNT_GROUP = "bugs-count"
"""The workers counting a title filter's matches (`BugsScreen.count_list`)."""

PANEL_MIN_HEIGHT = 34
"""From this many rows the highlighted bug's detail is shown under the list."""

NEAR_ROWS = 300
"""How far around the cursor a row is looked for first (lists are paged from SQL)."""

NO_BUGS = Content.assemble(
    ("No bugs yet", "bold"),
    " — ",
    ("n", "bold $accent"),
    " adds one; ",
    ("I", "bold $accent"),
    " imports them from Jira, Linear, GitHub or a CSV (or ",
    ("opstui import WORKSPACE FILE", "bold"),
    ")",
)
"""What the list says on a workspace without a single bug."""


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One decision (possibly on many bugs): the bugs as they were before and after it."""

    label: str
    before: tuple[Bug, ...]
    after: tuple[Bug, ...]


PRIORITY_KEYS = Binding.Group("Priority", compact=True)
"""`0`–`3` shown together in the footer: on this screen they are priorities, not screens."""


def _priority_binding(priority: Priority) -> Binding:
    number = priority.value[1]
    return Binding(
        number,
        f"set_priority('{priority.value}')",
        f"Priority {priority.value}",
        id=f"bugs.priority_{number}",
        tooltip=(
            f"Set {priority.value} and move to the next bug (on this screen {number} is a "
            "priority; alt+1…5 or g switch screens)"
        ),
        group=PRIORITY_KEYS,
    )


class BugsScreen(OpsScreen):
    """The triage inbox (default) or all bugs, under the company × priority matrix."""

    SCREEN_TITLE = "Bugs"
    AUTO_FOCUS = "#bugs"
    CSS_PATH = "../styles/bugs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        *(_priority_binding(priority) for priority in Priority),
        Binding(
            "m",
            "duplicate",
            "Duplicate",
            id="bugs.duplicate",
            show=False,
            tooltip="Mark as duplicate of an open bug (picker)",
        ),
        Binding(
            "a", "assign", "Assign", id="bugs.assign", show=False, tooltip="Assign to a person"
        ),
        Binding(
            "c",
            "set_company",
            "Company",
            id="bugs.company",
            show=False,
            tooltip="Set company and product",
        ),
        Binding("x", "resolve", "Resolve", id="bugs.resolve", tooltip="Mark resolved now"),
        Binding(
            "z",
            "snooze",
            "Snooze",
            id="bugs.snooze",
            show=False,
            tooltip="Hide from the inbox until a date",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            id="bugs.mark",
            tooltip="Mark the row; decisions then apply to every marked bug",
        ),
        Binding(
            "V,shift+space",
            "mark_range",
            "Mark range",
            id="bugs.mark_range",
            show=False,
            tooltip="Mark every row from the last one marked to the cursor",
        ),
        Binding(
            "asterisk",
            "mark_all",
            "Mark all",
            id="bugs.mark_all",
            show=False,
            tooltip="Mark every row of the view (filter first to choose them)",
        ),
        Binding("u", "undo", "Undo", id="bugs.undo", tooltip="Take back the last decision"),
        Binding(
            "U,ctrl+r",
            "redo",
            "Redo",
            id="bugs.redo",
            show=False,
            tooltip="Make the last undone decision again",
        ),
        Binding(
            "g",
            "app.goto",
            "Screens",
            id="bugs.goto",
            tooltip="Go to another screen: g then p/b/c/w/s, or alt+1…5 (0–3 are priorities here)",
        ),
        Binding(
            "n",
            "new",
            "New bug",
            id="bugs.new",
            tooltip="Add a bug, opened now (an untriaged one lands in the inbox)",
        ),
        Binding(
            "I",
            "import_file",
            "Import",
            id="bugs.import",
            show=False,
            tooltip="Import bugs from a Jira or Linear CSV, gh JSON or a CSV: preview, confirm",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="bugs.open",
            tooltip="All fields, P0/P1 analysis, P0 playbook",
        ),
        Binding(
            "v",
            "toggle_view",
            "Inbox/All",
            id="bugs.view",
            tooltip="Switch between the triage inbox and all bugs",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="bugs.filter",
            tooltip="Filter titles (or #id) as you type",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter or marks",
            id="bugs.clear_filter",
            show=False,
            tooltip="Clear the title filter, or else the marks",
        ),
        Binding(
            "f",
            "filters",
            "Filters",
            id="bugs.filters",
            tooltip="Filter by company, priority, status, assignee",
        ),
        Binding(
            "S",
            "save_filter",
            "Save filter",
            id="bugs.save_filter",
            show=False,
            tooltip="Save the current filters under a name",
        ),
        Binding(
            "F",
            "load_filter",
            "Saved filters",
            id="bugs.load_filter",
            show=False,
            tooltip="Apply a saved filter",
        ),
        Binding(
            "o", "sort_next", "Sort", id="bugs.sort", show=False, tooltip="Sort by the next column"
        ),
        Binding("O", "sort_reverse", "Reverse sort", id="bugs.sort_reverse", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "inbox"
        self.query_all = BugQuery(sort="opened", reverse=True)
        self.undo_stack: list[UndoStep] = []
        self.redo_stack: list[UndoStep] = []
        """Decisions undone since the last new one, the latest last."""
        self.mark_anchor: int | None = None
        """The row last marked with `space`: where `V` starts its range."""
        self.decisions: Counter[str] = Counter()
        """Bugs decided this session, by decision (for the summary)."""
        self.analysis_due: list[int] = []
        """Bugs that became P0/P1 this session and still lack their analysis."""
        self.loaded = False
        self.pages: BugPages | None = None
        self.matrix: BugMatrix | None = None
        """The matrix last shown: the inbox count is explained against its Untriaged total."""

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield BugMatrixView(id="matrix")
        yield Static(id="view-bar")
        yield Input(placeholder="Filter titles, or #id", id="filter")
        yield VirtualTable(COLUMNS, id="bugs")
        yield BugPanel(id="bug-panel")
        with Horizontal(id="footer-row"):
            # ctrl+p still opens the palette; its footer key would push the keys off.
            yield FittingFooter(show_command_palette=False)
            yield Static(id="mark-count")

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#bugs", VirtualTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.refresh_header()
        self.show_list()
        self.load_matrix()

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    def data_changed(self) -> None:
        self.show_list(keep_index=True)
        self.load_matrix()

    # -- the matrix (a full scan at scale: in the background) ---------------------------------

    @work(thread=True, exclusive=True, group="bugs-matrix", exit_on_error=False)
    def load_matrix(self) -> None:
        session = self.session
        with session.reading() as repo:
            matrix = week_bug_matrix(repo, session.today, session.config.targets, session.week)
        self.app.call_from_thread(self._show_matrix, matrix)

    def _show_matrix(self, matrix: BugMatrix) -> None:
        self.matrix = matrix
        self.query_one(BugMatrixView).show(matrix)
        self.show_view_bar()

    # -- the list -----------------------------------------------------------------------------

    def current_query(self) -> BugQuery:
        text = self.filter_input.value if self.filter_input.display else ""
        if self.view == "inbox":
            return BugQuery(inbox=True, text=text, sort="opened")
        return self.query_all.with_text(text)

    def show_list(self, keep_index: bool = False) -> None:
        """(Re)read the list from the workspace; the cursor keeps its place or its bug."""
        table = self.table
        self.pages = BugPages(
            self.session.repo, self.current_query(), self.session.today, self._is_marked
        )
        if self.pages.count_later():
            self.count_list(self.pages)
        else:  # a count still running is of a list no longer shown
            self.workers.cancel_group(self, COUNT_GROUP)
        index = table.cursor
        key = None if keep_index else table.current_key
        table.sort_column = None if self.view == "inbox" else self.query_all.sort
        table.sort_reverse = self.query_all.reverse
        table.set_source(self.pages, keep=None)
        if key is not None and self.pages is not None:
            found = self._index_in_first_pages(key)
            index = found if found is not None else 0
        table.move_cursor(min(index, max(0, len(self.pages) - 1)))
        self.show_view_bar()
        self.loaded = True
        self.apply_pending_entity()
        # The screen's next update draws the key's frame; the table tells the screen that
        # it changed only after this handler, too late for that update, so the frame would
        # show the typed letter alone and the rows one update (~30 ms) later.
        self.refresh()

    @work(thread=True, exclusive=True, group=COUNT_GROUP, exit_on_error=False)
    def count_list(self, pages: BugPages) -> None:
        """Count a title filter's matches after its first rows show; the next keystroke's
        count cancels this one, wherever SQLite is."""
        worker = get_current_worker()
        with self.session.reading() as repo:
            count = repo.bug_list_count_unless(
                pages.query, pages.today, lambda: worker.is_cancelled
            )
        if count is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._list_counted, pages, count)

    def _exact_total(self) -> int:
        """The list's count now: counted here when its worker has not finished."""
        if self.pages is None:
            return 0
        counting = self.pages.counting
        total = self.pages.exact_length()
        if counting:
            self.table.length_changed()
        return total

    def _list_counted(self, pages: BugPages, count: int) -> None:
        if pages is not self.pages or not pages.counting:
            return  # the list was read again meanwhile
        pages.counted(count)
        self.table.length_changed()
        self.show_view_bar()

    def _index_in_first_pages(self, key: str) -> int | None:
        assert self.pages is not None
        for index, bug in enumerate(self.pages.bugs(0, 300)):
            if f"bug:{bug.id}" == key:
                return index
        return None

    def _is_marked(self, key: str) -> bool:
        return key in self.table.marked

    def _find(self, key: str, near: int) -> int | None:
        """The index of row `key`: looked for around `near` first, then from the top."""
        assert self.pages is not None
        start = max(0, near - NEAR_ROWS)
        for offset, bug in enumerate(self.pages.bugs(start, near + NEAR_ROWS)):
            if f"bug:{bug.id}" == key:
                return start + offset
        return self.table.index_of(key)

    def _marked_in_view(self) -> set[int]:
        """The marked bugs the view shows: a decision applies only to marked rows the user
        can see (a filter may hide some)."""
        ids = {int(key.split(":")[1]) for key in self.table.marked}
        if not ids or self.pages is None:
            return ids
        query = self.pages.query
        repo, today = self.session.repo, self.session.today
        total = self._exact_total()

        def shown_without(hidden: set[int]) -> int:
            return repo.bug_list_count(
                replace(query, exclude_ids=query.exclude_ids | hidden), today
            )

        # One count tells whether all (or none) of the marked bugs are shown.
        shown = total - shown_without(ids)
        if shown == len(ids):
            return ids
        if shown <= 0:
            return set()
        return {bug_id for bug_id in ids if shown_without({bug_id}) < total}

    def _drop_marks_outside_view(self) -> None:
        """After a decision: marks on rows the view no longer shows are dropped."""
        table = self.table
        if table.marked:
            table.marked.intersection_update(f"bug:{i}" for i in self._marked_in_view())
            table.refresh()

    def show_view_bar(self) -> None:
        count = len(self.pages) if self.pages is not None else 0
        marked = len(self.table.marked)
        hidden = marked - len(self._marked_in_view()) if marked else 0
        if count == 0 and not self.session.repo.has_bugs():
            text = NO_BUGS
        elif self.view == "inbox":
            if count == 0:
                text = Content.assemble(self.session_summary(), ("   v shows all bugs", "dim"))
            else:
                text = Content.assemble(
                    ("Triage inbox", "bold"),
                    "  ",
                    (f"{count} left", "bold $accent"),
                    (self._inbox_difference(count), ""),
                    ("   0–3 priority · m dup · a assign · c company · z snooze", "dim"),
                )
        else:
            shown = (
                f"{count:,}+ shown, counting…"
                if self.pages is not None and self.pages.counting
                else f"{count:,} shown"
            )
            text = Content.assemble(
                ("All bugs", "bold"), "  ", (shown, "bold"), self._filters_text()
            )
            if count == 0:
                text = Content.assemble(
                    text, ("   none match: esc clears the text, f changes the filters", "dim")
                )
        if marked:
            text = Content.assemble(text, "   ", (f"{marked} marked", "bold $secondary"))
        self.query_one("#view-bar", Static).update(text)
        self.query_one("#mark-count", Static).update(
            Content.assemble(
                (f" {marked} marked ", "bold"),
                (f"({hidden} hidden by the filter) " if hidden else "", ""),
                ("esc clears ", "dim"),
            )
            if marked
            else Content("")
        )

    def _inbox_difference(self, count: int) -> str:
        """Why the inbox and the matrix's Untriaged total differ: the matrix counts the
        untriaged bugs of each company, snoozed or not; the inbox also holds the bugs
        without a company and leaves out the snoozed ones."""
        if self.matrix is None or self.pages is None or self.filter_input.value:
            return ""
        if count > MARK_ALL_LIMIT:
            return ""  # Counting them would read the whole inbox; the bar stays short.
        without = self.session.repo.bug_list_count(
            replace(self.pages.query, without_company=True), self.session.today
        )
        snoozed = self.matrix.total.untriaged - (count - without)
        parts = [f"{without} without a company"] if without else []
        if snoozed > 0:
            parts.append(f"{snoozed} snoozed")
        return "".join(f" · {part}" for part in parts)

    def _filters_text(self) -> Content:
        query = self.query_all
        repo = self.session.repo
        parts = []
        # Names are looked up only for a filter that is set: this runs on every decision.
        if query.company_id is not None:
            names = {c.id: c.name for c in repo.companies()}
            parts.append(f"company {names.get(query.company_id, '?')}")
        if query.priority is not None:
            parts.append(query.priority.value)
        if query.status is not None:
            parts.append(query.status.value)
        if query.assignee_id is not None:
            people = {p.id: p.name for p in repo.people()}
            parts.append(f"assignee {people.get(query.assignee_id, '?')}")
        if query.open_only:
            parts.append("open only")
        if not parts:
            return Content("")
        return Content.styled("   filters: " + clean_line(", ".join(parts)), "$accent")

    def session_summary(self) -> Content:
        """What the inbox session decided, once the inbox is empty."""
        if not self.decisions:
            return Content.assemble(
                ("Triage inbox", "bold"), "  ", ("empty — nothing to triage", "$success")
            )
        total = sum(self.decisions.values())
        parts = ", ".join(f"{name} {count}" for name, count in sorted(self.decisions.items()))
        summary = Content.assemble(
            ("Inbox cleared ", "bold $success"), f"— {total} decided: {parts}"
        )
        if self.analysis_due:
            ids = ", ".join(f"#{bug_id}" for bug_id in self.analysis_due)
            summary = Content.assemble(summary, ("   analysis due: " + ids, "$warning"))
        return summary

    # -- deciding -----------------------------------------------------------------------------

    def targets(self) -> list[int]:
        """The marked bugs the view shows, or else the bug under the cursor."""
        marked = self._marked_in_view()
        if marked:
            return sorted(marked)
        key = self.table.current_key
        return [] if key is None else [int(key.split(":")[1])]

    def decide(self, label: str, change: Callable[[Bug], Bug]) -> None:
        """Apply one decision to the target bugs as one change, then go to the next bug."""
        ids = self.targets()
        if not ids:
            return
        repo = self.session.repo
        before = repo.bugs_by_ids(ids)
        after = [change(bug) for bug in before]
        try:
            # Only the fields the decision changes, and only where nobody changed them since.
            after = repo.save_changes_many(list(zip(before, after, strict=True)))
        except Exception as error:  # nothing was stored: the change is one transaction
            self.notify(not_saved_words(error, self.session.repo.path), severity="error")
            return
        self.undo_stack.append(UndoStep(label, tuple(before), tuple(after)))
        del self.undo_stack[:-UNDO_DEPTH]
        self.redo_stack.clear()
        self._decided(label, before, after)

    def _decided(self, label: str, before: Sequence[Bug], after: Sequence[Bug]) -> None:
        """After a decision (or its redo) is stored: count it, ask for what it needs, and go
        on to the next undecided bug after the last one decided."""
        keys = {f"bug:{bug.id}" for bug in before}
        following = self._next_undecided(keys)
        self.decisions[label] += len(after)
        self._ask_for_analysis(before, after)
        self._after_change(land_on=[following] if following is not None else [])
        self._drop_marks_outside_view()
        self.show_view_bar()

    def _next_undecided(self, decided: set[str]) -> str | None:
        """The key of the first row after the last decided one that was not decided (or,
        when the decided rows end the list, the nearest one before them)."""
        table = self.table
        near = table.cursor
        found = [index for key in decided if (index := self._find(key, near)) is not None]
        last = max(found, default=near)
        first = min(found, default=near)
        total = len(table.source)
        step = 100
        for start in range(last + 1, total, step):
            for row in table.source.rows(start, min(total, start + step)):
                if row.key not in decided and not row.group:
                    return row.key
        for index in range(first - 1, -1, -1):
            earlier = table.row_at(index)
            if earlier is not None and earlier.key not in decided and not earlier.group:
                return earlier.key
        return None

    def _after_change(self, land_on: Sequence[str] = ()) -> None:
        """Reload after a write; the cursor goes to the first of `land_on` still shown
        (else it keeps its row index)."""
        near = self.table.cursor
        self.show_list(keep_index=True)
        places = [index for key in land_on if (index := self._find(key, near)) is not None]
        if places:
            self.table.move_cursor(min(places))
        # After the next bug is drawn: the recounts must not delay it.
        self.call_after_refresh(self.ops.data_changed)
        self.call_after_refresh(self.load_matrix)

    def _ask_for_analysis(self, before: Sequence[Bug], after: Sequence[Bug]) -> None:
        """A bug that became P0/P1 needs its analysis: asked without stopping the triage."""
        for old, new in zip(before, after, strict=True):
            if became_urgent(old.priority, new.priority) and needs_analysis(
                new.priority, new.status, new.root_cause
            ):
                self._analysis_needed(new)

    def _analysis_needed(self, bug: Bug) -> None:
        assert bug.id is not None and bug.priority is not None
        self.analysis_due.append(bug.id)
        self.notify(
            f"#{bug.id} is {bug.priority.value}: open it (enter) to add customer "
            "impact, root cause, fix date and prevention.",
            title="Analysis needed",
            severity="warning",
        )

    # -- a new bug ----------------------------------------------------------------------------

    def action_import_file(self) -> None:
        """Import bugs from a file: its dry run is shown first, the import runs on confirm."""
        ImportFlow(self, self.data_changed).start()

    def action_new(self) -> None:
        """The new-bug form; what it returns is stored in one transaction, links included."""
        repo = self.session.repo
        form = BugForm(
            opened_at=self.session.now(),
            companies=choosable(repo.companies()),
            products=choosable(repo.products()),
            projects=[Named(*row) for row in repo.project_names()],
            customers=[Named(*row) for row in repo.customer_names()],
            save=self._store_new_bug,
        )
        self.app.push_screen(form)

    def _store_new_bug(self, new: NewBug) -> str | None:
        """Store the form's bug; an error message keeps the form open with what was typed."""
        try:
            stored = self.session.repo.add_bug(new.bug, new.customer_ids)
        except Exception as error:  # one transaction: nothing was stored
            return f"Not saved: {error}"
        assert stored.id is not None
        linked = len(new.customer_ids)
        links = f", {linked} customer{'s' if linked != 1 else ''} linked" if linked else ""
        if stored.priority is None:
            self.notify(f"Bug #{stored.id} added to the triage inbox{links}")
        else:
            where = "" if self.view == "all" else " (v shows all bugs)"
            self.notify(f"Bug #{stored.id} added as {stored.priority.value}{links}{where}")
            if needs_analysis(stored.priority, stored.status, stored.root_cause):
                self._analysis_needed(stored)
        self._after_change(land_on=[f"bug:{stored.id}"])
        return None

    def action_set_priority(self, value: str) -> None:
        """Set a priority. Outside the inbox, demoting a P0/P1 or raising a bug to P0 is
        asked first: here `0`–`3` are priorities, on every other screen they switch screens."""
        priority = Priority(value)

        def apply() -> None:
            self.decide(value, lambda bug: bug.model_copy(update={"priority": priority}))

        serious = (
            []
            if self.view == "inbox"
            else [
                bug
                for bug in self.session.repo.bugs_by_ids(self.targets())
                if priority_change_is_serious(bug.priority, priority)
            ]
        )
        if not serious:
            apply()
            return
        shown = ", ".join(
            f"#{bug.id} ({bug.priority.value if bug.priority else 'untriaged'})"
            for bug in serious[:5]
        )
        more = f" and {len(serious) - 5} more" if len(serious) > 5 else ""
        question = Content.assemble(
            ("Set ", ""),
            (priority.value, "bold"),
            f" on {clean_line(shown)}{more}?\n",
            ("On this screen 0–3 set priorities; alt+1…5 or g switch screens.", "dim"),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                apply()

        self.app.push_screen(ConfirmDialog(question, f"Set {priority.value}", "Keep"), answered)

    def action_resolve(self) -> None:
        now = self.session.now()
        self.decide(
            "resolved",
            lambda bug: bug.model_copy(
                update={"status": BugStatus.RESOLVED, "resolved_at": max(now, bug.opened_at)}
            ),
        )

    def action_duplicate(self) -> None:
        ids = self.targets()
        if not ids:
            return
        repo = self.session.repo
        today = self.session.today
        exclude = frozenset(ids)

        def search(text: str) -> list[tuple[str, int]]:
            query = BugQuery(text=text, open_only=True, exclude_ids=exclude)
            return [
                (f"#{row.id} {row.title}", row.id)
                for row in repo.bug_list_page(query, today, 0, 30)
            ]

        def chosen(original: int | None) -> None:
            if original is not None:
                self.decide(
                    "duplicate",
                    lambda bug: bug.model_copy(
                        update={"status": BugStatus.DUPLICATE, "duplicate_of": original}
                    ),
                )

        self.app.push_screen(Picker("Duplicate of which open bug?", search=search), chosen)

    def action_assign(self) -> None:
        if not self.targets():
            return
        people = [
            (f"{p.name} ({p.role.value})", p.id)
            for p in choosable(self.session.repo.people())
            if p.id is not None
        ]

        def chosen(person_id: int | None) -> None:
            if person_id is not None:
                self.decide(
                    "assigned", lambda bug: bug.model_copy(update={"assignee_id": person_id})
                )

        self.app.push_screen(Picker("Assign to", people), chosen)

    def action_set_company(self) -> None:
        if not self.targets():
            return
        repo = self.session.repo
        options: list[tuple[str, tuple[int, int | None]]] = []
        for company in choosable(repo.companies()):
            assert company.id is not None
            options.append((company.name, (company.id, None)))
            for product in choosable(repo.products(company.id)):
                options.append((f"{company.name} › {product.name}", (company.id, product.id)))

        def chosen(choice: tuple[int, int | None] | None) -> None:
            if choice is not None:
                company_id, product_id = choice
                self.decide(
                    "company set",
                    lambda bug: bug.model_copy(
                        update={"company_id": company_id, "product_id": product_id}
                    ),
                )

        self.app.push_screen(Picker("Company / product", options), chosen)

    def action_snooze(self) -> None:
        if not self.targets():
            return
        today = self.session.today

        def chosen(until: Any) -> None:
            if until is not None:
                self.decide("snoozed", lambda bug: bug.model_copy(update={"snoozed_until": until}))

        self.app.push_screen(
            DatePrompt(
                "Snooze until (YYYY-MM-DD or +N days)",
                today,
                today + timedelta(days=7),
                earliest=today + timedelta(days=1),
            ),
            chosen,
        )

    def action_mark(self) -> None:
        key = self.table.current_key
        if key is None:
            return
        if key in self.table.marked:
            self.table.marked.discard(key)
        else:
            self.table.marked.add(key)
        self.mark_anchor = self.table.cursor
        self._marks_changed()
        self.table.action_cursor(1)

    def action_mark_range(self) -> None:
        """Mark every row from the last one marked (or the cursor) to the cursor."""
        table = self.table
        cursor = table.cursor
        anchor = cursor if self.mark_anchor is None else self.mark_anchor
        low, high = sorted((anchor, cursor))
        for row in table.source.rows(low, high + 1):
            if not row.group:
                table.marked.add(row.key)
        self.mark_anchor = cursor
        self._marks_changed()

    def action_mark_all(self) -> None:
        """Mark every row of the view (after a filter: every bug it found)."""
        table = self.table
        total = self._exact_total()
        if total > MARK_ALL_LIMIT:
            self.notify(
                f"{total:,} rows: filter the list first (/ or f) to mark at most "
                f"{MARK_ALL_LIMIT:,}",
                severity="warning",
            )
            return
        table.marked.update(row.key for row in table.source.rows(0, total) if not row.group)
        self._marks_changed()

    def _marks_changed(self) -> None:
        self.table.refresh()
        self.show_view_bar()

    def action_undo(self) -> None:
        """Take back the last decision: only its data. The view, the filter and the marks
        stay as they are; the cursor goes to the restored bug(s) the view shows."""
        if not self.undo_stack:
            self.notify("Nothing to undo")
            return
        step = self.undo_stack.pop()
        restored = self._write_step(step, undo=True)
        if restored is None:
            return
        self.redo_stack.append(step)
        self.decisions[step.label] -= len(step.before)
        if self.decisions[step.label] <= 0:
            del self.decisions[step.label]
        undone = {bug.id for bug in step.before}
        self.analysis_due = [bug_id for bug_id in self.analysis_due if bug_id not in undone]
        self.notify(f"Undone: {step.label} ({len(step.before)} bug(s)); U redoes")
        self._after_change(land_on=[f"bug:{bug.id}" for bug in step.before])

    def action_redo(self) -> None:
        """Make the last undone decision again, on the same bugs."""
        if not self.redo_stack:
            self.notify("Nothing to redo")
            return
        step = self.redo_stack.pop()
        keys = {f"bug:{bug.id}" for bug in step.before}
        following = self._next_undecided(keys)
        after = self._write_step(step, undo=False)
        if after is None:
            return
        self.undo_stack.append(UndoStep(step.label, step.before, tuple(after)))
        self.decisions[step.label] += len(after)
        self._ask_for_analysis(step.before, after)
        self.notify(f"Redone: {step.label} ({len(after)} bug(s))")
        self._after_change(land_on=[following] if following is not None else [])

    def _write_step(self, step: UndoStep, undo: bool) -> list[Bug] | None:
        """Write a decision back (undo) or again (redo): only the fields it set, and only
        where they still hold the value it left (an edit made since, here or in another
        process, is never reverted). None when nothing was written."""
        old, new = (step.after, step.before) if undo else (step.before, step.after)
        pairs = zip(old, new, strict=True)
        verb = "undo" if undo else "redo"
        try:
            return self.session.repo.save_changes_many(list(pairs))
        except StaleEditError as error:
            self.notify(f"Could not {verb} {step.label}: {error}", severity="warning")
            self.data_changed()
            return None
        except Exception as error:
            (self.undo_stack if undo else self.redo_stack).append(step)
            self.notify(f"{verb.capitalize()} failed: {error}", severity="error")
            return None

    # -- detail -------------------------------------------------------------------------------

    def action_open(self) -> None:
        ids = [int(key.split(":")[1]) for key in [self.table.current_key] if key]
        if not ids:
            return
        repo = self.session.repo
        bug = repo.get(Bug, ids[0])
        if bug is None:
            return
        names = self._names(bug)
        bug_id = ids[0]

        def check(step: PlaybookStep, at: Any) -> None:
            repo.set_playbook_step(bug_id, step, at)

        def store(original: Bug, edited: Bug) -> None:
            repo.save_changes(original, edited)

        def closed(edited: Bug | None) -> None:
            if edited is not None and edited != bug:  # stored by the detail before it closed
                if edited.root_cause and bug_id in self.analysis_due:
                    self.analysis_due.remove(bug_id)
                self.notify("Bug saved")
                self._after_change(land_on=[f"bug:{bug_id}"])

        detail = BugDetail(
            bug,
            names,
            repo.playbook_checks(bug_id),
            self.session.now,
            check,
            history=repo.history_of(Bug, bug_id),
            store=store,
        )
        self.app.push_screen(detail, closed)

    @on(VirtualTable.Highlighted, "#bugs")
    def _bug_highlighted(self) -> None:
        # After the frame with the new cursor: the panel's read must not delay it.
        self.call_after_refresh(self.show_bug_panel)

    def show_bug_panel(self) -> None:
        """The highlighted bug's detail and analysis, under the list (tall terminals)."""
        panel = self.query_one(BugPanel)
        if not panel.display:
            return
        key = self.table.current_key
        bug = self.session.repo.get(Bug, int(key.split(":")[1])) if key else None
        row = self.pages.bug_at(self.table.cursor) if self.pages is not None else None
        if bug is None or row is None or row.id != bug.id:
            panel.show(None)
            return
        panel.show(bug_summary(bug, row.company, row.assignee, self.session.today))

    def on_resize(self) -> None:
        # The panel uses the rows a tall terminal has to spare; a short one keeps the list.
        self.query_one(BugPanel).display = self.size.height >= PANEL_MIN_HEIGHT
        self.call_after_refresh(self.show_bug_panel)

    @on(VirtualTable.Selected, "#bugs")
    def _row_selected(self) -> None:
        self.action_open()

    def _names(self, bug: Bug) -> dict[str, str]:
        repo = self.session.repo
        companies = {c.id: c.name for c in repo.companies()}
        names = {"company": companies.get(bug.company_id, "") if bug.company_id else ""}
        if bug.product_id is not None:
            names["product"] = next((p.name for p in repo.products() if p.id == bug.product_id), "")
        if bug.assignee_id is not None:
            names["assignee"] = next((p.name for p in repo.people() if p.id == bug.assignee_id), "")
        if bug.duplicate_of is not None:
            original = repo.get(Bug, bug.duplicate_of)
            names["duplicate_of"] = f"#{bug.duplicate_of} {original.title if original else ''}"
        return names

    # -- views, filters, sorting --------------------------------------------------------------

    def action_toggle_view(self) -> None:
        self.view = "all" if self.view == "inbox" else "inbox"
        self.table.marked.clear()
        self.mark_anchor = None
        self.show_list()

    def action_filter(self) -> None:
        self.filter_input.display = True
        self.set_focus(self.filter_input)

    def action_clear_filter(self) -> None:
        if self.filter_input.display or self.filter_input.value:
            self.filter_input.value = ""
            self.filter_input.display = False
            self.show_list()
        elif self.table.marked:
            self.table.marked.clear()
            self.mark_anchor = None
            self._marks_changed()
        self.set_focus(self.table)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.show_list()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.table)

    def action_filters(self) -> None:
        repo = self.session.repo

        def chosen(query: BugQuery | None) -> None:
            if query is not None:
                self.query_all = replace(
                    query, sort=self.query_all.sort, reverse=self.query_all.reverse
                )
                self.view = "all"
                self.show_list()

        self.app.push_screen(BugFilterForm(self.query_all, repo.companies(), repo.people()), chosen)

    def action_save_filter(self) -> None:
        query = self.query_all

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                self.session.repo.save_filter(
                    SavedFilter(
                        name=name,
                        query=self.filter_input.value,
                        company_id=query.company_id,
                        priority=query.priority,
                        status=query.status,
                        assignee_id=query.assignee_id,
                    )
                )
            except Exception as error:
                self.notify(not_saved_words(error, self.session.repo.path), severity="error")
                return
            self.notify(f"Saved filter “{clean_line(name)}”")

        self.app.push_screen(TextPrompt("Name this filter"), named)

    def action_load_filter(self) -> None:
        saved = self.session.repo.saved_filters()
        if not saved:
            self.notify("No saved filters yet (S saves the current one)")
            return

        def chosen(choice: SavedFilter | None) -> None:
            if choice is None:
                return
            self.query_all = BugQuery(
                company_id=choice.company_id,
                priority=choice.priority,
                status=choice.status,
                assignee_id=choice.assignee_id,
                sort=self.query_all.sort,
                reverse=self.query_all.reverse,
            )
            self.view = "all"
            self.filter_input.display = bool(choice.query)
            self.filter_input.value = choice.query
            self.show_list()

        self.app.push_screen(Picker("Saved filters", [(s.name, s) for s in saved]), chosen)

    def _sort_by(self, column: str, reverse: bool) -> None:
        self.query_all = replace(self.query_all, sort=column, reverse=reverse)
        if self.view == "inbox":
            self.view = "all"
        self.show_list()

    @on(VirtualTable.HeaderSelected, "#bugs")
    def _header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        if event.column in ("mark", "flags"):
            return
        column = "opened" if event.column == "opened" else event.column
        reverse = not self.query_all.reverse if column == self.query_all.sort else False
        self._sort_by(column, reverse)

    def action_sort_next(self) -> None:
        order = ["id", "priority", "title", "company", "status", "assignee", "opened"]
        current = self.query_all.sort if self.query_all.sort in order else "opened"
        self._sort_by(order[(order.index(current) + 1) % len(order)], False)

    def action_sort_reverse(self) -> None:
        self._sort_by(self.query_all.sort, not self.query_all.reverse)

    # -- jumps --------------------------------------------------------------------------------

    def select_entity(self, entity_id: int) -> None:
        """Show the bug with `entity_id` in the all-bugs list, under the cursor."""
        self.view = "all"
        self.query_all = BugQuery(sort=self.query_all.sort, reverse=self.query_all.reverse)
        self.filter_input.display = True
        self.filter_input.value = f"#{entity_id}"
        self.show_list()
        assert self.pages is not None
        for index, bug in enumerate(self.pages.bugs(0, min(len(self.pages), 50))):
            if bug.id == entity_id:
                self.table.move_cursor(index)
                break
        self.set_focus(self.table)
