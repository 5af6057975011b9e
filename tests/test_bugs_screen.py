"""Bug triage, driven with the keyboard as a lead clears the inbox, checked in the database."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from textual.widgets import Input

from opstui.data.bug_queries import BugQuery
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.enums import BugStatus, PlaybookStep, Priority
from opstui.domain.models import Bug
from opstui.modals.bug_detail import BugDetail
from opstui.modals.date_prompt import DatePrompt
from opstui.modals.picker import Picker
from opstui.screens.bugs import BugsScreen
from opstui.widgets.bug_matrix import BugMatrixView
from tests.app_harness import SIZE, demo_app, settle

NOW = datetime(2026, 7, 6, 9, 0)


def inbox_ids(repo: Repository) -> list[int]:
    query = BugQuery(inbox=True, sort="opened")
    return [row.id for row in repo.bug_list_page(query, DEMO_TODAY, 0, 1000)]


def bug(repo: Repository, bug_id: int) -> Bug:
    found = repo.get(Bug, bug_id)
    assert found is not None
    return found


def bugs_screen(app) -> BugsScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, BugsScreen)
    return screen


async def test_triaging_three_bugs_with_1_2_0_sets_priorities_and_lands_on_the_next(
    demo_repo: Repository,
) -> None:
    first, second, third, fourth = inbox_ids(demo_repo)[:4]
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        assert screen.table.current_key == f"bug:{first}"
        await pilot.press("1", "2", "0")
        await settle(pilot)
        assert screen.table.current_key == f"bug:{fourth}"
        assert len(screen.pages or []) == 9
    assert bug(demo_repo, first).priority is Priority.P1
    assert bug(demo_repo, second).priority is Priority.P2
    assert bug(demo_repo, third).priority is Priority.P0


async def test_the_matrix_shows_the_seed_table_on_the_demo(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one(BugMatrixView).render())
        lines = {line.split()[1]: line.split() for line in text.splitlines() if "Company" in line}
        assert lines["A"][2:5] == ["0", "5", "18!"]
        assert lines["B"][2:5] == ["1!", "8", "22!"]
        assert lines["C"][2:5] == ["0", "3", "15!"]
        total = next(line.split() for line in text.splitlines() if line.startswith("Total"))
        assert total[1:4] == ["1", "16", "55"]
        assert "87%" in lines["A"] and "82%" in lines["B"] and "93%" in lines["C"]
        assert lines["A"][-1] == "↑" and lines["B"][-1] == "→" and lines["C"][-1] == "↑"


async def test_bulk_marking_four_and_resolving_then_undo_restores_all(
    demo_repo: Repository,
) -> None:
    ids = inbox_ids(demo_repo)[:4]
    app = demo_app(demo_repo, screen="bugs", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("space", "space", "space", "space")
        assert screen.table.marked == {f"bug:{i}" for i in ids}
        await pilot.press("x")
        await settle(pilot)
        for bug_id in ids:
            resolved = bug(demo_repo, bug_id)
            assert resolved.status is BugStatus.RESOLVED
            assert resolved.resolved_at == NOW
        assert screen.table.marked == set()
        await pilot.press("u")
        await settle(pilot)
    for bug_id in ids:
        restored = bug(demo_repo, bug_id)
        assert restored.status is BugStatus.OPEN
        assert restored.resolved_at is None
    assert inbox_ids(demo_repo)[:4] == ids


async def test_undo_takes_back_at_least_twenty_decisions(demo_repo: Repository) -> None:
    before = demo_repo.all(Bug)
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("v")  # all bugs: decisions keep the bug in the list
        await settle(pilot)
        for _ in range(22):
            await pilot.press("3")
        await settle(pilot)
        assert len(screen.undo_stack) == 22
        assert demo_repo.all(Bug) != before
        for _ in range(22):
            await pilot.press("u")
        await settle(pilot)
    assert demo_repo.all(Bug) == before


async def test_marking_a_duplicate_links_it_to_the_picked_open_bug(demo_repo: Repository) -> None:
    target = inbox_ids(demo_repo)[0]
    original = demo_repo.escalation_bugs()[0]
    assert original.id is not None
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        await pilot.press(*f"#{original.id}")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
    duplicate = bug(demo_repo, target)
    assert duplicate.status is BugStatus.DUPLICATE
    assert duplicate.duplicate_of == original.id
    assert target not in inbox_ids(demo_repo)


async def test_assign_company_and_snooze_are_one_key_each(demo_repo: Repository) -> None:
    first, second, third = inbox_ids(demo_repo)[:3]
    lead = next(p for p in demo_repo.people() if p.name == "Kenji Sato")
    company_c = next(c for c in demo_repo.companies() if c.name == "Company C")
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        screen.select_entity(first)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"kenji", "enter")
        await settle(pilot)
        screen.select_entity(second)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Company C › Treasury", "enter")
        await settle(pilot)
        screen.select_entity(third)
        await pilot.press("z")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, DatePrompt)
        prompt.query_one(Input).value = "+3"
        await pilot.press("enter")
        await settle(pilot)
    assert bug(demo_repo, first).assignee_id == lead.id
    assert bug(demo_repo, second).company_id == company_c.id
    assert bug(demo_repo, second).product_id is not None
    assert bug(demo_repo, third).snoozed_until == DEMO_TODAY + timedelta(days=3)
    assert third not in inbox_ids(demo_repo)


async def test_a_snooze_date_in_the_past_is_refused_on_the_field(demo_repo: Repository) -> None:
    first = inbox_ids(demo_repo)[0]
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, DatePrompt)
        prompt.query_one(Input).value = "2026-01-01"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt
        assert "or later" in str(prompt.query_one("#date-error").render())
        await pilot.press("escape")
        await settle(pilot)
    assert bug(demo_repo, first).snoozed_until is None


async def test_clearing_the_inbox_shows_the_session_summary(demo_repo: Repository) -> None:
    count = len(inbox_ids(demo_repo))
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        for index in range(count):
            await pilot.press("3" if index % 2 else "2")
        await settle(pilot)
        text = str(screen.query_one("#view-bar").render())
        assert f"Inbox cleared — {count} decided" in text
        assert "P2 6" in text and "P3 6" in text
    assert inbox_ids(demo_repo) == []


async def test_a_new_p1_asks_for_its_analysis_without_stopping_the_triage(
    demo_repo: Repository,
) -> None:
    first, second = inbox_ids(demo_repo)[:2]
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("1")
        await settle(pilot)
        assert screen.analysis_due == [first]
        assert screen.table.current_key == f"bug:{second}"
        assert any("Analysis needed" in (n.title or "") for n in app._notifications)
        # The analysis is added from the bug's detail, later.
        screen.select_entity(first)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, BugDetail)
        detail.query_one("#field-customers_affected", Input).value = "3"
        detail.query_one("#field-revenue_impact", Input).value = "45000"
        detail.query_one("#field-root_cause").text = "Retry storm"  # type: ignore[attr-defined]
        detail.query_one("#field-expected_fix_date", Input).value = "2026-07-09"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.analysis_due == []
    analysed = bug(demo_repo, first)
    assert analysed.customers_affected == 3
    assert analysed.revenue_impact == 45000
    assert analysed.root_cause == "Retry storm"
    assert analysed.expected_fix_date == date(2026, 7, 9)


async def test_the_p0_playbook_records_each_step_with_its_time(demo_repo: Repository) -> None:
    p0 = next(b for b in demo_repo.escalation_bugs() if b.priority is Priority.P0)
    assert p0.id is not None
    moments = iter([datetime(2026, 7, 6, 8, 5), datetime(2026, 7, 6, 8, 6)])
    current = {"now": datetime(2026, 7, 6, 8, 5)}

    def clock() -> datetime:
        return current["now"]

    app = demo_app(demo_repo, screen="bugs", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        screen.select_entity(p0.id)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, BugDetail)
        playbook = str(detail.query_one("#playbook").render())
        assert "communicate" in playbook and "LATE" in playbook
        current["now"] = next(moments)
        await pilot.press("4")  # recover, 25 minutes after detection at 07:40
        await pilot.pause()
        playbook = str(detail.query_one("#playbook").render())
        assert "done 08:05" in playbook
        await pilot.press("escape")
        await settle(pilot)
    checks = {check.step: check.done_at for check in demo_repo.playbook_checks(p0.id)}
    assert checks[PlaybookStep.RECOVER] == datetime(2026, 7, 6, 8, 5)
    assert checks[PlaybookStep.DETECT] == datetime(2026, 7, 6, 7, 41)
    assert PlaybookStep.POST_INCIDENT not in checks


async def test_new_p0_and_p1_bugs_raise_the_escalation_count(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.escalation_count
        assert before is not None
        await pilot.press("0", "1")
        await settle(pilot)
        assert app.escalation_count == before + 2


async def test_filtering_all_bugs_as_you_type_and_saving_the_filter(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("v", "slash", *"webhook retry")
        await settle(pilot)
        shown = screen.pages.bugs(0, len(screen.pages)) if screen.pages else []
        assert shown and all("webhook retry" in b.title.lower() for b in shown)
        expected = demo_repo.bug_list_count(BugQuery(text="webhook retry"), DEMO_TODAY)
        assert len(shown) == expected
        await pilot.press("enter", "S")
        await pilot.pause()
        await pilot.press(*"Webhooks", "enter")
        await settle(pilot)
        assert [f.name for f in demo_repo.saved_filters()] == ["Webhooks"]
        assert demo_repo.saved_filters()[0].query == "webhook retry"
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.pages or []) == demo_repo.count(Bug)
        await pilot.press("F")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.pages or []) == expected


async def test_sorting_all_bugs_by_priority(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("v", "o", "o")  # opened → id → priority
        await settle(pilot)
        assert screen.query_all.sort == "priority"
        first = screen.pages.bugs(0, 5) if screen.pages else []
        assert [b.priority for b in first] == [Priority.P0] + [Priority.P1] * 4


HOSTILE = (
    "[red]x[/red] [@click=app.quit]quit[/]",
    "title \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ end",
    "csi \x1b[2J\x1b[31mred\x07 bell",
    "bidi \u202egnp.exe\u202c done",
)


async def test_hostile_titles_written_by_another_tool_show_literally_and_emit_nothing(
    demo_path: Path,
) -> None:
    conn = sqlite3.connect(demo_path)
    for title in HOSTILE:
        conn.execute(
            "INSERT INTO bugs (title, status, opened_at) VALUES (?, 'open', ?)",
            (title, "2026-07-05T10:00:00"),
        )
    conn.commit()
    conn.close()
    repo = Repository.open(demo_path)
    app = demo_app(repo, screen="bugs")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("end")
        await pilot.pause()
        table = screen.table
        lines = [table.render_line(y) for y in range(table.size.height)]
        text = "\n".join("".join(segment.text for segment in line) for line in lines)
        assert "[red]x[/red] [@click=app.quit]quit[/]" in text
        assert "bidi gnp.exe done" in text
        for forbidden in ("\x1b", "\x07", "\u202e", "\u202c"):
            assert forbidden not in text
        for line in lines:
            for segment in line:
                style = segment.style
                assert style is None or style.link is None
                assert style is None or not style.meta.get("@click")
        await pilot.click(table, offset=(30, table.cursor - int(table.scroll_offset.y) + 1))
        await pilot.pause()
        assert app.is_running
    repo.close()


async def test_filters_by_company_and_priority_narrow_the_list(demo_repo: Repository) -> None:
    from textual.widgets import Select

    from opstui.modals.bug_filter import BugFilterForm

    company_b = next(c for c in demo_repo.companies() if c.name == "Company B")
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BugFilterForm)
        form.query_one("#company", Select).value = company_b.id
        form.query_one("#priority", Select).value = Priority.P1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.view == "all"
        shown = screen.pages.bugs(0, 1000) if screen.pages else []
        expected = demo_repo.bug_list_count(
            BugQuery(company_id=company_b.id, priority=Priority.P1), DEMO_TODAY
        )
        assert len(shown) == expected > 0
        assert all(b.company == "Company B" and b.priority is Priority.P1 for b in shown)
