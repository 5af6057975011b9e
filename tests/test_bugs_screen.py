"""Bug triage, driven with the keyboard as a lead clears the inbox, checked in the database."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Static

from opstui.data.bug_queries import BugQuery
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.enums import BugStatus, PlaybookStep, Priority
from opstui.domain.models import Bug
from opstui.modals.bug_detail import BugDetail
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.date_prompt import DatePrompt
from opstui.modals.picker import Picker
from opstui.screens.bugs import BugsScreen
from opstui.widgets.bug_list import FIRST_ROWS, BugPages
from opstui.widgets.bug_matrix import BugMatrixView
from opstui.widgets.virtual_table import VirtualTable
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
        assert lines["A"][-2] == "↑" and lines["B"][-2] == "→" and lines["C"][-2] == "↑"
        # Then the resolution rate over W23 … W28: two weeks never frozen, W25–W27, this week.
        assert lines["A"][-1] == "··▁▃▄█" and lines["B"][-1] == "··█▅▁▂"


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
        asked = 0
        for _ in range(22):
            await pilot.press("3")
            await pilot.pause()
            if isinstance(app.screen, ConfirmDialog):  # a P0/P1 demoted: asked first
                asked += 1
                await pilot.press("y")
        await settle(pilot)
        assert asked > 0
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


async def test_a_bulk_decision_lands_on_the_next_undecided_bug_after_the_last_decided(
    demo_repo: Repository,
) -> None:
    first, second, third, fourth = inbox_ids(demo_repo)[:4]
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("space", "space", "2")
        await settle(pilot)
        # The two decided bugs left the inbox; the one after them is under the cursor.
        assert screen.table.current_key == f"bug:{third}"
        assert screen.table.marked == set()
        # Marks need not be next to each other, nor under the cursor: the cursor goes to the
        # bug after the last one decided, not back to where it was.
        fifth, sixth = inbox_ids(demo_repo)[2:4]
        await pilot.press("space", "down", "space", "up", "up")  # third and fifth marked
        assert screen.table.current_key == f"bug:{fourth}"
        await pilot.press("0")
        await settle(pilot)
        assert screen.table.current_key == f"bug:{sixth}"
        assert inbox_ids(demo_repo)[:2] == [fourth, sixth]
    assert bug(demo_repo, fifth).priority is Priority.P0
    assert bug(demo_repo, first).priority is Priority.P2
    assert bug(demo_repo, second).priority is Priority.P2


async def test_undo_lands_on_the_restored_bugs_and_leaves_view_and_filter_alone(
    demo_repo: Repository,
) -> None:
    first, second, third = inbox_ids(demo_repo)[:3]
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("down", "down", "space", "space", "3")  # third and fourth: P3
        await settle(pilot)
        await pilot.press("home", "u")
        await settle(pilot)
        assert screen.view == "inbox"
        assert not screen.filter_input.display and screen.filter_input.value == ""
        assert screen.table.current_key == f"bug:{third}"
        assert bug(demo_repo, third).priority is None

        # A filter typed, a decision, the filter cleared: undo does not bring the filter back.
        await pilot.press("slash", *f"#{first}", "enter")
        await settle(pilot)
        assert screen.table.current_key == f"bug:{first}"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape", "v")  # filter cleared, all bugs shown
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert screen.view == "all"
        assert not screen.filter_input.display and screen.filter_input.value == ""
        assert screen.table.current_key == f"bug:{first}"
        assert bug(demo_repo, first).status is BugStatus.OPEN
        assert len(screen.pages or []) == len(demo_repo.all(Bug))
    assert bug(demo_repo, second).priority is None


async def test_redo_makes_the_undone_decision_again(demo_repo: Repository) -> None:
    first, second = inbox_ids(demo_repo)[:2]
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("space", "space", "1", "u")
        await settle(pilot)
        assert bug(demo_repo, first).priority is None
        await pilot.press("U")
        await settle(pilot)
        assert bug(demo_repo, first).priority is Priority.P1
        assert bug(demo_repo, second).priority is Priority.P1
        assert screen.table.current_key == f"bug:{inbox_ids(demo_repo)[0]}"
        await pilot.press("u", "ctrl+r")
        await settle(pilot)
        assert bug(demo_repo, second).priority is Priority.P1
        assert len(screen.undo_stack) == 1 and screen.redo_stack == []


async def test_3_in_all_bugs_on_a_p0_asks_before_demoting_it(demo_repo: Repository) -> None:
    p0 = next(b for b in demo_repo.all(Bug) if b.priority is Priority.P0)
    assert p0.id is not None
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        screen.select_entity(p0.id)
        await settle(pilot)
        assert screen.view == "all" and screen.table.current_key == f"bug:{p0.id}"
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "P0" in str(app.screen.question) and "alt+1" in str(app.screen.question)
        await pilot.press("n")
        await settle(pilot)
        assert bug(demo_repo, p0.id).priority is Priority.P0
        assert screen.undo_stack == []
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert bug(demo_repo, p0.id).priority is Priority.P3
        # alt+3 is the screen switch here.
        await pilot.press("alt+3")
        await settle(pilot)
        assert app.current_mode == "customers"


async def test_marking_a_range_and_every_row_of_a_filtered_view(demo_repo: Repository) -> None:
    ids = inbox_ids(demo_repo)
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("space", "down", "down", "V")  # rows 1 to 4
        assert screen.table.marked == {f"bug:{i}" for i in ids[:4]}
        assert "4 marked" in str(screen.query_one("#mark-count", Static).render())
        await pilot.press("escape")
        assert screen.table.marked == set()
        assert str(screen.query_one("#mark-count", Static).render()).strip() == ""

        await pilot.press("v", "slash", *"crash", "enter")
        await settle(pilot)
        pages = screen.pages
        assert pages is not None and 0 < len(pages) < len(demo_repo.all(Bug))
        shown = {f"bug:{row.id}" for row in pages.bugs(0, len(pages))}
        await pilot.press("asterisk")
        assert screen.table.marked == shown
        # A decision on the marked rows keeps the marks of the rows the view still shows.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.table.marked == shown
        assigned = {bug(demo_repo, int(key.split(":")[1])).assignee_id for key in shown}
        assert len(assigned) == 1 and None not in assigned


async def test_marks_on_rows_that_leave_the_view_are_dropped(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("space", "space", "space")
        marked = set(screen.table.marked)
        assert len(marked) == 3
        kept = sorted(marked)[0]
        kept_id = int(kept.split(":")[1])
        # A filter that shows one of them: the decision applies to that one only...
        await pilot.press("slash", *f"#{kept_id}", "enter")
        await settle(pilot)
        footer = str(screen.query_one("#mark-count", Static).render())
        assert "3 marked" in footer and "2 hidden by the filter" in footer
        await pilot.press("x")
        await settle(pilot)
        assert bug(demo_repo, kept_id).status is BugStatus.RESOLVED
        others = [int(key.split(":")[1]) for key in marked - {kept}]
        assert [bug(demo_repo, i).status for i in others] == [BugStatus.OPEN] * 2
        # ...and the marks of the rows the view no longer shows are dropped.
        assert screen.table.marked == set()


async def test_the_inbox_count_says_how_it_differs_from_the_matrix(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        assert screen.matrix is not None and screen.pages is not None
        inbox = len(screen.pages)
        without = sum(1 for row in screen.pages.bugs(0, inbox) if row.company_id is None)
        assert without > 0 and screen.matrix.total.untriaged == inbox - without
        bar = str(screen.query_one("#view-bar", Static).render())
        assert f"{inbox} left · {without} without a company" in bar
        # A snoozed bug of a company is in the matrix, not in the inbox: the bar says so.
        first = next(row for row in screen.pages.bugs(0, inbox) if row.company_id is not None)
        await pilot.press("slash", *f"#{first.id}", "enter", "z")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        bar = str(screen.query_one("#view-bar", Static).render())
        assert f"{inbox - 1} left · {without} without a company · 1 snoozed" in bar


async def test_with_as_of_every_time_a_decision_stores_is_on_the_as_of_date(
    demo_repo: Repository,
) -> None:
    """The wall clock's time of day, on the app's today: never the wall clock's date."""
    first = inbox_ids(demo_repo)[0]
    as_of = DEMO_TODAY - timedelta(days=40)
    app = demo_app(demo_repo, screen="bugs", as_of=as_of)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *f"#{first}", "enter", "x")
        await settle(pilot)
        assert bug(demo_repo, first).resolved_at is not None
        await pilot.press("alt+4")
        await settle(pilot)
        week = app.session.week
        table = app.screen.query_one("#checklist-table", VirtualTable)
        table.move_cursor(table.index_of("followup:Tuesday") or 0)
        await pilot.press("space")
        await settle(pilot)
    resolved = bug(demo_repo, first).resolved_at
    assert resolved is not None
    ticked = demo_repo.follow_ups(week).get("Tuesday")
    assert ticked is not None
    opened = bug(demo_repo, first).opened_at.date()
    assert resolved.date() == max(as_of, opened)
    assert ticked.date() == as_of


