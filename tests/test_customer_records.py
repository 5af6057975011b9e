"""Customers and their NPS responses kept from the keyboard, checked in the database: a new
workspace guides its first customer, a customer is added and edited, NPS responses are added
one or several at once (a bad score stays in its field, said in words), and a customer that
others link to is retired rather than orphaned, hidden and brought back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from opstui.data.config import Config
from opstui.data.figures import week_snapshot
from opstui.data.repository import NotFoundError, Repository
from opstui.data.review import freeze_week
from opstui.data.sample import DEMO_TODAY
from opstui.domain.enums import BugStatus, ChurnRisk, FeedbackKind, PersonRole
from opstui.domain.models import Bug, Company, Customer, FeedbackEntry, NpsResponse, Person
from opstui.domain.weeks import iso_week
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.customer_detail import CustomerDetail
from opstui.modals.customer_forms import CustomerForm, NpsForm, parse_scores
from opstui.modals.error import ErrorDialog
from opstui.modals.retire_dialog import RetireDialog
from opstui.screens.customers import CustomersScreen
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle

TODAY = DEMO_TODAY


@pytest.fixture
def empty_repo(tmp_path: Path) -> Iterator[Repository]:
    """A workspace as `opstui init` makes it: nothing in it."""
    repo = Repository.create(tmp_path / "t.db")
    yield repo
    repo.close()


@pytest.fixture
def one_company(empty_repo: Repository) -> Repository:
    """A workspace with one company and nothing else."""
    empty_repo.add(Company(name="Company A"))
    return empty_repo


def company_id(repo: Repository) -> int:
    company = repo.companies()[0]
    assert company.id is not None
    return company.id


def only_customer(repo: Repository) -> Customer:
    customers = repo.customers(retired=True)
    assert len(customers) == 1
    return customers[0]


def screen_of(app: Any) -> CustomersScreen:
    screen = app.screen
    assert isinstance(screen, CustomersScreen)
    return screen


def cells(table: VirtualTable, key: str) -> dict[str, str]:
    index = table.index_of(key)
    assert index is not None, key
    row = table.row_at(index)
    assert row is not None
    return {column.key: cell.plain for column, cell in zip(table.columns, row.cells, strict=True)}


def row_keys(table: VirtualTable) -> list[str]:
    return [row.key for row in table.source.rows(0, len(table.source))]


def summary_text(screen: CustomersScreen) -> str:
    return str(screen.query_one("#summary", Static).render())


def hint_text(screen: CustomersScreen) -> str:
    hint = screen.query_one("#first-run", Static)
    return str(hint.render()) if hint.display else ""


def error_text(form: Any, name: str) -> str:
    label = form.query_one(f"#error-{name}", Static)
    return str(label.render()) if label.display else ""


async def fill(pilot: Any, field: str, text: str) -> None:
    """Focus a form field, empty it and type `text` as keys."""
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def app_on(repo: Repository) -> Any:
    return demo_app(repo, screen="customers", as_of=TODAY)


def assert_still_fine(app: Any) -> None:
    assert app.is_running
    assert not any(isinstance(screen, ErrorDialog) for screen in app.screen_stack)


async def back_to(pilot: Any, screen: Any) -> None:
    """Close whatever the last key opened (forms, dialogs), answering "discard" if asked."""
    for _ in range(4):
        if pilot.app.screen is screen:
            return
        if isinstance(pilot.app.screen, ConfirmDialog):
            await pilot.press("y")
        else:
            await pilot.press("escape")
        await pilot.pause()
    assert pilot.app.screen is screen


# -- a new workspace --------------------------------------------------------------------------


async def test_an_empty_workspace_says_a_company_comes_first_and_n_says_so_too(
    empty_repo: Repository,
) -> None:
    app = app_on(empty_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        hint = hint_text(screen)
        assert "No customers yet" in hint and "add a company first (5 Setup)" in hint
        said: list[str] = []
        notify = app.notify

        def spy(message: str, **options: Any) -> None:
            said.append(message)
            notify(message, **options)

        app.notify = spy
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen  # no form without a company to serve the customer
        assert any("add a company first (5 Setup)" in message for message in said)
        assert_still_fine(app)
    assert empty_repo.count(Customer) == 0


async def test_a_one_company_workspace_says_n_adds_a_customer_and_the_board_says_f(
    one_company: Repository,
) -> None:
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert "No customers yet — n adds one." in hint_text(screen)
        await pilot.press("b")
        await pilot.pause()
        assert "No feature requests yet — f on a customer logs feedback" in hint_text(screen)
        await pilot.press("b")
        await pilot.pause()
        assert "n adds one" in hint_text(screen)


SCREEN_KEYS = (
    "n", "e", "N", "f", "d", "E", "r", "R", "enter", "o", "O", "slash", "x", "escape",
    "b", "s", "enter", "o", "O", "n", "e", "d", "slash", "y", "escape", "b", "question_mark",
)  # fmt: skip
DETAIL_KEYS = ("x", "E", "f", "l", "e", "N", "j", "k")


@pytest.mark.parametrize("workspace", ["empty", "one company", "one bare customer"])
async def test_every_key_of_the_screen_and_the_detail_works_on_a_new_workspace(
    empty_repo: Repository, workspace: str
) -> None:
    if workspace != "empty":
        empty_repo.add(Company(name="Company A"))
    if workspace == "one bare customer":
        empty_repo.add(Customer(name="Bare", company_id=company_id(empty_repo)))
    app = app_on(empty_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        for key in SCREEN_KEYS:
            await pilot.press(key)
            await settle(pilot)
            assert_still_fine(app)
            await back_to(pilot, screen)
        if screen.view != "health":
            await pilot.press("b")
        if workspace == "one bare customer":
            await pilot.press("enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, CustomerDetail)
            for key in DETAIL_KEYS:
                await pilot.press(key)
                await settle(pilot)
                assert_still_fine(app)
                await back_to(pilot, detail)
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is screen
        assert_still_fine(app)
    # Nothing was typed, so nothing new was stored; only the flag moved (E, x, E).
    customers = empty_repo.customers(retired=True)
    assert len(customers) == (1 if workspace == "one bare customer" else 0)
    assert all(c.escalated and c.retired_on is None for c in customers)
    assert empty_repo.count(NpsResponse) == 0 and empty_repo.count(FeedbackEntry) == 0


# -- adding and editing a customer ------------------------------------------------------------


async def type_new_customer(pilot: Any) -> CustomerForm:
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, CustomerForm)
    # With one company it is chosen already; every other field is typed.
    assert form.query_one("#field-company_id", Select).value == company_id(
        form.app.session.repo  # type: ignore[attr-defined]
    )
    await fill(pilot, "name", "Acme Corp")
    await fill(pilot, "arr", "120000")
    await fill(pilot, "seats", "50")
    await fill(pilot, "active_users", "40")
    await fill(pilot, "renewal_date", (TODAY + timedelta(days=400)).isoformat())
    await fill(pilot, "critical_features_used", "3")
    await fill(pilot, "tickets_this_week", "4")
    await fill(pilot, "tickets_last_week", "1")
    return form


async def test_a_customer_added_from_the_keyboard_shows_in_the_health_table_with_its_figures(
    one_company: Repository,
) -> None:
    one_company.add(Person(name="Dana CSM", role=PersonRole.CSM))
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_new_customer(pilot)
        csm = app.screen.query_one("#field-csm_id", Select)
        csm.value = one_company.people()[0].id
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = screen_of(app)
        stored = only_customer(one_company)
        assert (stored.name, stored.company_id, stored.arr) == (
            "Acme Corp",
            company_id(one_company),
            120000,
        )
        assert (stored.seats, stored.active_users, stored.critical_features_used) == (50, 40, 3)
        assert (stored.tickets_this_week, stored.tickets_last_week) == (4, 1)
        assert stored.renewal_date == TODAY + timedelta(days=400)
        assert stored.churn_risk is ChurnRisk.LOW and stored.csm_id is not None
        key = f"customer:{stored.id}"
        assert screen.health_table.current_key == key  # the cursor is on the new customer
        row = cells(screen.health_table, key)
        # No NPS yet, so its weight (25) is shared: usage 16 + features 9 + tickets 9
        # + churn 15 + renewal 10 = 59 of 75 points, i.e. 79.
        assert row == {
            "flag": "",
            "name": "Acme Corp",
            "company": "Company A",
            "arr": "$120k",
            "nps": "— (0)",
            "users": "40/50",
            "features": "3/5",
            "tickets": "4 ↑3",
            "churn": "Low",
            "health": " 79 ● Green",
            "csm": "Dana CSM",
            "renewal": stored.renewal_date.isoformat(),
        }
        assert "1 customer " in summary_text(screen) and hint_text(screen) == ""


async def test_a_customer_without_a_name_stays_in_the_form_with_the_error_under_name(
    one_company: Repository,
) -> None:
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await type_new_customer(pilot)
        await fill(pilot, "name", "")
        await fill(pilot, "seats", "many")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert error_text(form, "name") != ""
        assert error_text(form, "seats") == "'many' is not a whole number"
        assert form.query_one("#field-seats", Input).value == "many"  # what was typed stays
        assert form.query_one("#field-arr", Input).value == "120000"
    assert one_company.count(Customer) == 0


async def test_e_edits_the_highlighted_customer_and_keeps_what_the_form_does_not_show(
    one_company: Repository,
) -> None:
    customer = one_company.add(
        Customer(name="Acme", company_id=company_id(one_company), arr=1000, escalated=True)
    )
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#field-arr", Input).value == "1000"
        await fill(pilot, "arr", "250000")
        await fill(pilot, "tickets_this_week", "7")
        form.query_one("#field-churn_risk", Select).value = ChurnRisk.HIGH
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = screen_of(app)
        row = cells(screen.health_table, f"customer:{customer.id}")
        assert (row["arr"], row["churn"], row["tickets"]) == ("$250k", "High", "7 ↑7")
    edited = only_customer(one_company)
    assert edited.id == customer.id
    assert (edited.arr, edited.churn_risk, edited.tickets_this_week) == (250000, ChurnRisk.HIGH, 7)
    assert edited.escalated  # not on the form, kept as it was


async def test_e_in_the_detail_edits_the_customer_and_the_detail_shows_it(
    one_company: Repository,
) -> None:
    one_company.add(Customer(name="Acme", company_id=company_id(one_company), arr=1000))
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "name", "Acme Group")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is detail
        assert "Acme Group" in str(detail.query_one("#detail-title", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        screen = screen_of(app)
        assert cells(screen.health_table, row_keys(screen.health_table)[0])["name"] == "Acme Group"
    assert only_customer(one_company).name == "Acme Group"


# -- NPS responses ----------------------------------------------------------------------------


def test_scores_are_typed_with_spaces_or_commas_each_from_0_to_10() -> None:
    assert parse_scores("9 10 6 8") == (9, 10, 6, 8)
    assert parse_scores("9,10,6") == (9, 10, 6)
    assert parse_scores(" 0, 10 ; 7 ") == (0, 10, 7)
    for typed, wrong in (("9 11", "11"), ("9,-1", "-1"), ("seven", "seven"), ("8.5", "8.5")):
        with pytest.raises(ValueError, match=f"'{wrong}' is not a score from 0 to 10"):
            parse_scores(typed)
    with pytest.raises(ValueError, match="type a score"):
        parse_scores("  ")


async def test_three_scores_at_once_are_three_responses_and_the_customer_shows_nps_plus_33(
    one_company: Repository,
) -> None:
    customer = one_company.add(Customer(name="Acme", company_id=company_id(one_company)))
    assert customer.id is not None
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NpsForm)
        assert form.query_one("#field-responded_on", Input).value == TODAY.isoformat()
        await pilot.press("1", "0", "space", "9", "space", "3", "ctrl+s")
        await settle(pilot)
        screen = screen_of(app)
        assert cells(screen.health_table, f"customer:{customer.id}")["nps"] == "+33 (3)"
        assert "NPS +33 (3)" in summary_text(screen)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail) and detail.file is not None
        assert "NPS +33.3 from 3 responses" in str(detail.query_one("#voice", Static).render())
        assert detail.file.health.factors[0].value == "+33.3 (3 responses)"
    responses = one_company.nps_responses(customer.id)
    assert sorted(r.score for r in responses) == [3, 9, 10]
    assert {r.responded_on for r in responses} == {TODAY}


async def test_n_in_the_detail_adds_comma_typed_scores_on_a_typed_date_with_a_comment(
    one_company: Repository,
) -> None:
    customer = one_company.add(Customer(name="Acme", company_id=company_id(one_company)))
    assert customer.id is not None
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        await pilot.press("N")
        await pilot.pause()
        await fill(pilot, "scores", "9,10,6")
        await fill(pilot, "responded_on", "2026-06-30")
        app.screen.query_one("#field-comment").focus()
        await pilot.press(*"Q2", "ctrl+s")
        await pilot.pause()
        assert app.screen is detail
        assert detail.file is not None and detail.file.nps == pytest.approx(33.3)
    responses = one_company.nps_responses(customer.id)
    assert sorted(r.score for r in responses) == [6, 9, 10]
    assert {(r.responded_on, r.comment) for r in responses} == {(date(2026, 6, 30), "Q2")}


async def test_a_bad_score_stays_in_its_field_with_the_reason_in_words_and_nothing_is_stored(
    one_company: Repository,
) -> None:
    one_company.add(Customer(name="Acme", company_id=company_id(one_company)))
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NpsForm)
        await pilot.press("9", "space", "1", "1", "space", "6", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert error_text(form, "scores") == "'11' is not a score from 0 to 10"
        assert form.query_one("#field-scores", Input).value == "9 11 6"
        await fill(pilot, "responded_on", "2026-02-30")
        await fill(pilot, "scores", "9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert error_text(form, "scores") == ""
        assert error_text(form, "responded_on") == "30 February 2026 is not a date"
    assert one_company.count(NpsResponse) == 0


def test_a_batch_of_responses_is_stored_whole_or_not_at_all(one_company: Repository) -> None:
    customer = one_company.add(Customer(name="Acme", company_id=company_id(one_company)))
    assert customer.id is not None
    batch = [
        NpsResponse(customer_id=customer.id, score=score, responded_on=TODAY) for score in (9, 7)
    ]
    stored = one_company.add_nps_responses(batch)
    assert [r.score for r in stored] == [9, 7] and all(r.id is not None for r in stored)
    gone = NpsResponse(customer_id=customer.id + 1, score=10, responded_on=TODAY)
    with pytest.raises(NotFoundError):
        one_company.add_nps_responses([*batch, gone])
    assert one_company.count(NpsResponse) == 2


# -- retire rather than orphan ----------------------------------------------------------------


def linked_customer(repo: Repository) -> tuple[Customer, int]:
    """A customer a bug links to, with two NPS responses; and the bug's id."""
    customer = repo.add(Customer(name="Linked Co", company_id=company_id(repo), arr=50_000))
    other = repo.add(Customer(name="Other Co", company_id=company_id(repo), arr=10_000))
    assert customer.id is not None and other.id is not None
    repo.add_nps_responses(
        [
            NpsResponse(customer_id=customer.id, score=0, responded_on=TODAY),
            NpsResponse(customer_id=customer.id, score=2, responded_on=TODAY),
            NpsResponse(customer_id=other.id, score=10, responded_on=TODAY),
        ]
    )
    bug = repo.add(
        Bug(title="Export fails", opened_at=datetime(2026, 7, 1, 9), status=BugStatus.OPEN)
    )
    assert bug.id is not None
    repo.link_bug_customer(bug.id, customer.id)
    return customer, bug.id


