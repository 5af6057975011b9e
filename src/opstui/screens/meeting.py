"""Meeting mode: the Monday review on the shared screen, one agenda section at a time.

Each section shows the data it needs, a countdown of its timebox (over time turns red) and
the meeting's total time; `n`/`p` walk the sections, `e` writes the section's notes, and the
privacy toggle hides customer names and ARR before anything is projected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, TextArea

from opstui.data.figures import (
    current_escalations,
    risk_register,
    synergies,
    week_bug_matrix,
    week_preread,
)
from opstui.domain.bugs import URGENT_PRIORITIES, BugMatrix, is_urgent
from opstui.domain.deep_dive import masked_money, phase_deep_dives, shown_money
from opstui.domain.enums import OPEN_BUG_STATUSES, Phase, Priority
from opstui.domain.escalations import Escalation
from opstui.domain.models import Bug
from opstui.domain.portfolio import portfolio_summary, sort_projects_by_phase
from opstui.domain.review import (
    AGENDA,
    AGENDA_MINUTES,
    AgendaSection,
    clock_text,
    countdown,
)
from opstui.screens.portfolio import summary_content
from opstui.widgets.bug_matrix import matrix_content
from opstui.widgets.deep_dive import deep_dive_content
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.privacy import PRIVACY, shown_line, shown_text
from opstui.widgets.weekly_rows import preread_summary_content

if TYPE_CHECKING:
    from opstui.app import OpsApp


def long_date(day: date | None) -> str:
    """A date as the seed writes it: "12 July"."""
    return "" if day is None else f"{day.day} {day:%B}"


@dataclass(frozen=True)
class QualityData:
    """What the quality section shows: one read of the workspace."""

    matrix: BugMatrix
    urgent: list[Bug]
    """Open P0 and P1 bugs."""
    customers: list[Escalation]
    """Customer escalations."""


class MeetingScreen(Screen[None]):
    """The agenda, full screen, with a timer per section."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "section(1)", "Next section", id="meeting.next"),
        Binding("p", "section(-1)", "Previous section", id="meeting.previous"),
        Binding("e", "notes", "Notes", id="meeting.notes", tooltip="Write this section's notes"),
        Binding(
            "P", "privacy", "Privacy", id="meeting.privacy", tooltip="Hide customer names and ARR"
        ),
        Binding(
            "escape",
            "leave",
            "Leave",
            id="meeting.leave",
            tooltip="Stop editing notes, or leave meeting mode",
        ),
    ]

    DEFAULT_CSS = """
    MeetingScreen { background: $background; }
    MeetingScreen #meeting-bar { height: 3; padding: 1 2 0 2; background: $panel; }
    MeetingScreen #meeting-body { height: 1fr; padding: 1 2; overflow-x: auto; }
    /* A table line stays one line on a narrow terminal: it scrolls, it does not wrap. */
    MeetingScreen #meeting-content { width: auto; text-wrap: nowrap; }
    MeetingScreen #meeting-notes { height: 6; margin: 0 2; border: round $accent; }
    MeetingScreen #meeting-notes:focus { border: round $primary; }
    """

    def __init__(
        self,
        week: str,
        start: str | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.week = week
        keys = [section.key for section in AGENDA]
        self.index = keys.index(start) if start in keys else 0
        self.clock = clock or time.monotonic
        """Seconds from a monotonic clock; tests pass their own."""
        self.started = self.clock()
        self.entered = self.started
        self.spent: dict[str, float] = {}
        """Seconds already spent in each section (sections can be revisited)."""
        self.quality: QualityData | None = None
        """The quality section's figures, read in the background when the meeting opens."""

    @property
    def ops(self) -> OpsApp:
        return cast("OpsApp", self.app)

    @property
    def private(self) -> bool:
        """Whether the session's privacy mode hides customer names and money."""
        return PRIVACY.active

    @property
    def section(self) -> AgendaSection:
        return AGENDA[self.index]

    def compose(self) -> ComposeResult:
        yield Static(id="meeting-bar")
        with VerticalScroll(id="meeting-body"):
            yield Static(id="meeting-content")
        yield TextArea(id="meeting-notes", soft_wrap=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.notes = self.ops.session.repo.meeting_notes(self.week)
        self.load_quality()
        self.show_section()
        self.set_interval(1, self.tick)
        self.set_focus(self.query_one("#meeting-body"))

    # -- the timer ----------------------------------------------------------------------------

    def section_elapsed(self) -> float:
        return self.spent.get(self.section.key, 0.0) + (self.clock() - self.entered)

    def tick(self) -> None:
        """Redraw the timer line (every second)."""
        section = self.section
        state = countdown(section, self.section_elapsed())
        total = int(self.clock() - self.started)
        number = f"{self.index + 1}/{len(AGENDA)}"
        timer_style = "bold $error reverse" if state.over_time else "bold $success"
        left = "over time " if state.over_time else "left "
        privacy = Content.styled("  PRIVATE", "bold $warning") if self.private else Content("")
        self.query_one("#meeting-bar", Static).update(
            Content.assemble(
                (f"{number}  {section.title}", "bold"),
                f"   timebox {section.minutes} min   ",
                (f" {left}{clock_text(abs(state.remaining_seconds))} ", timer_style),
                f"   meeting {clock_text(total)} of {AGENDA_MINUTES}:00",
                privacy,
            )
        )

    # -- sections -----------------------------------------------------------------------------

    def _leave_section(self) -> None:
        key = self.section.key
        self.spent[key] = self.section_elapsed()
        self._save_notes()

    def action_section(self, step: int) -> None:
        target = self.index + step
        if not 0 <= target < len(AGENDA):
            return
        self._leave_section()
        self.index = target
        self.entered = self.clock()
        self.show_section()

    adding = False
    """Whether the notes box holds a note being added in privacy mode (the notes written
    before it stay hidden, masked, and the new one is added after them)."""

    def show_section(self) -> None:
        self.query_one("#meeting-content", Static).update(self.section_content())
        notes = self.query_one("#meeting-notes", TextArea)
        stored = self.notes.get(self.section.key, "")
        self.adding = False
        if self.private:  # on the shared screen: masked, and never edited as masked text
            notes.text = shown_text(stored)
            notes.read_only = True
            words = "e adds a note"
        else:
            notes.text = stored
            notes.read_only = False
            words = "e to write"
        notes.border_title = f"Notes — {self.section.title} ({words}, esc when done)"
        self.tick()

    def _save_notes(self) -> None:
        notes = self.query_one("#meeting-notes", TextArea)
        key = self.section.key
        stored = self.notes.get(key, "")
        if self.adding:
            added = notes.text.strip()
            text = f"{stored}\n{added}" if stored and added else stored or added
        elif notes.read_only:
            return
        else:
            text = notes.text
        if text != stored:
            self.ops.session.repo.save_meeting_note(self.week, key, text)
            self.notes[key] = text
        if self.adding:
            self.show_section()

    def action_notes(self) -> None:
        notes = self.query_one("#meeting-notes", TextArea)
        if self.private and not self.adding:
            self.adding = True
            notes.read_only = False
            notes.text = ""
            notes.border_title = (
                f"New note — {self.section.title} (the earlier ones stay hidden; esc when done)"
            )
        self.set_focus(notes)

    def action_leave(self) -> None:
        notes = self.query_one("#meeting-notes", TextArea)
        if notes.has_focus:
            self._save_notes()
            self.set_focus(self.query_one("#meeting-body"))
            return
        self._leave_section()
        self.dismiss(None)

    def action_privacy(self) -> None:
        """The session's privacy mode, from the shared screen's own key."""
        self.ops.action_privacy()

    def privacy_changed(self) -> None:
        notes = self.query_one("#meeting-notes", TextArea)
        if notes.has_focus:  # what is being typed is kept before the box is redrawn
            self._save_notes()
            self.set_focus(self.query_one("#meeting-body"))
        self.show_section()
        self.tick()

    # -- what each section shows --------------------------------------------------------------

    def section_content(self) -> Content:
        section = self.section
        if section.phase is not None:
            return self._deep_dive(section.phase)
        builders = {
            "portfolio": self._portfolio,
            "quality": self._quality,
            "synergies": self._synergies,
        }
        return builders[section.key]()

    def _names(self) -> tuple[dict[int, str], dict[int, str]]:
        repo = self.ops.session.repo
        companies = {c.id: c.name for c in repo.companies() if c.id is not None}
        people = {p.id: p.name for p in repo.people() if p.id is not None}
        return companies, people

    def _portfolio(self) -> Content:
        session = self.ops.session
        projects = session.repo.projects()
        summary = portfolio_summary(projects, session.repo.phase_history(), session.today)
        prereads = week_preread(
            session.repo, self.week, session.config.preread.due_time, projects=projects
        )
        lines = [summary_content(summary), preread_summary_content(prereads), Content("")]
        heading = (
            f"{'Project':<26} {'Phase':<12} {'Progress':>8}  {'Status':<10} "
            f"{'Next milestone':<28} {'Risk':<7} Completion"
        )
        lines.append(Content.styled(heading, "bold underline"))
        if not projects:
            lines.append(Content.styled("No projects yet — n on the portfolio (1) adds one", "dim"))
        for project in sort_projects_by_phase(projects):
            milestone = shown_line(project.next_milestone)
            if project.milestone_date:
                milestone += f" ({project.milestone_date:%B} {project.milestone_date.day})"
            status_style = {"On track": "$success", "At risk": "$warning"}.get(
                project.status.value, "$error"
            )
            lines.append(
                Content.assemble(
                    f"{shown_line(project.name)[:26]:<26} {project.phase.value:<12} "
                    f"{project.progress:>7.0f}%  ",
                    (f"{project.status.value:<10}", f"bold {status_style}"),
                    f" {milestone[:28]:<28} {project.risk.value:<7} ",
                    long_date(project.completion_date),
                )
            )
        return Content("\n").join(lines)

    def _deep_dive(self, phase: Phase) -> Content:
        repo = self.ops.session.repo
        companies, people = self._names()
        money = masked_money if self.private else shown_money
        dives = phase_deep_dives(repo.projects(), phase, companies, people, money)
        if not dives:
            return Content.styled(f"No {phase.value} projects this week.", "dim")
        lines: list[Content] = []
        for dive in dives:
            lines += [deep_dive_content(dive), Content("")]
        return Content("\n").join(lines)

    @work(thread=True, exclusive=True, group="meeting-quality", exit_on_error=False)
    def load_quality(self) -> None:
        """The bug matrix, the open P0/P1 bugs and the customer escalations, on a
        connection of the worker's own (the matrix reads every bug)."""
        session = self.ops.session
        with session.reading() as repo:
            matrix = week_bug_matrix(repo, session.today, session.config.targets, self.week)
            urgent = [
                bug
                for bug in repo.escalation_bugs()
                if is_urgent(bug.priority) and bug.status in OPEN_BUG_STATUSES
            ]
            escalations = current_escalations(repo, session.today)
        customers = [item for item in escalations if item.kind == "customer"]
        self.app.call_from_thread(self._quality_loaded, QualityData(matrix, urgent, customers))

    def _quality_loaded(self, data: QualityData) -> None:
        self.quality = data
        if self.section.key == "quality":
            self.query_one("#meeting-content", Static).update(self.section_content())

    def _quality(self) -> Content:
        data = self.quality
        if data is None:
            return Content.styled("Reading the bug matrix…", "dim")
        urgent, customers = data.urgent, data.customers
        lines = [
            Content.styled("Bug status by company", "bold"),
            matrix_content(data.matrix),
            Content(""),
        ]
        for priority in URGENT_PRIORITIES:
            bugs = [bug for bug in urgent if bug.priority is priority]
            title = (
                "Critical P0 bug analysis"
                if priority is Priority.P0
                else "Important P1 bug analysis"
            )
            lines.append(Content.styled(f"{title} ({len(bugs)})", "bold $accent"))
            if not bugs:
                lines.append(Content.styled("  none", "dim"))
            for bug in bugs:
                lines.extend(self._analysis(bug))
            lines.append(Content(""))
        lines.append(Content.styled(f"Customer escalations ({len(customers)})", "bold $accent"))
        if not customers:
            lines.append(Content.styled("  none", "dim"))
        for item in customers:
            name = shown_line(PRIVACY.customer(item.title, item.target_id))
            detail = shown_line(item.detail)
            lines.append(Content(f"  {name} — {detail}"))
        return Content("\n").join(lines)

    def _analysis(self, bug: Bug) -> list[Content]:
        revenue = "—"
        if bug.revenue_impact is not None:
            revenue = PRIVACY.money(f"${bug.revenue_impact:,.0f}")
        affected = "—" if bug.customers_affected is None else str(bug.customers_affected)
        return [
            Content.assemble(("  " + shown_line(bug.title), "bold"), f"  (#{bug.id})"),
            Content(
                f"    Customer impact: {affected} customers affected, revenue impact {revenue}"
            ),
            Content(f"    Root cause: {shown_line(bug.root_cause) or '—'}"),
            Content(
                "    Resolution timeline: "
                + (
                    "—"
                    if bug.expected_fix_date is None
                    else f"fix expected {bug.expected_fix_date:%b %d}"
                )
            ),
            Content(f"    Prevention: {shown_line(bug.prevention) or '—'}"),
        ]

    def _synergies(self) -> Content:
        found = synergies(self.ops.session.repo, self.week)
        lines = [Content.styled("Cross-company action items", "bold $accent")]
        for item in found.actions:
            due = item.due_date or "—"
            lines.append(
                Content(f"  {shown_line(item.what)} — {shown_line(item.owner)} — due {due}")
            )
        if not found.actions:
            lines.append(Content.styled("  none", "dim"))
        lines += [Content(""), Content.styled("Resource and technology decisions", "bold $accent")]
        for decision in found.decisions:
            state = "decided" if decision.decided_at else f"due {decision.due_at:%a %H:%M}"
            lines.append(
                Content(f"  {shown_line(decision.what)} ({decision.category.value}, {state})")
            )
        if not found.decisions:
            lines.append(Content.styled("  none", "dim"))
        lines += [Content(""), Content.styled("Risks", "bold $accent")]
        lines.extend(self._risks())
        return Content("\n").join(lines)

    def _risks(self) -> list[Content]:
        """The risk register as the weekly screen's Risks tab and the export show it (one
        loader): open and mitigating risks first, closed ones after, dimmed."""
        risks = risk_register(self.ops.session.repo)
        if not risks:
            return [Content.styled("  none — n on the weekly screen's Risks tab adds one", "dim")]
        lines = []
        for risk in risks:
            links = " · ".join(shown_line(name) for name in (risk.project, risk.company) if name)
            line = Content.assemble(
                (f"  {risk.status.value:<11}", "bold"),
                shown_line(risk.risk),
                f" — {shown_line(risk.owner) or 'no owner'}: {shown_line(risk.mitigation) or '—'}",
                (f"  ({links})", "$accent") if links else "",
            )
            lines.append(line.stylize("dim") if risk.closed else line)
        return lines
