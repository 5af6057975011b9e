"""The weekly review screen and meeting mode, as the review is prepared and run."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from textual.widgets import Input, Select, Static, TabbedContent, TextArea

from opstui.data.repository import Repository
from opstui.domain.enums import (
    ActionStatus,
    DecisionCategory,
    DecisionKind,
)
from opstui.domain.models import ActionItem, Decision
from opstui.modals.model_form import ModelForm
from opstui.modals.submission_form import SubmissionForm, part_field
from opstui.screens.meeting import MeetingScreen
from opstui.screens.weekly import WeeklyScreen
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle


class FakeClock:
    """A settable clock for the app's "now"."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def weekly(app: Any) -> WeeklyScreen:
    screen = app.screen
    assert isinstance(screen, WeeklyScreen)
    return screen


def table_text(table: VirtualTable) -> list[str]:
    return [
        " | ".join(cell.plain for cell in row.cells)
        for row in table.source.rows(0, len(table.source))
    ]


async def submit_carmens_last_part(demo_repo: Repository, at: datetime) -> str:
    """Carmen Vidal, at the keyboard at `at`, writes the part her demo draft lacks and
    submits; the checklist's row of hers, after."""
    demo_repo.record_history("Carmen Vidal")
    app = demo_app(demo_repo, screen="weekly", clock=FakeClock(at))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.week = "2026-W28"
        screen.load()
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SubmissionForm)
        form.query_one(f"#field-{part_field(3)}", TextArea).text = "Tenant API due Jul 10"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyScreen)
        return next(
            line for line in table_text(screen.table("checklist")) if line.startswith("Carmen")
        )


async def test_a_pre_read_submitted_after_friday_17_is_marked_late(demo_repo: Repository) -> None:
    row = await submit_carmens_last_part(demo_repo, datetime(2026, 7, 3, 18, 5))
    assert "late" in row and "submitted Fri 18:05" in row
    carmen = next(p for p in demo_repo.people() if p.name == "Carmen Vidal")
    stored = demo_repo.preread_submission("2026-W28", carmen.id or 0)
    assert stored is not None and stored.first_submitted_at == datetime(2026, 7, 3, 18, 5)


async def test_a_pre_read_submitted_before_the_deadline_is_on_time(demo_repo: Repository) -> None:
    row = await submit_carmens_last_part(demo_repo, datetime(2026, 7, 3, 16, 59))
    assert "late" not in row and "submitted Fri 16:59" in row


async def test_an_open_action_item_from_last_week_appears_this_week(demo_repo: Repository) -> None:
    owner = demo_repo.people()[0]
    demo_repo.add(
        ActionItem(
            what="Chase the SOC 2 auditor",
            owner_id=owner.id,
            week="2026-W27",
            due_date=date(2026, 7, 2),
        )
    )
    demo_repo.add(
        ActionItem(
            what="Close the Q2 books",
            week="2026-W27",
            status=ActionStatus.COMPLETE,
            closed_on=date(2026, 7, 1),
        )
    )
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        await pilot.press("l")
        await pilot.pause()
        assert screen.tab == "actions"
        rows = table_text(screen.table("actions"))
        chased = next(row for row in rows if row.startswith("Chase the SOC 2 auditor"))
        assert "↪ 2026-W27" in chased and "Overdue" in chased
        assert not any(row.startswith("Close the Q2 books") for row in rows)
        assert any(row.startswith("Share the connector framework") for row in rows)


async def test_adding_an_action_item_validates_on_the_field_then_saves(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ModelForm)
        form.query_one("#field-due_date", Input).value = "2026-07-32"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "must not be empty" in str(form.query_one("#error-what", Static).render())
        assert (
            str(form.query_one("#error-due_date", Static).render()) == "32 July 2026 is not a date"
        )
        form.query_one("#field-what", Input).value = "Book the Q3 planning offsite"
        form.query_one("#field-due_date", Input).value = "2026-07-10"
        await pilot.press("ctrl+s")
        await settle(pilot)
    added = next(a for a in demo_repo.action_items() if a.what == "Book the Q3 planning offsite")
    assert added.week == "2026-W28" and added.due_date == date(2026, 7, 10)
    assert added.company_id is None  # cross-company