async def test_d_on_a_linked_customer_retires_it_hidden_then_r_shows_it_and_R_brings_it_back(
    one_company: Repository,
) -> None:
    customer, bug_id = linked_customer(one_company)
    key = f"customer:{customer.id}"
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert "NPS -33 (3)" in summary_text(screen)  # 0, 2 and 10
        screen.show_entity(customer.id or 0)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RetireDialog)
        assert dialog.dependents == {"bug_customers.customer_id": 1, "nps_responses.customer_id": 2}
        assert [label for label, _ in dialog.reassign_to] == ["Other Co"]
        await pilot.press("r")
        await settle(pilot)
        assert key not in row_keys(screen.health_table)
        # The live figures leave it out: one customer, its ARR, its NPS alone.
        summary = summary_text(screen)
        assert "1 customer " in summary and "ARR $10k" in summary and "NPS +100 (1)" in summary
        assert "1 retired (r shows)" in summary
        await pilot.press("r")
        await pilot.pause()
        assert row_keys(screen.health_table)[-1] == key  # after those in service
        row = screen.health_table.row_at(screen.health_table.index_of(key) or 0)
        assert row is not None and row.style == "dim"
        assert cells(screen.health_table, key)["health"] == f"retired {TODAY:%b} {TODAY.day}"
        screen.health_table.move_cursor(screen.health_table.index_of(key) or 0)
        await pilot.press("R")
        await settle(pilot)
        assert "2 customers" in summary_text(screen)
        assert cells(screen.health_table, key)["health"].strip()[0].isdigit()
        assert_still_fine(app)
    assert one_company.get(Customer, customer.id or 0) == customer  # back, as it was
    assert one_company.bug_customer_ids(bug_id) == [customer.id]


