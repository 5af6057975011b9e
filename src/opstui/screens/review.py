"""The trends view and the month and quarter reviews: a period's figures week by week, as
charts, one tab per section of its seed agenda (the monthly deep dive; the quarterly
strategic and roadmap reviews), from the loader their Markdown uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import Worker

from opstui.data.trends import load_review
from opstui.domain.text import clean_line
from opstui.domain.trends import PeriodReview, ReviewPeriod, section_titles
from opstui.export.review import render_review
from opstui.modals.export_preview import ExportPreview
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.privacy import PRIVACY
from opstui.widgets.trend_chart import TrendChart

if TYPE_CHECKING:
    from pathlib import Path

    from opstui.app import OpsApp

STEP_WORDS = {"month": "month", "quarter": "quarter", "weeks": "week"}


class ReviewScreen(Screen[None]):
    """A review period's trends, section by section; `[`/`]` move to the one before/after."""

    CSS_PATH = "../styles/review.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "period(-1)", "Earlier", id="review.previous"),
        Binding("right_square_bracket", "period(1)", "Later", id="review.next"),
        Binding("h", "tab(-1)", "Previous section", id="review.previous_tab", show=False),
        Binding("l", "tab(1)", "Next section", id="review.next_tab", show=False),
        Binding(
            "P",
            "privacy",
            "Privacy",
            id="review.privacy",
            tooltip="Hide customer names and money on every screen (again: show them)",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="review.export",
            tooltip="Preview the review's Markdown and write it to a file",
        ),
        Binding("escape", "leave", "Back", id="review.leave", tooltip="Back to the weekly review"),
    ]

    def __init__(self, period: ReviewPeriod) -> None:
        super().__init__()
        self.period = period
        self.review: PeriodReview | None = None

    @property
    def private(self) -> bool:
        """Whether the session's privacy mode hides customer names and money."""
        return PRIVACY.active

    @property
    def ops(self) -> OpsApp:
        return cast("OpsApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Reading the weeks' figures…", "dim"), id="review-bar")
        with TabbedContent(id="review-tabs"):
            for number, title in enumerate(section_titles(self.period.kind)):
                with TabPane(title, id=f"section-{number}"):
                    yield VerticalScroll(id=f"section-body-{number}")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.ops.worker_changed(event)

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def load(self) -> None:
        session = self.ops.session
        period = self.period
        with session.reading() as repo:
            review = load_review(
                repo,
                period,
                live_week=session.week,
                today=session.today,
                targets=session.config.targets,
                health=session.config.health,
            )
        self.app.call_from_thread(self._loaded, review)

    def _loaded(self, review: PeriodReview) -> None:
        if review.period != self.period:
            return
        self.review = review
        self._show_bar(review)
        self.run_worker(self._show_sections(review), exclusive=True, group="review-show")

    async def _show_sections(self, review: PeriodReview) -> None:
        for number, section in enumerate(review.sections):
            body = self.query_one(f"#section-body-{number}", VerticalScroll)
            await body.remove_children()
            widgets: list[Static | TrendChart] = []
            if section.agenda:
                widgets.append(
                    Static(
                        Content.styled("Agenda: " + "; ".join(section.agenda), "italic"),
                        classes="review-agenda",
                    )
                )
            widgets.extend(
                TrendChart(chart, review.weeks, private=self.private) for chart in section.charts
            )
            await body.mount_all(widgets)

    def _show_bar(self, review: PeriodReview) -> None:
        gaps = review.gaps
        live = [p.week for p in review.points if p is not None and p.live]
        frozen = sum(1 for p in review.points if p is not None and not p.live)
        word = STEP_WORDS[self.period.kind]
        parts: list[Content] = [
            Content.styled(clean_line(review.title), "bold"),
            Content(f"   {len(review.weeks)} weeks: {frozen} frozen"),
            Content(f", {live[0]} live" if live else ""),
            Content.styled(f", {len(gaps)} without figures" if gaps else "", "bold $warning"),
            Content.styled(f"   [ ] {word}", "dim"),
        ]
        if self.private:
            parts.append(Content.styled("  PRIVATE", "bold $warning"))
        self.query_one("#review-bar", Static).update(Content("").join(parts))

    # -- actions ------------------------------------------------------------------------------

    def action_period(self, step: int) -> None:
        self.period = self.period.shifted(step)
        self.query_one("#review-bar", Static).update(
            Content.styled(f"Reading {self.period.label}…", "dim")
        )
        self.load()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        count = len(section_titles(self.period.kind))
        active = int((tabs.active or "section-0").rpartition("-")[2])
        tabs.active = f"section-{(active + step) % count}"

    def action_privacy(self) -> None:
        """The session's privacy mode (the app's key, shown in this screen's footer)."""
        self.ops.action_privacy()

    def privacy_changed(self) -> None:
        """Privacy mode was turned on or off: every chart is drawn again."""
        if self.review is not None:
            self._loaded(self.review)

    def action_export(self) -> None:
        review = self.review
        if review is None:
            return

        def render(redact: bool) -> str:
            return render_review(review, redact=redact)

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Wrote {path}")

        from pathlib import Path

        name = {"month": "month", "quarter": "quarter", "weeks": "trends"}[review.period.kind]
        default = Path.cwd() / f"opstui-{name}-{review.weeks[-1]}.md"
        self.app.push_screen(ExportPreview(review.period.label, render, default), written)

    def action_leave(self) -> None:
        self.dismiss()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
