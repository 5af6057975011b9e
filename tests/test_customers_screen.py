"""The customers screen, driven with the keyboard as a user would, checked in the database:
health worst first and explained, feedback turned into feature requests, the request board
and its roadmap candidates, escalations, the health model from config, filter and sort.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Select, Static, TextArea

from opstui.data.config import Config
from opstui.data.repository import NotFoundError, Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.customers import ROADMAP_CANDIDATE_MIN_CUSTOMERS
from opstui.domain.enums import ChurnRisk, FeedbackKind, HealthBand, RequestStatus
from opstui.domain.models import Customer, FeatureRequest, FeedbackEntry
from opstui.domain.settings import HealthModel, HealthWeights
from opstui.modals.customer_detail import CustomerDetail
from opstui.modals.feedback_form import FeedbackForm
from opstui.modals.help import HelpScreen
from opstui.modals.request_detail import RequestDetail
from opstui.modals.request_picker import RequestPicker
from opstui.screens.customers import CustomersScreen
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.privacy import PRIVACY_BINDING
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle

MARKUP = "[red]x[/red] [@click=app.quit]y[/]"


def customer_named(repo: Repository, name: str) -> Customer:
    return next(c for c in repo.customers() if c.name == name)


def request_named(repo: Repository, title: str) -> FeatureRequest:
    return next(r for r in repo.feature_requests() if r.title == title)


def askers(repo: Repository, title: str) -> list[int]:
    request = request_named(repo, title)
    return repo.request_asker_ids().get(request.id or -1, [])


def row_keys(table: VirtualTable) -> list[str]:
    return [row.key for row in table.source.rows(0, len(table.source))]


def cells(table: VirtualTable, key: str) -> dict[str, str]:
    """The row with `key`, as plain text by column key."""
    index = table.index_of(key)
    assert index is not None, key
    row = table.row_at(index)
    assert row is not None
    return {column.key: cell.plain for column, cell in zip(table.columns, row.cells, strict=True)}


def screen_of(app: Any) -> CustomersScreen:
    screen = app.screen
    assert isinstance(screen, CustomersScreen)
    return screen


async def select_customer(pilot: Any, name: str) -> CustomersScreen:
    screen = screen_of(pilot.app)
    customer = customer_named(screen.session.repo, name)
    assert customer.id is not None
    screen.show_entity(customer.id)
    await pilot.pause()
    return screen


async def select_request(pilot: Any, title: str) -> CustomersScreen:
    screen = screen_of(pilot.app)
    if screen.view != "board":
        await pilot.press("b")
    request = request_named(screen.session.repo, title)
    index = screen.board_table.index_of(f"request:{request.id}")
    assert index is not None
    screen.board_table.move_cursor(index)
    await pilot.pause()
    return screen


async def log_feature_request(pilot: Any, text: str) -> RequestPicker:
    """Press f on the selected customer, type the request, save: the picker opens."""
    await pilot.press("f")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, FeedbackForm)
    assert form.query_one("#field-kind", Select).value is FeedbackKind.FEATURE_REQUEST
    await pilot.press("tab", *text, "ctrl+s")
    await pilot.pause()
    picker = pilot.app.screen
    assert isinstance(picker, RequestPicker)
    return picker


# -- the health table -------------------------------------------------------------------------


async def test_customers_are_listed_worst_health_first_with_nps_usage_tickets_and_band(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert screen.data is not None
        scores = [row.health.score for row in screen.visible_customers()]
        assert scores == sorted(scores)
        assert len(row_keys(screen.health_table)) == 16
        granite = customer_named(demo_repo, "Granite Capital")
        assert row_keys(screen.health_table)[0] == f"customer:{granite.id}"
        assert cells(screen.health_table, f"customer:{granite.id}") == {
            "flag": "",
            "name": "Granite Capital",
            "company": "Company C",
            "arr": "$55k",
            "nps": "-33 (3)",
            "users": "22/60",
            "features": "1/5",
            "tickets": "6 ↑1",
            "churn": "High",
            "health": " 26 ● Red",
            "csm": "Ben Adeyemi",
            "renewal": "2026-07-30",
        }
        harbor = cells(
            screen.health_table, f"customer:{customer_named(demo_repo, 'Harbor & Pine').id}"
        )
        assert harbor["flag"] == "⚑"
        meridian = f"customer:{customer_named(demo_repo, 'Meridian Bank').id}"
        assert cells(screen.health_table, meridian)["tickets"] == "1 ↓5"
        assert cells(screen.health_table, meridian)["health"] == " 89 ● Green"
        summary = str(screen.query_one("#summary", Static).render())
        assert "16 customers" in summary and "● Red 4" in summary and "⚑ 1 escalated" in summary


async def test_enter_explains_a_score_factor_by_factor(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_customer(pilot, "Pacífico Foods")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        assert detail.file is not None
        result = detail.file.health
        assert result.score == 66 and result.band is HealthBand.YELLOW
        assert [f.label for f in result.factors] == [
            "NPS",
            "Usage",
            "Features",
            "Tickets",
            "Churn risk",
            "Renewal",
        ]
        assert sum(f.points for f in result.factors) == pytest.approx(result.score, abs=1)
        why = str(detail.query_one("#why", Static).render())
        assert "Why 66?" in why and "Yellow" in why
        for factor in result.factors:
            assert (
                f"{factor.label:<11}{factor.value:<26}{factor.weight:>7.1f}{factor.points:>8.1f}"
                in why
            )
        voice = str(detail.query_one("#voice", Static).render())
        assert "NPS +66.7 from 3 responses" in voice
        assert "2 promoters · 1 passive · 0 detractors" in voice
        assert "Custom report builder" in voice
        feedback = row_keys(detail.query_one(VirtualTable))
        entries = demo_repo.feedback(customer_named(demo_repo, "Pacífico Foods").id or 0)
        assert feedback == [f"feedback:{e.id}" for e in entries]  # newest first
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)


async def test_a_customer_without_nps_or_usage_is_explained_as_no_data(
    demo_repo: Repository,
) -> None:
    company = demo_repo.companies()[0]
    assert company.id is not None
    demo_repo.add(Customer(name="Quiet Co", company_id=company.id, churn_risk=ChurnRisk.LOW))
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await select_customer(pilot, "Quiet Co")
        key = screen.health_table.current_key
        assert key is not None
        row = cells(screen.health_table, key)
        assert (row["nps"], row["users"], row["features"], row["renewal"]) == (
            "— (0)",
            "—",
            "—",
            "",
        )
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        why = str(detail.query_one("#why", Static).render())
        assert "no data" in why and "shared among the others" in why
        assert "no survey responses" in str(detail.query_one("#voice", Static).render())


# -- feedback and feature requests ------------------------------------------------------------


async def test_a_third_customer_asking_for_a_request_makes_it_a_roadmap_candidate(
    demo_repo: Repository,
) -> None:
    granite = customer_named(demo_repo, "Granite Capital")
    assert len(askers(demo_repo, "Custom report builder")) == ROADMAP_CANDIDATE_MIN_CUSTOMERS - 1
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await select_request(pilot, "Custom report builder")
        key = screen.board_table.current_key
        assert key is not None
        before = cells(screen.board_table, key)
        assert (before["customers"], before["candidate"]) == ("2", "")
        await pilot.press("b")
        await select_customer(pilot, "Granite Capital")
        await log_feature_request(pilot, "Wants a custom report for the board")
        await pilot.press(*"custom rep")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        await pilot.press("b")
        after = cells(screen.board_table, key)
        assert (after["customers"], after["candidate"]) == ("3", "★ Candidate")
    assert granite.id in askers(demo_repo, "Custom report builder")
    newest = demo_repo.feedback(granite.id or 0)[0]
    assert (newest.kind, newest.text, newest.logged_on) == (
        FeedbackKind.FEATURE_REQUEST,
        "Wants a custom report for the board",
        DEMO_TODAY,
    )
    assert newest.request_id == request_named(demo_repo, "Custom report builder").id


async def test_a_request_nobody_asked_for_yet_is_created_from_the_feedback(
    demo_repo: Repository,
) -> None:
    requests_before = len(demo_repo.feature_requests())
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_customer(pilot, "Lago Verde Hotels")
        picker = await log_feature_request(pilot, "Needs to work offline in the field")
        await pilot.press(*"Offline mode")
        await pilot.pause()
        choices = picker.query_one("#choices")
        assert choices.highlighted_option.id == "create"  # type: ignore[attr-defined]
        assert "Create “Offline mode”" in choices.highlighted_option.prompt.plain  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("b")
        created = request_named(demo_repo, "Offline mode")
        row = cells(screen.board_table, f"request:{created.id}")
        assert (row["customers"], row["status"], row["candidate"]) == ("1", "backlog", "")
    lago = customer_named(demo_repo, "Lago Verde Hotels")
    assert len(demo_repo.feature_requests()) == requests_before + 1
    assert askers(demo_repo, "Offline mode") == [lago.id]
    assert demo_repo.feedback(lago.id or 0)[0].request_id == created.id


async def test_leaving_the_picker_keeps_the_feature_request_logged_but_unlinked(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_customer(pilot, "Cobalt Freight")
        await log_feature_request(pilot, "Bulk edit of shipments")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
    newest = demo_repo.feedback(customer_named(demo_repo, "Cobalt Freight").id or 0)[0]
    assert (newest.text, newest.request_id) == ("Bulk edit of shipments", None)


async def test_praise_is_logged_without_asking_for_a_request(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_customer(pilot, "Orbit Payments")
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        form.query_one("#field-kind", Select).value = FeedbackKind.PRAISE
        form.query_one("#field-text", TextArea).text = "Loved the new approvals"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
    newest = demo_repo.feedback(customer_named(demo_repo, "Orbit Payments").id or 0)[0]
    assert (newest.kind, newest.text, newest.request_id) == (
        FeedbackKind.PRAISE,
        "Loved the new approvals",
        None,
    )


async def test_empty_feedback_shows_the_error_on_its_field_and_stores_nothing(
    demo_repo: Repository,
) -> None:
    orbit = customer_named(demo_repo, "Orbit Payments")
    before = demo_repo.feedback(orbit.id or 0)
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_customer(pilot, "Orbit Payments")
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        form.query_one("#field-kind", Select).value = FeedbackKind.PAIN_POINT
        form.query_one("#field-text", TextArea).text = "   \n  "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "must not be empty" in str(form.query_one("#error-text", Static).render())
        assert form.query_one("#field-kind", Select).value is FeedbackKind.PAIN_POINT
        await pilot.press("escape")
        await settle(pilot)
    assert demo_repo.feedback(orbit.id or 0) == before


async def test_l_in_the_detail_links_an_unlinked_feature_request_entry(
    demo_repo: Repository,
) -> None:
    andes = customer_named(demo_repo, "Andes Retail")
    assert andes.id is not None
    entry = demo_repo.add(
        FeedbackEntry(
            customer_id=andes.id,
            logged_on=DEMO_TODAY,
            kind=FeedbackKind.FEATURE_REQUEST,
            text="Audit trail we can export for our auditors",
        )
    )
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_customer(pilot, "Andes Retail")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        table = detail.query_one(VirtualTable)
        assert table.current_key == f"feedback:{entry.id}"
        assert cells(table, f"feedback:{entry.id}")["request"] == "not linked: press l"
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, RequestPicker)
        await pilot.press(*"audit", "enter")
        await pilot.pause()
        assert app.screen is detail
        assert cells(table, f"feedback:{entry.id}")["request"] == "Audit log export"
        assert "★ Audit log export" in str(detail.query_one("#voice", Static).render())
        await pilot.press("escape")
        await settle(pilot)
    assert andes.id in askers(demo_repo, "Audit log export")


# -- escalations ------------------------------------------------------------------------------


async def test_shift_e_escalates_a_customer_and_the_header_counts_it(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.escalation_count
        assert before is not None
        screen = await select_customer(pilot, "Granite Capital")
        await pilot.press("E")
        await settle(pilot)
        assert customer_named(demo_repo, "Granite Capital").escalated
        assert app.escalation_count == before + 1
        header = screen.query_one(WorkspaceHeader)
        assert f"⚑ {before + 1} escalations" in header.render().plain  # type: ignore[union-attr]
        key = screen.health_table.current_key
        assert key is not None and cells(screen.health_table, key)["flag"] == "⚑"
        await pilot.press("E")
        await settle(pilot)
        assert not customer_named(demo_repo, "Granite Capital").escalated
        assert app.escalation_count == before


async def test_x_in_the_detail_clears_an_escalation_and_the_header_follows(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.escalation_count
        assert before is not None
        screen = await select_customer(pilot, "Harbor & Pine")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        assert "⚑ ESCALATED" in str(detail.query_one("#detail-title", Static).render())
        await pilot.press("x")
        await settle(pilot)
        assert not customer_named(demo_repo, "Harbor & Pine").escalated
        assert app.escalation_count == before - 1
        assert "ESCALATED" not in str(detail.query_one("#detail-title", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one(WorkspaceHeader).escalations == before - 1
        key = screen.health_table.current_key
        assert key is not None and cells(screen.health_table, key)["flag"] == ""


# -- the request board ------------------------------------------------------------------------


async def test_the_board_ranks_requests_by_customers_then_arr_and_marks_candidates(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        screen = screen_of(app)
        assert screen.view == "board"
        titles = [cells(screen.board_table, key)["title"] for key in row_keys(screen.board_table)]
        assert titles[:5] == [
            "Salesforce integration",
            "Real-time dashboards",
            "SSO with SAML",
            "CSV bulk import",
            "Custom report builder",
        ]
        dashboards = cells(
            screen.board_table, f"request:{request_named(demo_repo, 'Real-time dashboards').id}"
        )
        assert dashboards == {
            "rank": "2",
            "title": "Real-time dashboards",
            "customers": "3",
            "arr": "$710k",
            "status": "planned",
            "effort": "2-3 weeks",
            "epic": "Epic 3: Reporting",
            "candidate": "★ Candidate",
        }
        await pilot.press("b")
        assert screen.view == "health"


async def test_enter_on_a_request_shows_who_asked_and_their_health(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_request(pilot, "Real-time dashboards")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, RequestDetail)
        table = detail.query_one(VirtualTable)
        asked = [cells(table, key) for key in row_keys(table)]
        assert [(row["name"], row["health"]) for row in asked] == [
            ("Northwind Logistics", " 52 ● Yellow"),
            ("Andes Retail", " 88 ● Green"),
            ("Meridian Bank", " 89 ● Green"),
        ]
        assert asked[1]["said"] == "Asked for real-time dashboards in the weekly check-in."
        heading = str(detail.query_one("#request-title", Static).render())
        assert "3 customers asking" in heading and "★ Candidate" in heading


async def test_s_cycles_a_requests_status_on_the_board(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await select_request(pilot, "Tiered pricing")
        await pilot.press("s")
        await settle(pilot)
        assert request_named(demo_repo, "Tiered pricing").status is RequestStatus.PLANNED
        await pilot.press("s", "s", "s")
        await settle(pilot)
        assert request_named(demo_repo, "Tiered pricing").status is RequestStatus.BACKLOG
        key = screen.board_table.current_key
        assert key == f"request:{request_named(demo_repo, 'Tiered pricing').id}"


async def test_s_does_nothing_on_the_health_table_and_f_nothing_on_the_board(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = [r.status for r in demo_repo.feature_requests()]
        await pilot.press("s")
        await settle(pilot)
        assert [r.status for r in demo_repo.feature_requests()] == before
        await pilot.press("b", "f")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)


# -- the health model comes from the config ---------------------------------------------------


async def test_weights_and_bands_from_the_config_change_the_scores_on_screen(
    demo_repo: Repository,
) -> None:
    voice_only = HealthModel(
        weights=HealthWeights(nps=1, usage=0, features=0, tickets=0, churn_risk=0, renewal=0),
        red_below=40,
        green_from=90,
    )
    default_app = demo_app(demo_repo, screen="customers")
    async with default_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        default = {
            r.customer.name: r.health.score for r in screen_of(default_app).visible_customers()
        }
    app = demo_app(demo_repo, screen="customers", config=Config(health=voice_only))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        rows = {r.customer.name: r for r in screen.visible_customers()}
        # Only NPS counts: (NPS + 100) / 2 points. Pacífico Foods: NPS +66.7 gives 83.
        assert rows["Pacífico Foods"].health.score == 83 != default["Pacífico Foods"]
        assert rows["Pacífico Foods"].health.band is HealthBand.YELLOW  # green from 90 here
        assert rows["Orbit Payments"].health.score == 100
        assert rows["Harbor & Pine"].health.score == 0
        key = f"customer:{rows['Pacífico Foods'].customer.id}"
        assert cells(screen.health_table, key)["health"].startswith(" 83 ● Yellow")
        await select_customer(pilot, "Pacífico Foods")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        why = str(detail.query_one("#why", Static).render())
        assert "Red < 40 ≤ Yellow < 90 ≤ Green" in why
        assert f"{'NPS':<11}{'+66.7 (3 responses)':<26}{100.0:>7.1f}{83.4:>8.1f}" in why


# -- filter and sort --------------------------------------------------------------------------


async def test_the_filter_matches_name_company_and_csm_and_escape_clears(
    demo_repo: Repository,
) -> None:
    company_c = next(c for c in demo_repo.companies() if c.name == "Company C")
    demo_repo.update(company_c.model_copy(update={"name": "Andean Fintech"}))
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("slash", *"harbor")
        await pilot.pause()
        assert [r.customer.name for r in screen.visible_customers()] == ["Harbor & Pine"]
        assert len(row_keys(screen.health_table)) == 1
        screen.filter_input.value = "fintech"
        await pilot.pause()
        assert {r.customer.name for r in screen.visible_customers()} == {
            "Granite Capital",
            "Lumen Insurance",
            "Meridian Bank",
            "Orbit Payments",
            "Quayside Credit Union",
        }
        screen.filter_input.value = "HANA fintech"
        await pilot.pause()
        assert {r.customer.name for r in screen.visible_customers()} == {
            "Lumen Insurance",
            "Quayside Credit Union",
        }
        await pilot.press("escape")
        await pilot.pause()
        assert screen.filter_input.value == ""
        assert len(row_keys(screen.health_table)) == 16
        assert app.focused is screen.health_table


async def test_o_sorts_by_the_next_column_O_reverses_and_a_heading_click_sorts(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("o")  # health → csm
        assert screen.sorting["health"] == ("csm", False)
        await pilot.press("o")  # csm → renewal
        renewals = [r.customer.renewal_date for r in screen.visible_customers()]
        assert renewals == sorted(renewals)  # type: ignore[type-var]
        await pilot.press("O")
        renewals = [r.customer.renewal_date for r in screen.visible_customers()]
        assert renewals == sorted(renewals, reverse=True)  # type: ignore[type-var]
        # The ARR heading starts after the flag (1), customer (20) and company (9) columns.
        await pilot.click(screen.health_table, offset=(33, 0))
        await pilot.pause()
        assert screen.sorting["health"] == ("arr", False)
        arr = [r.customer.arr for r in screen.visible_customers()]
        assert arr == sorted(arr)
        first = screen.health_table.row_at(0)
        assert first is not None and first.key == row_keys(screen.health_table)[0]
        assert cells(screen.health_table, first.key)["arr"] == "$42k"
        await pilot.click(screen.health_table, offset=(33, 0))
        await pilot.pause()
        assert screen.sorting["health"] == ("arr", True)
        assert cells(screen.health_table, row_keys(screen.health_table)[0])["arr"] == "$320k"


# -- text from the workspace is text ----------------------------------------------------------


async def test_markup_in_customer_names_and_feedback_is_shown_literally(
    demo_repo: Repository,
) -> None:
    company = demo_repo.companies()[0]
    assert company.id is not None
    odd = demo_repo.add(Customer(name=MARKUP, company_id=company.id))
    assert odd.id is not None
    demo_repo.add(
        FeedbackEntry(customer_id=odd.id, logged_on=DEMO_TODAY, kind=FeedbackKind.BUG, text=MARKUP)
    )
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await select_customer(pilot, MARKUP)
        row = screen.health_table.current
        assert row is not None
        assert row.cells[1].plain == MARKUP and row.cells[1].spans == []
        await pilot.click(screen.health_table, offset=(4, screen.health_table.cursor + 1))
        await pilot.pause()
        assert app.is_running
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetail)
        assert MARKUP in str(detail.query_one("#detail-title", Static).render())
        assert MARKUP in str(detail.query_one("#feedback-text", Static).render())
        assert (
            cells(detail.query_one(VirtualTable), f"feedback:{demo_repo.feedback(odd.id)[0].id}")[
                "text"
            ]
            == MARKUP
        )
        await pilot.press("escape")
        await pilot.pause()
        # A request created from the picker keeps the markup as its title, shown as text.
        await log_feature_request(pilot, "wants it")
        await pilot.press(*MARKUP, "enter")
        await settle(pilot)
        await pilot.press("b")
        created = request_named(demo_repo, MARKUP)
        assert cells(screen.board_table, f"request:{created.id}")["title"] == MARKUP
        assert app.is_running


# -- keys -------------------------------------------------------------------------------------


def test_every_customer_binding_has_an_id_a_description_and_a_tooltip() -> None:
    for owner in (CustomersScreen, CustomerDetail, FeedbackForm, RequestPicker, RequestDetail):
        for binding in owner.BINDINGS:
            if binding is PRIVACY_BINDING:  # the session's one privacy key, in every dialog
                continue
            assert binding.id and binding.id.startswith("customers."), binding  # type: ignore[union-attr]
            assert binding.description, binding  # type: ignore[union-attr]
            assert binding.tooltip, binding  # type: ignore[union-attr]


async def test_help_lists_the_customer_keys_of_the_current_view(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = {entry.description: entry.keys for entry in help_screen.groups["Customers"]}
        assert keys["Filter"] == "/"
        assert keys["Feedback"] == "f"
        assert keys["Escalate"] == "E"
        assert keys["Request board"] == "b"
        assert "Status" not in keys  # a board key
        await pilot.press("escape", "b", "question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = {entry.description: entry.keys for entry in help_screen.groups["Customers"]}
        assert keys["Status"] == "s" and keys["Customer health"] == "b"
        assert "Feedback" not in keys


async def test_the_command_palette_jumps_to_a_customer(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quayside")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        screen = screen_of(app)
        row = screen.selected_customer()
        assert row is not None and row.customer.name == "Quayside Credit Union"


# -- the repository behind it -----------------------------------------------------------------


def test_linking_feedback_to_a_new_request_is_one_transaction(
    demo_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    granite = customer_named(demo_repo, "Granite Capital")
    assert granite.id is not None
    entry = demo_repo.add(
        FeedbackEntry(
            customer_id=granite.id,
            logged_on=DEMO_TODAY,
            kind=FeedbackKind.FEATURE_REQUEST,
            text="Slack alerts",
        )
    )
    assert entry.id is not None
    requests = demo_repo.feature_requests()

    def broken(model: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_repo, "_update", broken)
    with pytest.raises(RuntimeError):
        demo_repo.link_feedback(entry.id, FeatureRequest(title="Slack alerts"))
    monkeypatch.undo()
    assert demo_repo.feature_requests() == requests
    assert demo_repo.get(FeedbackEntry, entry.id) == entry

    stored = demo_repo.link_feedback(entry.id, FeatureRequest(title="Slack alerts"))
    assert stored.id is not None
    assert demo_repo.request_asker_ids()[stored.id] == [granite.id]
    assert demo_repo.request_feedback(stored.id) == [
        entry.model_copy(update={"request_id": stored.id})
    ]
    assert stored in demo_repo.customer_requests(granite.id)


def test_only_unlinked_feature_request_entries_can_be_linked(demo_repo: Repository) -> None:
    granite = customer_named(demo_repo, "Granite Capital")
    assert granite.id is not None
    praise = demo_repo.add(
        FeedbackEntry(
            customer_id=granite.id, logged_on=DEMO_TODAY, kind=FeedbackKind.PRAISE, text="ok"
        )
    )
    dashboards = request_named(demo_repo, "Real-time dashboards")
    with pytest.raises(ValueError, match="feature-request"):
        demo_repo.link_feedback(praise.id or 0, dashboards)
    linked = next(e for e in demo_repo.feedback(granite.id) if e.request_id is not None)
    with pytest.raises(ValueError, match="already linked"):
        demo_repo.link_feedback(linked.id or 0, dashboards)
    with pytest.raises(NotFoundError):
        demo_repo.link_feedback(10_000, dashboards)
    assert granite.id not in askers(demo_repo, "Real-time dashboards")


def test_escalating_a_customer_that_is_gone_is_refused(demo_repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        demo_repo.set_customer_escalated(10_000, True)
    assert demo_repo.set_customer_escalated(
        customer_named(demo_repo, "Granite Capital").id or 0, True
    ).escalated


async def test_health_and_nps_show_their_change_since_the_last_snapshot(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        rows = {r.customer.name: r for r in screen.visible_customers()}
        key = f"customer:{rows['Harbor & Pine'].customer.id}"
        assert cells(screen.health_table, key)["health"] == " 28 ● Red ↓36"
        summary = str(screen.query_one("#summary").render())
        assert "vs 2026-W27" in summary