async def test_a_retired_customer_is_kept_with_its_links_but_leaves_pickers_and_live_figures(
    one_company: Repository,
) -> None:
    customer, bug_id = linked_customer(one_company)
    assert customer.id is not None
    one_company.set_customer_escalated(customer.id, True)
    week = iso_week(TODAY - timedelta(days=7))
    config = Config()
    freeze_week(
        one_company,
        week,
        today=TODAY - timedelta(days=7),
        now=datetime(2026, 6, 29, 12),
        targets=config.targets,
        health=config.health,
    )
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.escalation_count
        assert before is not None and before >= 1
        screen_of(app).show_entity(customer.id)
        await pilot.press("d", "r")
        await settle(pilot)
        assert app.escalation_count == before - 1  # a retired customer escalates nothing
    stored = one_company.get(Customer, customer.id)
    assert stored is not None and stored.retired_on == TODAY
    assert [c.name for c in one_company.customers()] == ["Other Co"]  # what pickers offer
    assert customer.id not in one_company.nps_scores()
    assert len(one_company.nps_scores(retired=True)[customer.id]) == 2
    assert one_company.bug_customer_ids(bug_id) == [customer.id]  # the link is kept
    # History keeps it: the week frozen before still has it; this week's figures do not.
    frozen = one_company.snapshot_json(week)
    assert frozen is not None and "Linked Co" in frozen
    now = week_snapshot(one_company, iso_week(TODAY), TODAY, config.targets, config.health)
    assert [c.name for c in now.customers] == ["Other Co"] and now.nps == 100