async def test_a_follow_up_decision_goes_overdue_48_hours_later(demo_repo: Repository) -> None:
    clock = FakeClock(datetime(2026, 7, 6, 10, 0))
    app = demo_app(demo_repo, screen="weekly", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.query_one(TabbedContent).active = "decisions"
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ModelForm)
        form.query_one("#field-what", Input).value = "Move the data platform to Postgres 17"
        form.query_one("#field-kind", Select).value = DecisionKind.FOLLOW_UP
        form.query_one("#field-category", Select).value = DecisionCategory.ARCHITECTURE_CHANGE
        await pilot.press("ctrl+s")
        await settle(pilot)
        decision = next(d for d in demo_repo.decisions() if d.what.startswith("Move the data"))
        assert decision.due_at == datetime(2026, 7, 8, 10, 0)
        row = next(r for r in table_text(screen.table("decisions")) if r.startswith("Move"))
        assert "due Jul 08 10:00" in row and "OVERDUE" not in row
        clock.now = datetime(2026, 7, 8, 10, 1)
        screen.load()
        await settle(pilot)
        row = next(r for r in table_text(screen.table("decisions")) if r.startswith("Move"))
        assert "OVERDUE Jul 08 10:00" in row
        # Deciding it clears the flag.
        table = screen.table("decisions")
        table.move_cursor(table.index_of(f"decision:{decision.id}") or 0)
        await pilot.press("space")
        await settle(pilot)
    decided = demo_repo.get(Decision, decision.id or 0)
    assert decided is not None and decided.decided_at == datetime(2026, 7, 8, 10, 1)


async def test_escalations_jump_to_the_project(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.query_one(TabbedContent).active = "escalations"
        await pilot.pause()
        table = screen.table("escalations")
        payroll = next(p for p in demo_repo.projects() if p.name == "Multi-State Payroll")
        table.move_cursor(table.index_of(f"project:{payroll.id}:PROJECT_LATE") or 0)
        await pilot.press("enter")
        await settle(pilot)
        from opstui.screens.portfolio import PortfolioScreen

        portfolio = app.screen
        assert isinstance(portfolio, PortfolioScreen)
        selected = portfolio.selected()
        assert selected is not None and selected.name == "Multi-State Payroll"


async def test_kpis_are_validated_on_entry(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ModelForm)
        form.query_one("#field-uptime_pct", Input).value = "101"
        form.query_one("#field-team_size", Input).value = "-3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "Uptime is a percentage from 0 to 100" in str(
            form.query_one("#error-uptime_pct").render()
        )
        assert "Team size is a number of at least 0" in str(
            form.query_one("#error-team_size").render()
        )
        form.query_one("#field-uptime_pct", Input).value = "99.9"
        form.query_one("#field-team_size", Input).value = "46"
        await pilot.press("ctrl+s")
        await settle(pilot)
    kpis = demo_repo.kpis("2026-W28")
    assert kpis is not None and kpis.uptime_pct == 99.9 and kpis.team_size == 46
    assert kpis.arr == 2_285_000  # untouched fields kept


async def test_the_week_picker_walks_weeks_and_comes_back(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        assert screen.week == "2026-W28"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.week == "2026-W27"
        assert "Week 2026-W27" in str(screen.query_one("#week-bar", Static).render())
        await pilot.press("t")
        await settle(pilot)
        assert screen.week == "2026-W28"


class FakeTicker:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


async def test_meeting_mode_walks_the_agenda_and_counts_down(demo_repo: Repository) -> None:
    clock = FakeClock(datetime(2026, 7, 6, 9, 0))
    app = demo_app(demo_repo, screen="weekly", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)

        def bar() -> str:
            return str(meeting.query_one("#meeting-bar", Static).render())

        assert "1/7  Portfolio health dashboard" in bar()
        assert "left 15:00" in bar()
        assert "Boleta Automation" in str(meeting.query_one("#meeting-content").render())
        clock.now += timedelta(minutes=4, seconds=30)
        meeting.tick()
        assert "left 10:30" in bar() and "meeting 4:30" in bar()
        clock.now += timedelta(minutes=11)
        meeting.tick()
        assert "over time 0:30" in bar()
        await pilot.press("n")
        await pilot.pause()
        assert "2/7  Phase deep dive: Discovery" in bar()
        assert "left 10:00" in bar() and "meeting 15:30" in bar()
        content = str(meeting.query_one("#meeting-content").render())
        assert "Invoice AI" in content and "CPTO input needed" in content
        await pilot.press("p")
        await pilot.pause()
        assert "over time 0:30" in bar()  # time already spent in a section is kept


async def test_meeting_notes_are_saved_per_section(demo_repo: Repository) -> None:
    before = demo_repo.meeting_notes("2026-W28")  # the demo meeting's notes
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "n", "e")
        await pilot.press(*"Go for Invoice AI. ")
        await pilot.press("escape", "escape")
        await settle(pilot)
    # Typed at the start of the discovery section's notes; every other section unchanged.
    assert demo_repo.meeting_notes("2026-W28") == {
        **before,
        "discovery": "Go for Invoice AI. " + before["discovery"],
    }


