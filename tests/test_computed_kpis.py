"""KPIs the app can compute are computed, never typed: one number per fact on every screen.

NPS, open bugs, support tickets this week and shipped requests come from the data and are
marked "computed" on the KPIs tab and in the export; the KPI form asks only for what comes
from outside. A frozen week keeps the computed figures it had.
"""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Input, Static, TabbedContent, TextArea

from opstui.app import OpsApp
from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.review import review_snapshots, stored_snapshot
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.domain.customers import nps
from opstui.domain.enums import RequestStatus
from opstui.domain.models import Customer, FeatureRequest, Kpis
from opstui.domain.snapshot import SNAPSHOT_VERSION
from opstui.export.markdown import render_week
from opstui.export.numbers import score
from opstui.modals.export_preview import ExportPreview
from opstui.modals.model_form import ModelForm
from opstui.screens.customers import CustomersScreen
from opstui.screens.weekly import WeeklyScreen
from opstui.widgets.customer_cells import nps_text, nps_value
from tests.app_harness import SIZE, demo_app, settle

NOW = datetime(2026, 7, 6, 9, 0)
CONFIG = Config()


def weekly(app: OpsApp) -> WeeklyScreen:
    screen = app.screen
    assert isinstance(screen, WeeklyScreen)
    return screen


def kpis_text(app: OpsApp) -> str:
    return str(weekly(app).query_one("#kpis-view", Static).render())


def kpi_line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(label))


def export_line(markdown: str, start: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"- {start}"))


def every_score(repo: Repository) -> list[int]:
    return [value for own in repo.nps_scores().values() for value in own]


async def test_the_kpis_tab_and_export_show_the_nps_the_customers_screen_computes(
    demo_repo: Repository,
) -> None:
    typed = demo_repo.kpis(DEMO_WEEK)
    assert typed is not None and typed.nps == 40  # typed by hand before: it must not show
    tickets = sum(customer.tickets_this_week for customer in demo_repo.customers())
    app = demo_app(demo_repo, screen="customers", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        customers = app.screen
        assert isinstance(customers, CustomersScreen) and customers.data is not None
        overall, responses = customers.data.overall_nps, customers.data.responses
        assert overall is not None and responses == 84
        summary = str(customers.query_one("#summary", Static).render())
        assert f"NPS {nps_text(overall, responses)}" in summary

        await pilot.press("g", "w")
        await settle(pilot)
        screen = weekly(app)
        screen.query_one(TabbedContent).active = "kpis"
        await settle(pilot)
        assert screen.data is not None and screen.data.computed is not None
        assert screen.data.computed.nps == overall
        text = kpis_text(app)
        line = kpi_line(text, "NPS")
        assert f"{nps_value(overall)} from 84 responses" in line and "computed" in line
        assert "40" not in line
        assert f"{tickets} across all customers" in kpi_line(text, "Support tickets this week")
        assert "computed" in kpi_line(text, "Support tickets this week")
        assert kpi_line(text, "Shipped feature requests").split()[3] == "1"
        assert "1 P0, 16 P1, 55 P2, 21 P3" in kpi_line(text, "Open bugs")
        assert "ARR" in text and "$2,285,000" in kpi_line(text, "ARR")  # typed, not marked
        assert "computed" not in kpi_line(text, "ARR")

        await pilot.press("e")
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, ExportPreview)
        markdown = preview.query_one(TextArea).text
    assert export_line(markdown, "NPS") == (
        f"- NPS (computed): {score(overall)} from 84 survey responses (→ ±0 vs 2026-W27)"
    )
    assert export_line(markdown, "Support tickets") == (
        f"- Support tickets this week (computed): {tickets} across all customers (→ ±0 vs 2026-W27)"
    )
    assert export_line(markdown, "Shipped feature requests").startswith(
        "- Shipped feature requests (computed): 1 "
    )
    assert export_line(markdown, "Open bugs") == "- Open bugs (computed): 1 P0, 16 P1, 55 P2, 21 P3"
    assert "Features shipped" not in markdown and "reported" not in markdown
    # The customers section of the same document says the same NPS.
    assert f"Overall NPS: {score(overall)}" in markdown


