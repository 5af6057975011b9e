"""The portfolio: projects by 4D phase, as the Monday review's first 15 minutes need it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static

from opstui.data.figures import previous_figure
from opstui.data.repository import Repository
from opstui.domain.enums import Phase, ProjectStatus, RiskLevel
from opstui.domain.history import StaleEditError
from opstui.domain.models import Company, PhaseChange, Project
from opstui.domain.portfolio import PortfolioSummary, portfolio_summary, slip_days
from opstui.domain.records import choosable
from opstui.domain.text import clean_line
from opstui.screens.base import not_saved_words
from opstui.screens.filtering import FilterableScreen
from opstui.widgets.deep_dive import DeepDivePanel, project_deep_dive
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.fitting_strip import FittingStrip, Piece, piece, whole
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.problem_marks import mark_problems
from opstui.widgets.trend import delta
from opstui.widgets.virtual_table import Column, LazyRows, Row, VirtualTable, text_cell

STATUS_STYLES = {
    ProjectStatus.ON_TRACK: "$success",
    ProjectStatus.AT_RISK: "$warning",
    ProjectStatus.OFF_TRACK: "$error",
}
RISK_STYLES = {RiskLevel.LOW: "$success", RiskLevel.MEDIUM: "$warning", RiskLevel.HIGH: "$error"}
BAR_WIDTH = 6

COLUMNS = (
    Column("name", "Project", 28),
    Column("company", "Company", 10, drop=3),
    Column("phase", "Phase", 11),
    Column("progress", "Progress", 11, drop=1),
    Column("status", "Status", 11),
    Column("milestone", "Next milestone", 28),
    Column("risk", "Risk", 6),
    Column("completion", "Complete", 8, drop=2),
    Column("slip", "Slip", 5, align="right"),
    Column("pm", "PM", 14, drop=4),
)
"""On a narrow terminal PM, company, completion date and progress go (in that order) before
status, risk and slip: the columns the review reads."""
PANEL_MIN_HEIGHT = 34
"""From this many rows the highlighted project's deep dive is shown under the table."""

FLEX_COLUMNS = {"name": 18, "milestone": 18, "pm": 10, "completion": 6}
"""Columns that give up width on narrow terminals, with the least each keeps."""


def _previous_on_track(repo: Repository, week: str) -> tuple[str, int] | None:
    found = previous_figure(repo, week, "on_track")
    if found is None or not isinstance(found[1], int):
        return None
    return found[0], found[1]


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def short_date(day: date | None) -> str:
    return "" if day is None else f"{day:%b} {day.day}"