async def test_a_title_filter_with_many_matches_shows_its_rows_then_its_count(
    demo_repo: Repository,
) -> None:
    """Past the first rows read, a title filter's count comes from a worker after its rows:
    the bar says it is counting until then, and the whole list is reachable after."""
    opened = datetime(2026, 6, 1, 9, 0)
    demo_repo.add_many(
        Bug(title=f"Ledger timeout {n}", opened_at=opened + timedelta(minutes=n))
        for n in range(FIRST_ROWS + 57)
    )
    query = BugQuery(text="ledger timeout")
    pages = BugPages(demo_repo, query, DEMO_TODAY, lambda key: False)
    assert pages.count_later() and pages.counting
    assert len(pages) == FIRST_ROWS  # the rows read so far
    assert pages.exact_length() == FIRST_ROWS + 57 and not pages.counting
    few = BugPages(demo_repo, BugQuery(text="webhook retry"), DEMO_TODAY, lambda key: False)
    assert not few.count_later()  # every match is in the first rows: counted by reading
    assert len(few) == demo_repo.bug_list_count(few.query, DEMO_TODAY)

    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = bugs_screen(app)
        await pilot.press("v", "slash", *"ledger timeout")
        await pilot.pause()
        bar = str(screen.query_one("#view-bar", Static).render())
        assert f"{FIRST_ROWS}+ shown, counting…" in bar or f"{FIRST_ROWS + 57} shown" in bar
        await settle(pilot)
        bar = str(screen.query_one("#view-bar", Static).render())
        assert f"{FIRST_ROWS + 57} shown" in bar and "counting" not in bar
        await pilot.press("enter", "end")
        await settle(pilot)
        assert screen.table.cursor == FIRST_ROWS + 56
        assert (
            screen.table.current_key
            == f"bug:{screen.pages.bugs(FIRST_ROWS + 56, FIRST_ROWS + 57)[0].id}"
        )  # type: ignore[union-attr]