async def test_the_kpi_form_asks_only_for_outside_figures_and_keeps_old_stored_ones(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ModelForm)
        shown = {field.name for field in form.fields}
        assert shown == set(Kpis.typed_fields())
        assert not shown & {"nps", "support_tickets", "features_shipped"}
        assert not form.query("#field-nps")
        form.query_one("#field-story_points", Input).value = "110"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "110" in kpi_line(kpis_text(app), "Story points completed")
    stored = demo_repo.kpis(DEMO_WEEK)
    assert stored is not None and stored.story_points == 110
    # What an older version stored for the now-computed figures stays as it was, unread.
    assert (stored.nps, stored.support_tickets, stored.features_shipped) == (40, 46, 5)


async def test_a_frozen_week_keeps_its_computed_kpis_while_the_data_moves_on(
    demo_repo: Repository,
) -> None:
    tickets = demo_repo.support_tickets_this_week()
    app = demo_app(demo_repo, screen="weekly", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        frozen = stored_snapshot(demo_repo, DEMO_WEEK)
        assert frozen is not None and frozen.version == SNAPSHOT_VERSION
        assert frozen.nps == nps(every_score(demo_repo)) and frozen.nps_responses == 84
        assert frozen.support_tickets == tickets and frozen.shipped_requests == 1
        assert not {"nps", "support_tickets", "features_shipped"} & set(frozen.kpis)

        customer = demo_repo.customers()[0]
        demo_repo.update(
            customer.model_copy(update={"tickets_this_week": customer.tickets_this_week + 10})
        )
        request = next(
            r for r in demo_repo.feature_requests() if r.status is not RequestStatus.SHIPPED
        )
        demo_repo.update(request.model_copy(update={"status": RequestStatus.SHIPPED}))
        app.data_changed()
        weekly(app).query_one(TabbedContent).active = "kpis"
        await settle(pilot)
        text = kpis_text(app)
        assert f"{tickets} across all customers" in kpi_line(text, "Support tickets")
        await pilot.press("right_square_bracket")  # next week: not frozen, the data now
        await settle(pilot)
        text = kpis_text(app)
        assert f"{tickets + 10} across all customers" in kpi_line(text, "Support tickets")
        assert kpi_line(text, "Shipped feature requests").split()[3] == "2"
    assert demo_repo.support_tickets_this_week() == tickets + 10


def test_a_snapshot_frozen_before_computed_kpis_still_exports(demo_repo: Repository) -> None:
    # 2026-W27 as an older version froze it: version 3, the typed NPS 36 among the KPIs,
    # no responses count, tickets or shipped requests of its own.
    stored = demo_repo.snapshot_data("2026-W27")
    assert stored is not None
    for key in ("nps_responses", "support_tickets", "shipped_requests"):
        stored.pop(key, None)
    stored.update(version=3, kpis={**stored["kpis"], "nps": 36, "support_tickets": 52})
    demo_repo.freeze_snapshot("2026-W27", 3, NOW, stored, replace=True)
    before = stored_snapshot(demo_repo, "2026-W27")
    assert before is not None and before.support_tickets is None

    snapshot, previous = review_snapshots(
        demo_repo, "2026-W27", DEMO_TODAY, CONFIG.targets, CONFIG.health
    )
    old = render_week(snapshot, previous)
    assert export_line(old, "NPS") == "- NPS (computed): +11.9 (→ ±0 vs 2026-W26)"
    assert export_line(old, "Support tickets") == "- Support tickets this week (computed): —"
    assert export_line(old, "Shipped feature requests") == (
        "- Shipped feature requests (computed): —"
    )
    assert export_line(old, "Open bugs").startswith("- Open bugs (computed): 0 P0, 19 P1")

    # This week, compared with it: the figures it lacks have no change to show.
    snapshot, previous = review_snapshots(
        demo_repo, DEMO_WEEK, DEMO_TODAY, CONFIG.targets, CONFIG.health
    )
    markdown = render_week(snapshot, previous)
    assert export_line(markdown, "Support tickets") == (
        "- Support tickets this week (computed): 63 across all customers"
    )
    assert "52" not in export_line(markdown, "Support tickets")


def test_support_tickets_count_customers_in_service_only(demo_repo: Repository) -> None:
    tickets = demo_repo.support_tickets_this_week()
    assert tickets == sum(c.tickets_this_week for c in demo_repo.customers()) == 63
    acme = demo_repo.add(
        Customer(name="Retired Ltd", company_id=1, tickets_this_week=7, retired_on=DEMO_TODAY)
    )
    assert acme.id is not None
    assert demo_repo.support_tickets_this_week() == tickets
    demo_repo.add(FeatureRequest(title="Dark mode", status=RequestStatus.SHIPPED))
    assert demo_repo.shipped_request_count() == 2