def progress_bar(percent: float) -> Content:
    filled = round(percent / 100 * BAR_WIDTH * 2)
    bar = "█" * (filled // 2) + ("▌" if filled % 2 else "")
    return Content.assemble((bar.ljust(BAR_WIDTH, "·"), "$primary"), f" {round(percent):>3}%")


def status_cell(status: ProjectStatus) -> Content:
    return Content.styled(f"● {status.value}", STATUS_STYLES[status])


@dataclass(slots=True)
class PortfolioData:
    """What the screen shows, loaded in one go."""

    projects: list[Project]
    history: list[PhaseChange]
    companies: dict[int, str]
    people: dict[int, str]
    active_companies: int
    """Companies not retired: none means a first project needs a company first."""
    previous_on_track: tuple[str, int] | None = None
    """The last frozen week before this one and its on-track count, for the trend."""


class PortfolioScreen(FilterableScreen):
    """Projects grouped by phase (or company), with the portfolio's headline figures."""

    SCREEN_TITLE = "Portfolio"
    AUTO_FOCUS = "#projects"
    CSS_PATH = "../styles/portfolio.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="portfolio.filter",
            tooltip="Filter by name, company, PM or milestone as you type",
        ),
        Binding("escape", "clear_filter", "Clear filter", id="portfolio.clear_filter", show=False),
        Binding("enter", "open", "Open", id="portfolio.open", tooltip="Open the project"),
        Binding("e", "open", "Edit", id="portfolio.edit", show=False),
        Binding("n", "new", "New", id="portfolio.new", tooltip="Add a project"),
        Binding(
            "right_square_bracket",
            "move_phase(1)",
            "Next phase",
            id="portfolio.next_phase",
            tooltip="Move to the next 4D phase (asks first)",
        ),
        Binding(
            "left_square_bracket",
            "move_phase(-1)",
            "Previous phase",
            id="portfolio.previous_phase",
            tooltip="Move back a phase (asks first)",
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="portfolio.status",
            tooltip="On track → At risk → Off track",
        ),
        Binding("r", "cycle_risk", "Risk", id="portfolio.risk", tooltip="Low → Medium → High"),
        Binding(
            "d",
            "delete",
            "Delete",
            id="portfolio.delete",
            show=False,
            tooltip="Delete the project (asks first)",
        ),
        Binding(
            "G",
            "toggle_grouping",
            "Group",
            id="portfolio.group",
            tooltip="Group by phase or by company",
        ),
        Binding(
            "o",
            "sort_next",
            "Sort",
            id="portfolio.sort",
            show=False,
            tooltip="Sort by the next column",
        ),
        Binding("O", "sort_reverse", "Reverse sort", id="portfolio.sort_reverse", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: PortfolioData | None = None
        self.group_by = "phase"
        self.sort_column = "name"
        self.sort_reverse = False
        self._rows: dict[int, Row] = {}
        self.loaded = False
        """True once the first load has been shown (tests and benchmarks wait on it)."""

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield FittingStrip(id="summary")
        yield Static(id="empty-state")
        yield Input(placeholder="Filter: name, company, PM, milestone", id="filter")
        yield VirtualTable(COLUMNS, id="projects")
        yield DeepDivePanel(id="deep-dive")
        yield FittingFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#projects", VirtualTable)

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.table.sort_column = self.sort_column
        self.refresh_header()
        self.load()

    @on(VirtualTable.Highlighted, "#projects")
    def _show_deep_dive(self, event: VirtualTable.Highlighted) -> None:
        """The highlighted project's phase deep dive, under the table."""
        panel = self.query_one(DeepDivePanel)
        data = self.data
        key = event.key
        if data is None or key is None or not key.startswith("project:"):
            panel.show(None)
            return
        project_id = int(key.split(":")[1])
        project = next((p for p in data.projects if p.id == project_id), None)
        panel.show(
            None if project is None else project_deep_dive(project, data.companies, data.people)
        )

    def on_resize(self) -> None:
        # The panel uses the rows a tall terminal has to spare; a short one keeps the table.
        self.query_one(DeepDivePanel).display = self.size.height >= PANEL_MIN_HEIGHT
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Fit the table to the terminal; the grouping column goes first on narrow ones.

        The group headings already name the phase (or company), so that column is the
        first to go; then the flexible columns shrink down to their minimum.
        """
        available = self.size.width - 2  # the table's scrollbar gutter
        visible = list(COLUMNS)
        if sum(column.width + 1 for column in visible) > available:
            visible = [column for column in visible if column.key != self.group_by]
        needed = sum(column.width + 1 for column in visible)
        shrink = max(0, needed - available)
        columns = []
        for column in visible:
            least = FLEX_COLUMNS.get(column.key)
            if least is not None and shrink > 0:
                give = min(shrink, column.width - least)
                shrink -= give
                column = replace(column, width=column.width - give)
            columns.append(column)
        if [c.key for c in columns] != [c.key for c in self.table.base_columns]:
            self._rows = {}
        self.table.set_columns(columns)
        if self.data is not None:
            self.show_rows()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="portfolio-load", exit_on_error=False)
    def load(self, keep: str | None = None) -> None:
        """Read the portfolio off the main thread, then show it."""
        with self.session.reading() as repo:
            companies = repo.companies()
            people = repo.people()
            data = PortfolioData(
                projects=repo.projects(),
                history=repo.phase_history(),
                companies={c.id: c.name for c in companies if c.id is not None},
                people={p.id: p.name for p in people if p.id is not None},
                active_companies=len(choosable(companies)),
                previous_on_track=_previous_on_track(repo, self.session.week),
            )
        self.app.call_from_thread(self._loaded, data, keep)

    def _loaded(self, data: PortfolioData, keep: str | None) -> None:
        self.data = data
        self._rows = {}
        self.show_summary()
        self.show_empty_state()
        self.show_rows(keep)
        self.loaded = True
        self.apply_pending_entity()

    def data_changed(self) -> None:
        self.load(self.table.current_key)

    # -- showing ------------------------------------------------------------------------------

    def show_empty_state(self) -> None:
        """On a first run, what is missing and the key that adds it."""
        if self.data is None:
            return
        missing = "" if self.data.projects else "projects"
        if not self.data.active_companies and not self.data.projects:
            missing = "companies"
        widget = self.query_one("#empty-state", Static)
        widget.display = bool(missing)
        widget.update(
            Content.assemble(f"No {missing} yet — ", ("n", "bold $accent"), " adds one")
            if missing
            else Content("")
        )

    def show_summary(self) -> None:
        if self.data is None:
            return
        summary = portfolio_summary(self.data.projects, self.data.history, self.session.today)
        self.query_one("#summary", FittingStrip).show(
            summary_pieces(summary, self.data.previous_on_track)
        )

    def _row(self, project: Project) -> Row:
        assert project.id is not None and self.data is not None
        cached = self._rows.get(project.id)
        if cached is not None:
            return cached
        slip = slip_days(project)
        milestone = clean_line(project.next_milestone)
        if project.milestone_date is not None:
            milestone = f"{milestone} {short_date(project.milestone_date)}".strip()
        slip_style = "$error" if slip is not None and slip > 7 else ("$warning" if slip else "dim")
        cells = {
            "name": text_cell(project.name),
            "company": text_cell(self.data.companies.get(project.company_id, "")),
            "phase": Content(project.phase.value),
            "progress": progress_bar(project.progress),
            "status": status_cell(project.status),
            "milestone": text_cell(milestone),
            "risk": Content.styled(project.risk.value, RISK_STYLES[project.risk]),
            "completion": Content(short_date(project.completion_date)),
            "slip": Content.styled(f"{slip:+d}d" if slip else "", slip_style),
            "pm": text_cell(self.data.people.get(project.pm_id or -1, "")),
        }
        row = Row(
            key=f"project:{project.id}",
            cells=tuple(cells[column.key] for column in self.table.base_columns),
        )
        row = mark_problems(row, project.row_problems, self.table.base_columns)
        self._rows[project.id] = row
        return row

    def visible_projects(self) -> list[Project]:
        """Projects matching the filter, sorted by the sort column within their group."""
        if self.data is None:
            return []
        query = self.filter_input.value.casefold().split()
        data = self.data
        projects = data.projects
        if query:

            def haystack(project: Project) -> str:
                return " ".join(
                    (
                        project.name,
                        data.companies.get(project.company_id, ""),
                        data.people.get(project.pm_id or -1, ""),
                        project.next_milestone,
                    )
                ).casefold()

            projects = [p for p in projects if all(word in haystack(p) for word in query)]
        key = self._sort_key()
        return sorted(projects, key=key, reverse=self.sort_reverse)

    def _sort_key(self) -> Callable[[Project], Any]:
        assert self.data is not None
        data = self.data
        keys: dict[str, Callable[[Project], Any]] = {
            "name": lambda p: p.name.casefold(),
            "company": lambda p: data.companies.get(p.company_id, "").casefold(),
            "phase": lambda p: p.phase.order,
            "progress": lambda p: p.progress,
            "status": lambda p: list(ProjectStatus).index(p.status),
            "milestone": lambda p: (p.milestone_date or date.max, p.next_milestone),
            "risk": lambda p: list(RiskLevel).index(p.risk),
            "completion": lambda p: p.completion_date or date.max,
            "slip": lambda p: slip_days(p) or 0,
            "pm": lambda p: data.people.get(p.pm_id or -1, "").casefold(),
        }
        column = keys[self.sort_column]
        return lambda project: (column(project), project.name.casefold(), project.id or 0)

    def show_rows(self, keep: str | None = None) -> None:
        if self.data is None:
            return
        projects = self.visible_projects()
        groups: dict[str, list[Project]] = {}
        if self.group_by == "phase":
            for phase in Phase:
                groups[phase.value] = [p for p in projects if p.phase is phase]
        else:
            for name in sorted(set(self.data.companies.values()), key=str.casefold):
                groups[name] = []
            for project in projects:
                groups.setdefault(self.data.companies.get(project.company_id, ""), []).append(
                    project
                )
        items: list[Row | Project] = []
        keys: list[str] = []
        for title, members in groups.items():
            if not members and self.filter_input.value:
                continue
            on_track = sum(1 for p in members if p.status is ProjectStatus.ON_TRACK)
            heading = Content.assemble(
                (f"▾ {clean_line(title)}", "bold"),
                (f"  {plural(len(members), 'project')} · {on_track} on track", "dim"),
            )
            items.append(Row(key=f"group:{title}", cells=(heading,), group=True))
            keys.append(f"group:{title}")
            items.extend(members)
            keys.extend(f"project:{project.id}" for project in members)

        def build(item: Row | Project) -> Row:
            return item if isinstance(item, Row) else self._row(item)

        # Rows are built when drawn: 2,000 projects cost the 35 on screen.
        self.table.set_source(LazyRows(items, keys, build), keep=keep or self.table.current_key)
        self.refresh()  # in the key's own frame (see `BugsScreen.show_list`)

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    def select_entity(self, entity_id: int) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
            self.show_rows()
        index = self.table.index_of(f"project:{entity_id}")
        if index is not None:
            self.table.move_cursor(index)
            self.table.focus()

    # -- the selected project -----------------------------------------------------------------

    def selected(self) -> Project | None:
        key = self.table.current_key
        if key is None or self.data is None:
            return None
        project_id = int(key.split(":")[1])
        return next((p for p in self.data.projects if p.id == project_id), None)

    def _save(self, change: Callable[[], object], message: str) -> None:
        """Run one write; report failures where the user is; reload what changed.

        When the write returns a project, the cursor lands on it after the reload.
        """
        try:
            result = change()
        except Exception as error:  # the write failed as a whole: nothing was stored
            self.notify(not_saved_words(error, self.session.repo.path), severity="error")
            if isinstance(error, StaleEditError):
                self.load(self.table.current_key)  # show what the other person saved
            return
        self._saved(result, message)

    def _saved(self, result: object, message: str) -> None:
        """After a write: say so, and reload with the cursor on the project written."""
        self.notify(message)
        self.ops.data_changed()
        keep = self.table.current_key
        if isinstance(result, Project) and result.id is not None:
            keep = f"project:{result.id}"
        self.load(keep)

    # -- actions ------------------------------------------------------------------------------

    @on(VirtualTable.Selected, "#projects")
    def _row_selected(self) -> None:
        self.action_open()

    @on(VirtualTable.HeaderSelected, "#projects")
    def _header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        if event.column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = event.column, False
        self._apply_sort()

    def _apply_sort(self) -> None:
        self.table.sort_column = self.sort_column
        self.table.sort_reverse = self.sort_reverse
        self.show_rows()

    def action_sort_next(self) -> None:
        keys = [column.key for column in COLUMNS]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = False
        self._apply_sort()
        self.notify(f"Sorted by {dict((c.key, c.label) for c in COLUMNS)[self.sort_column]}")

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._apply_sort()

    def action_toggle_grouping(self) -> None:
        self.group_by = "company" if self.group_by == "phase" else "phase"
        self._fit_columns()
        self.show_rows()
        self.notify(f"Grouped by {self.group_by}")

    def _form(self, project: Project | None) -> None:
        if self.data is None:
            return
        repo = self.session.repo
        # Read now, not from the last load: a company added a moment ago is offered.
        companies, people, products = repo.companies(), repo.people(), repo.products()
        today = self.session.today

        stored: list[Project] = []

        def store(original: Project | None, result: Project) -> None:
            if result.id is None:
                stored.append(repo.add_project(result, today))
            else:  # what was typed, never over a newer edit of the same fields
                stored.append(repo.save_project(result, today, original=original))

        def done(result: Project | None) -> None:
            if result is not None and stored:
                self._saved(stored[-1], "Project added" if project is None else "Project saved")

        from opstui.modals.project_form import ProjectForm  # the forms load when first opened

        history = repo.history_of(Project, project.id) if project and project.id else []
        form = ProjectForm(project, companies, people, products, history=history)
        self.app.push_screen(form.saving(project, store), done)

    def action_open(self) -> None:
        project = self.selected()
        if project is not None:
            self._form(project)

    def action_new(self) -> None:
        repo = self.session.repo
        companies = repo.companies()
        if choosable(companies):
            self._form(None)
            return

        # A project belongs to a company: on a first run the company comes first.
        def company_done(company: Company | None) -> None:
            if company is None:
                return
            try:
                repo.add(company)
            except Exception as error:  # one transaction: nothing was stored
                self.notify(not_saved_words(error, self.session.repo.path), severity="error")
                return
            self.notify("Company added; now its first project")
            self.ops.data_changed()
            self.load(self.table.current_key)
            self._form(None)

        from opstui.modals.setup_forms import CompanyForm

        title = "New company (every project belongs to one)"
        self.app.push_screen(CompanyForm(None, companies, title), company_done)

    def action_move_phase(self, step: int) -> None:
        project = self.selected()
        if project is None or project.id is None:
            return
        target = project.phase.next() if step > 0 else project.phase.previous()
        if target is None:
            edge = "last" if step > 0 else "first"
            self.notify(f"{clean_line(project.name)} is already in the {edge} phase")
            return
        repo = self.session.repo
        today = self.session.today
        project_id = project.id
        question = Content.assemble(
            "Move ",
            (clean_line(project.name), "bold"),
            f" from {project.phase.value} to ",
            (target.value, "bold"),
            f"?\nThe move is recorded on {today.isoformat()}.",
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._save(
                    lambda: repo.move_phase(project_id, target, today),
                    f"Moved to {target.value}",
                )

        from opstui.modals.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog(question, "Move"), confirmed)

    def _cycle(self, field: str, values: Sequence[Any], label: str) -> None:
        project = self.selected()
        if project is None:
            return
        current = getattr(project, field)
        following = values[(list(values).index(current) + 1) % len(values)]
        repo = self.session.repo
        self._save(
            lambda: repo.save_changes(project, project.model_copy(update={field: following})),
            f"{label}: {following.value}",
        )

    def action_cycle_status(self) -> None:
        self._cycle("status", list(ProjectStatus), "Status")

    def action_cycle_risk(self) -> None:
        self._cycle("risk", list(RiskLevel), "Risk")

    def action_delete(self) -> None:
        project = self.selected()
        if project is None or project.id is None:
            return
        project_id = project.id
        repo = self.session.repo
        question = Content.assemble(
            "Delete ", (clean_line(project.name), "bold"), "? Its phase history goes with it."
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._save(lambda: repo.delete(Project, project_id), "Project deleted")

        from opstui.modals.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog(question, "Delete"), confirmed)


def summary_pieces(
    summary: PortfolioSummary, previous: tuple[str, int] | None = None
) -> list[Piece]:
    """The strip above the table: on track (with its change since the last snapshot), per
    phase, weeks per phase, slipping; on a narrow terminal the averages and the comparison
    are left out before the counts."""
    pieces = [piece(f"On track {summary.on_track}/{summary.total}", 0, "bold $success")]
    if previous is not None:
        week, on_track = previous
        pieces.append(piece(Content(" ") + delta(summary.on_track, on_track), 2))
        pieces.append(piece(f" vs {week}", 3, "dim"))
    for phase in Phase:
        weeks = summary.avg_weeks_per_phase[phase]
        pieces.append(piece(f"   {phase.value} {summary.by_phase[phase]}", 1, "bold"))
        if weeks is not None:
            pieces.append(piece(f" ({weeks:.1f} wk avg)", 4, "dim"))
    slipping = len(summary.slipping)
    style = "bold $error" if slipping else "$success"
    pieces.append(piece(f"   Slipping > 1 week: {slipping}", 0, style))
    return pieces


def summary_content(summary: PortfolioSummary, previous: tuple[str, int] | None = None) -> Content:
    """The whole strip, for a place with room for all of it (meeting mode)."""
    return whole(summary_pieces(summary, previous))
