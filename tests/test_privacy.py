"""Privacy mode: one key hides customer names and money on every screen, dialog, picker,
palette hit, notification and export preview of the session, and the header says so."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from opstui.app import OpsApp
from opstui.data.repository import Repository
from opstui.domain.models import Company, Customer
from opstui.modals.bug_detail import BugDetail
from opstui.modals.customer_detail import CustomerDetail
from opstui.modals.export_preview import ExportPreview
from opstui.screens.customers import CustomersScreen
from opstui.screens.meeting import MeetingScreen
from opstui.widgets.privacy import PRIVACY
from tests.app_harness import SIZE, demo_app, settle

MONEY = re.compile(r"\$\s?\d")
"""An amount of money as the screens write it ("$180k", "$1,200", "$ 5")."""


def drawn(app: OpsApp) -> str:
    """The plain text the screen shows."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def named(text: str, names: list[str]) -> list[str]:
    """The customer names `text` shows."""
    return [name for name in names if name in text]


def leaks(text: str, names: list[str]) -> list[str]:
    """The customer names and amounts of money `text` shows."""
    text = text.replace("over $5K", "")  # a decision category's label, not data
    found = named(text, names)
    found += MONEY.findall(text)
    return found


@pytest.fixture
def names(demo_repo: Repository) -> list[str]:
    return [customer.name for customer in demo_repo.customers()]


async def test_every_screen_and_tab_hides_customer_names_and_money(
    demo_repo: Repository, names: list[str]
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = drawn(app)
        assert "Harbor & Pine" in shown and MONEY.search(shown)  # shown until turned on
        await pilot.press("P")
        await settle(pilot)
        assert PRIVACY.active
        seen = {}
        for key in ("alt+1", "alt+2", "alt+3", "alt+4", "alt+5"):
            await pilot.press(key)
            await settle(pilot)
            seen[key] = drawn(app)
            assert "PRIVATE" in seen[key], f"no indicator on screen {key}"
        await pilot.press("alt+3", "b")  # the request board
        await settle(pilot)
        seen["board"] = drawn(app)
        await pilot.press("4")
        await settle(pilot)
        for tab in range(6):  # every tab of the weekly screen
            await pilot.press("l")
            await settle(pilot)
            seen[f"weekly tab {tab}"] = drawn(app)
        for where, text in seen.items():
            assert not leaks(text, names), f"{where} shows {leaks(text, names)}"
        assert "Customer 1" in seen["alt+3"]
        # Off again: the names are back where they were.
        await pilot.press("alt+3", "b")
        await pilot.press("P")
        await settle(pilot)
        assert not PRIVACY.active
        assert "Harbor & Pine" in drawn(app) and "PRIVATE" not in drawn(app)


async def test_the_customer_detail_masks_and_redraws_when_toggled(
    demo_repo: Repository, names: list[str]
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetail)
        assert leaks(drawn(app), names)  # the detail names its customer and ARR
        await pilot.press("P")  # turned on with the dialog open: it redraws masked
        await settle(pilot)
        assert isinstance(app.screen, CustomerDetail)
        assert not leaks(drawn(app), names), leaks(drawn(app), names)
        await pilot.press("escape")
        await settle(pilot)
        assert not leaks(drawn(app), names)  # the screen under it was redrawn too


async def test_forms_editing_a_customer_do_not_open_and_money_fields_show_dots(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("e")  # edit the customer
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert any("Privacy mode hides" in n.message for n in app._notifications)
        before = demo_repo.customers()
        await pilot.press("n")  # nor a new one
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert demo_repo.customers() == before
        # A P0's detail keeps its figures but shows them as dots.
        await pilot.press("alt+2")
        await settle(pilot)
        bug = next(b for b in demo_repo.escalation_bugs() if b.revenue_impact is not None)
        app.screen.show_entity(bug.id or 0)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, BugDetail)
        revenue = detail.query_one("#field-revenue_impact", Input)
        assert revenue.password and revenue.value.startswith(str(int(bug.revenue_impact or 0)))
        await pilot.press("P")
        await settle(pilot)
        assert not revenue.password  # off again, with the dialog open


async def test_the_export_preview_stays_redacted(demo_repo: Repository, names: list[str]) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P", "e")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ExportPreview)
        text = preview.query_one(TextArea).text
        assert "Customer names and money amounts are redacted" in text
        assert not named(text, names)
        await pilot.press("ctrl+r")  # cannot be shown unredacted while privacy is on
        await settle(pilot)
        assert preview.query_one(TextArea).text == text


async def test_notifications_and_the_palette_use_the_aliases(
    demo_repo: Repository, names: list[str]
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("E")  # raise or clear the escalation of the first customer
        await settle(pilot)
        messages = " ".join(n.message for n in app._notifications)
        assert "escalat" in messages and not named(messages, names)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Customer 1")
        await settle(pilot)
        await pilot.pause(0.3)
        palette = drawn(app)
        assert re.search("Customer: Customer ?1", palette)
        assert not named(palette, names)


async def test_a_new_customer_added_elsewhere_is_hidden_too(
    demo_path: Path, demo_repo: Repository
) -> None:
    app = demo_app(demo_repo, screen="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        other = Repository.open(demo_path)
        company = other.companies()[0].id or 0
        other.add(Customer(name="Zephyr Dynamics", company_id=company, arr=50_000))
        other.close()
        app.check_external_writes()
        await settle(pilot)
        shown = drawn(app)
        assert "Zephyr" not in shown and "$50k" not in shown
        assert "17 customers" in shown


@pytest.mark.parametrize("companies", [0, 1])
async def test_privacy_mode_from_nothing(tmp_path: Path, companies: int) -> None:
    repo = Repository.create(tmp_path / "team.db")
    if companies:
        repo.add(Company(name="Acme Software"))
    app = demo_app(repo, screen="portfolio")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("P", "alt+1", "alt+2", "alt+3", "alt+4", "alt+5", "P"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running
        await pilot.press("P")
        await settle(pilot)
        assert "PRIVATE" in drawn(app)
    repo.close()


async def test_meeting_notes_stay_masked_and_a_note_is_added_after_them(
    demo_repo: Repository, names: list[str]
) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        key = meeting.section.key
        stored = demo_repo.meeting_notes("2026-W28")[key]
        notes = meeting.query_one("#meeting-notes", TextArea)
        assert notes.text == stored
        await pilot.press("P")
        await settle(pilot)
        assert not named(notes.text, names) and notes.read_only
        await pilot.press("e", *"Call the CFO", "escape")
        await settle(pilot)
        assert demo_repo.meeting_notes("2026-W28")[key] == f"{stored}\nCall the CFO"
        assert notes.read_only and "Call the CFO" in notes.text
        assert not named(drawn(app), names)
