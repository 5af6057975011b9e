"""The trends view and the month view on the demo, opened from the weekly screen and from the
command palette, and as SVG snapshots."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Tab, TabbedContent
from textual_plotext import PlotextPlot

from opstui.data.repository import Repository
from opstui.domain.models import Company
from opstui.domain.trends import section_titles
from opstui.modals.error import ErrorDialog
from opstui.modals.export_preview import ExportPreview
from opstui.screens.review import ReviewScreen
from opstui.screens.weekly import WeeklyScreen
from opstui.widgets.privacy import PRIVACY
from opstui.widgets.trend_chart import TrendChart, runs, week_ticks
from tests.app_harness import SIZE, demo_app, settle

CLOCK = datetime(2026, 7, 6, 9, 0)


async def opened(pilot: Pilot[int], key: str) -> ReviewScreen:
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_t_on_the_weekly_screen_opens_the_trends_of_the_13_weeks(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "T")
        assert screen.review is not None
        assert screen.review.weeks[0] == "2026-W16" and screen.review.weeks[-1] == "2026-W28"
        charts = list(screen.query(TrendChart))
        assert [chart.chart.key for chart in charts[:4]] == [
            "on_track",
            "slipping",
            "slip_days",
            "projects",
        ]
        assert len(screen.query(PlotextPlot)) == len(charts)
        bar = str(screen.query_one("#review-bar").render())
        assert "3 frozen, 2026-W28 live, 9 without figures" in bar
        legend = str(charts[0].query_one(".trend-legend").render())
        assert "All phases" in legend and "11 in 2026-W28" in legend
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)


async def test_d_opens_the_month_its_agenda_as_tabs_and_brackets_move_by_month(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "D")
        assert screen.review is not None and screen.review.period.label == "July 2026"
        tabs = screen.query_one(TabbedContent)
        labels = [str(tab.label) for tab in tabs.query(Tab)]
        assert labels == list(section_titles("month"))
        await pilot.press("l")
        await settle(pilot)
        assert tabs.active == "section-1"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.review.period.label == "August 2026"
        assert all(point is None for point in screen.review.points)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportPreview)
        assert not [s for s in app.screen_stack if isinstance(s, ErrorDialog)]


async def test_the_palette_reaches_the_month_and_quarter_reviews(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Quarter review")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.review is not None
        assert app.screen.review.period.label == "Q3 2026"


async def test_privacy_mode_hides_the_money_charts_and_turns_off_again(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await opened(pilot, "Q")
            arr = next(c for c in screen.query(TrendChart) if c.chart.key == "kpi.arr")
            assert "$2,285,000" in str(arr.query_one(".trend-legend").render())
            await pilot.press("P")  # the session's privacy mode, from this screen's footer
            await settle(pilot)
            assert PRIVACY.active
            assert "PRIVATE" in str(screen.query_one("#review-bar").render())
            arr = next(c for c in screen.query(TrendChart) if c.chart.key == "kpi.arr")
            legend = str(arr.query_one(".trend-legend").render())
            assert "2,285,000" not in legend and "Hidden while privacy is on" in legend
            drawn = str(arr.query_one(PlotextPlot).render())
            assert "2,2" not in drawn and "2,1" not in drawn  # no amount on the axis either
            await pilot.press("e")  # the preview starts redacted
            await settle(pilot)
            assert isinstance(app.screen, ExportPreview) and app.screen.redacted
            await pilot.press("escape", "P")
            await settle(pilot)
            assert not PRIVACY.active
    finally:
        PRIVACY.turn_off()


def test_a_gap_splits_the_line_and_the_axis_names_the_weeks() -> None:
    assert runs([1.0, 2.0, None, 4.0, None, None, 7.0, 8.0]) == [
        ([0.0, 1.0], [1.0, 2.0]),
        ([3.0], [4.0]),
        ([6.0, 7.0], [7.0, 8.0]),
    ]
    ticks, labels = week_ticks([f"2026-W{n}" for n in range(16, 29)])
    assert len(ticks) <= 7 and ticks[0] == 0.0 and ticks[-1] == 12.0
    assert labels[:2] == ["W16", "W18"]


@pytest.mark.parametrize("companies", [0, 1])
async def test_the_reviews_open_on_a_new_workspace(tmp_path: Path, companies: int) -> None:
    repo = Repository.create(tmp_path / "team.db")
    if companies:
        repo.add(Company(name="Acme Software"))
    app = demo_app(repo, screen="weekly", clock=lambda: CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("T", "D", "Q"):
            screen = await opened(pilot, key)
            assert screen.review is not None
            assert not [s for s in app.screen_stack if isinstance(s, ErrorDialog)]
            assert len(screen.query(TrendChart)) > 0
            await pilot.press("l", "l", "left_square_bracket")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, WeeklyScreen)
    repo.close()


def test_trends_view_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def open_trends(pilot: Pilot[int]) -> None:
        await opened(pilot, "T")
        await pilot.press("l")  # the bugs
        await settle(pilot)

    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_trends)


def test_month_view_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def open_month(pilot: Pilot[int]) -> None:
        await opened(pilot, "D")

    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_month)


async def test_a_hostile_company_name_is_shown_as_text_in_the_legend(
    demo_repo: Repository,
) -> None:
    company = demo_repo.companies()[0]
    hostile = "[@click=app.quit]Evil[/] \x1b]52;c;eA==\x07Co"
    demo_repo.save_changes(company, company.model_copy(update={"name": hostile}))
    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "T")
        await pilot.press("l")
        await settle(pilot)
        p0 = next(c for c in screen.query(TrendChart) if c.chart.key == "bugs.p0")
        legend = str(p0.query_one(".trend-legend").render())
        assert "[@click=app.quit]Evil[/]" in legend
        assert "\x1b" not in legend and "\x07" not in legend
        assert app.is_running