async def test_d_on_a_customer_nothing_links_to_is_a_plain_delete(
    one_company: Repository,
) -> None:
    one_company.add(Customer(name="Lonely", company_id=company_id(one_company)))
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RetireDialog) and not dialog.has_links
        await pilot.press("y")
        await settle(pilot)
        assert "No customers yet — n adds one." in hint_text(screen_of(app))
    assert one_company.count(Customer) == 0


async def test_reassigning_a_duplicate_customer_moves_its_responses_and_links_then_deletes_it(
    one_company: Repository,
) -> None:
    customer, bug_id = linked_customer(one_company)
    other = next(c for c in one_company.customers() if c.name == "Other Co")
    assert customer.id is not None and other.id is not None
    one_company.add(
        FeedbackEntry(
            customer_id=customer.id, logged_on=TODAY, kind=FeedbackKind.PRAISE, text="Great"
        )
    )
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen_of(app).show_entity(customer.id)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RetireDialog)
        dialog.query_one("#reassign-to", Select).value = other.id
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert row_keys(screen_of(app).health_table) == [f"customer:{other.id}"]
    assert one_company.get(Customer, customer.id) is None
    assert sorted(r.score for r in one_company.nps_responses(other.id)) == [0, 2, 10]
    assert [e.text for e in one_company.feedback(other.id)] == ["Great"]
    assert one_company.bug_customer_ids(bug_id) == [other.id]


async def test_jumping_to_a_retired_customer_shows_the_retired_ones(
    one_company: Repository,
) -> None:
    customer, _ = linked_customer(one_company)
    assert customer.id is not None
    one_company.set_retired(Customer, customer.id, TODAY)
    app = app_on(one_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        screen.show_entity(customer.id)
        await pilot.pause()
        assert screen.show_retired
        assert screen.health_table.current_key == f"customer:{customer.id}"
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        title = str(detail.query_one("#detail-title", Static).render())
        assert f"retired {TODAY.isoformat()}" in title
        # Its own figures stay readable: both its responses are 0 and 2, so NPS -100.
        assert detail.file is not None and detail.file.nps == -100