async def test_the_privacy_toggle_hides_every_customer_name(demo_repo: Repository) -> None:
    names = [customer.name for customer in demo_repo.customers()]
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        seen_open = ""
        for _ in range(7):
            seen_open += str(meeting.query_one("#meeting-content").render())
            await pilot.press("n")
        assert "Harbor & Pine" in seen_open  # the escalated customer shows by default
        assert "$120,000 ARR" in seen_open
        for _ in range(7):
            await pilot.press("p")
        await pilot.press("P")
        seen_private = ""
        for _ in range(7):
            seen_private += str(meeting.query_one("#meeting-content").render())
            seen_private += str(meeting.query_one("#meeting-bar").render())
            await pilot.press("n")
        for name in names:
            assert name not in seen_private
        assert "$120,000" not in seen_private and "$•••" in seen_private


async def test_freezing_the_week_makes_it_read_only_until_unfrozen(
    demo_repo: Repository,
) -> None:
    clock = FakeClock(datetime(2026, 7, 6, 10, 30))
    app = demo_app(demo_repo, screen="weekly", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        await pilot.press("F")
        await settle(pilot)
        assert "2026-W28" in demo_repo.snapshot_weeks()
        assert "❄ frozen Mon Jul 06 10:30" in str(screen.query_one("#week-bar").render())
        before = demo_repo.action_items()
        await pilot.press("l", "n")
        await pilot.pause()
        assert not isinstance(app.screen, ModelForm)  # frozen: no new item
        assert demo_repo.action_items() == before
        await pilot.press("F")
        await pilot.pause()
        from opstui.modals.confirm import ConfirmDialog

        assert isinstance(app.screen, ConfirmDialog)  # refreezing asks first
        await pilot.press("n")
        await pilot.press("U", "y")
        await settle(pilot)
        assert "2026-W28" not in demo_repo.snapshot_weeks()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ModelForm)


async def test_export_previews_the_markdown_and_writes_the_file(
    demo_repo: Repository, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        from textual.widgets import TextArea

        from opstui.modals.export_preview import ExportPreview

        preview = app.screen
        assert isinstance(preview, ExportPreview)
        text = preview.query_one(TextArea).text
        assert "| Boleta Automation | Delivery | 85% | On track | Full Rollout (July 9) |" in text
        assert "Harbor &amp; Pine" in text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Harbor" not in preview.query_one(TextArea).text
        await pilot.press("ctrl+s")
        await settle(pilot)
    written = (tmp_path / "opstui-2026-W28.md").read_text(encoding="utf-8")
    assert written.startswith("# Weekly product operations review — 2026-W28")
    assert "Harbor" not in written


async def test_the_changes_tab_lists_what_changed_since_last_week(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        screen.query_one(TabbedContent).active = "changes"
        await settle(pilot)
        text = str(screen.query_one("#changes-view").render())
        assert "Changes since 2026-W27" in text
        assert "Multi-State Payroll: On track → At risk" in text
        assert "Harbor & Pine: Yellow → Red" in text


async def test_follow_up_checkpoints_are_ticked_off(
    demo_repo: Repository,
) -> None:
    clock = FakeClock(datetime(2026, 7, 7, 11, 0))
    app = demo_app(demo_repo, screen="weekly", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = weekly(app).table("checklist")
        table.move_cursor(table.index_of("followup:Tuesday") or 0)
        await pilot.press("space")
        await settle(pilot)
        row = next(r for r in table_text(table) if r.startswith("Tuesday"))
        assert "✔ Tue 11:00" in row
    assert demo_repo.follow_ups("2026-W28") == {"Tuesday": datetime(2026, 7, 7, 11, 0)}
