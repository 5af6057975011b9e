"""Text another tool wrote into the workspace is shown as text, on every screen and form.

The workspace is the demo with hostile text in front of every free-text value and the
workspace's name (see `tests/hostile.py`): terminal control sequences, bidi overrides,
zero-width characters and live Textual markup. Each story opens one screen, detail view,
form or picker and checks what is drawn: nothing from data that a terminal would act on,
markup shown literally, and the app still running with no error dialog.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from opstui.app import OpsApp
from opstui.data.repository import Repository
from opstui.domain.text import clean_line, clean_text
from opstui.modals.error import ErrorDialog
from opstui.widgets.data_select import DataSelect
from opstui.widgets.header import WorkspaceHeader
from tests.app_harness import SIZE, demo_app, settle
from tests.hostile import CONTROLS, FORBIDDEN, LINK, MARKUP, poison

SOURCE = Path(__file__).resolve().parents[1] / "src" / "opstui"


@pytest.fixture
def hostile_repo(demo_path: Path) -> Iterator[Repository]:
    poison(demo_path)
    repo = Repository.open(demo_path)
    yield repo
    repo.close()


def drawn(app: OpsApp) -> tuple[str, str]:
    """What the screen shows: the raw SVG text, and the plain text a reader sees."""
    svg = app.export_screenshot()
    return svg, html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def assert_safe(app: OpsApp) -> str:
    """Nothing a terminal would act on is drawn; the app runs and shows no error."""
    assert app.is_running, "the app quit"
    assert not any(isinstance(screen, ErrorDialog) for screen in app.screen_stack)
    svg, text = drawn(app)
    leaked = [hex(ord(char)) for char in FORBIDDEN if char in svg]
    assert not leaked, f"{leaked} reached {app.screen}"
    return text


async def visit(pilot: Pilot[int], keys: list[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# Every screen, and every detail view, form and picker one or two keys away.
VISITS = {
    "portfolio": ("portfolio", []),
    "project form (edit)": ("portfolio", ["enter"]),
    "project form (new)": ("portfolio", ["n"]),
    "palette jump": ("portfolio", ["ctrl+p", "A", "C", "M", "E"]),
    "help": ("portfolio", ["question_mark"]),
    "bugs inbox": ("bugs", []),
    "bug detail": ("bugs", ["enter"]),
    "assign picker": ("bugs", ["a"]),
    "company picker": ("bugs", ["c"]),
    "duplicate picker": ("bugs", ["m"]),
    "all bugs": ("bugs", ["v"]),
    "bug filter form": ("bugs", ["v", "f"]),
    "bug detail from all bugs": ("bugs", ["v", "enter"]),
    "customers": ("customers", []),
    "customer detail": ("customers", ["enter"]),
    "feedback form": ("customers", ["f"]),
    "request board": ("customers", ["b"]),
    "request detail": ("customers", ["b", "enter"]),
    "weekly checklist": ("weekly", []),
    "pre-read dialog": ("weekly", ["enter"]),
    "action items": ("weekly", ["l"]),
    "action item form (edit)": ("weekly", ["l", "enter"]),
    "action item form (new)": ("weekly", ["l", "n"]),
    "decisions": ("weekly", ["l", "l"]),
    "decision form": ("weekly", ["l", "l", "enter"]),
    "escalations": ("weekly", ["l", "l", "l"]),
    "kpis": ("weekly", ["l", "l", "l", "l"]),
    "changes": ("weekly", ["l", "l", "l", "l", "l"]),
    "kpi form": ("weekly", ["K"]),
    "export preview": ("weekly", ["e"]),
    "meeting mode": ("weekly", ["m"]),
    "meeting mode, every section": ("weekly", ["m", *["n"] * 7]),
}


@pytest.mark.parametrize("where", list(VISITS))
async def test_control_sequences_from_data_never_reach_the_screen(
    hostile_repo: Repository, where: str
) -> None:
    mode, keys = VISITS[where]
    app = demo_app(hostile_repo, screen=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await visit(pilot, keys)
        text = assert_safe(app)
        if app.screen.query(WorkspaceHeader):
            # The header quotes the workspace's name, written by another tool: as text.
            assert f"{MARKUP}]52;c;" in text


def test_every_string_read_from_the_file_is_cleaned(hostile_repo: Repository) -> None:
    """Whatever table, column or meta key: the repository hands out no control character."""
    for table in [
        row["name"]
        for row in hostile_repo._rows("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]:
        if table.startswith("sqlite_"):
            continue
        for row in hostile_repo._rows(f"SELECT * FROM [{table}]"):
            for value in row.values():
                if isinstance(value, str):
                    assert value == clean_text(value), f"{table}: {value!r}"
    assert hostile_repo.name == clean_line(MARKUP + CONTROLS + LINK + " Team")


def test_control_characters_in_snapshot_json_do_not_come_back(hostile_repo: Repository) -> None:
    week = hostile_repo.snapshot_weeks()[0]
    escaped = "\\u001b]0;pwned\\u0007\\u009b2J\\u202e"
    hostile_repo.db.execute(
        "UPDATE snapshots SET data = json_set(data, '$.hostile', json(?)) WHERE week = ?",
        [f'"{escaped}x"', week],
    )
    text = hostile_repo.snapshot_json(week)
    data = hostile_repo.snapshot_data(week)
    assert text is not None and data is not None
    assert data["hostile"] == "]0;pwned2Jx"
    assert hostile_repo.snapshot_part(week, "hostile") == "]0;pwned2Jx"


# -- markup in data is text, in every dropdown --------------------------------------------------

FORMS_WITH_CHOICES = {
    "project form": ("portfolio", ["enter"]),
    "new project form": ("portfolio", ["n"]),
    "bug filter form": ("bugs", ["v", "f"]),
    "action item form": ("weekly", ["l", "n"]),
}


def test_no_dropdown_is_built_from_a_plain_select() -> None:
    """A plain `Select` reads text prompts as markup: every dropdown is a `DataSelect`."""
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name != "data_select.py" and re.search(r"\bSelect\(", path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("where", list(FORMS_WITH_CHOICES))
async def test_a_name_holding_markup_is_a_plain_option_and_clicking_it_does_nothing_else(
    hostile_repo: Repository, where: str
) -> None:
    mode, keys = FORMS_WITH_CHOICES[where]
    app = demo_app(hostile_repo, screen=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await visit(pilot, keys)
        selects = [s for s in app.screen.query(Select) if isinstance(s, DataSelect)]
        data_selects = [
            s
            for s in selects
            if any(isinstance(p, Text) and MARKUP in p.plain for p, _ in s._options)
        ]
        assert data_selects, "no dropdown lists a name from the data"
        for select in data_selects:
            for prompt, _ in select._options:
                assert isinstance(prompt, Text) or prompt == ""
            select.focus()
            await pilot.press("enter")  # open the dropdown
            await settle(pilot)
            assert MARKUP in assert_safe(app)
            # Click the first named option: a live `@click` would quit the app.
            overlay = select.query_one(SelectOverlay)
            named, value = next(
                (i, v) for i, (p, v) in enumerate(select._options) if MARKUP in str(p)
            )
            overlay.highlighted = named
            overlay.scroll_to_highlight()
            await settle(pilot)
            row = named - int(overlay.scroll_offset.y)
            await pilot.click(overlay, offset=(4, 1 + row))
            await settle(pilot)
            assert_safe(app)
            assert select.value == value


# -- numbers typed by users are bounded ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["#99999999999999999999999", "99999999999999999999999", "#²", "#٣"]
)
async def test_a_huge_or_odd_bug_number_in_the_filter_finds_nothing_and_breaks_nothing(
    demo_repo: Repository, typed: str
) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await visit(pilot, ["v", "slash"])
        for char in typed:
            await pilot.press(char)
        await settle(pilot)
        assert_safe(app)
        assert app.screen.query_one("#filter", Input).value == typed


@pytest.mark.parametrize("typed", ["+99999999999999999999", "+36501", "+²"])
async def test_snoozing_further_than_a_date_can_reach_is_refused_on_the_field(
    demo_repo: Repository, typed: str
) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await visit(pilot, ["z"])
        field = app.screen.query_one("#date", Input)
        field.value = typed
        await visit(pilot, ["enter"])
        assert_safe(app)
        assert "at most 36500" in drawn(app)[1]


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("customers_signed", "99999999999999999999999"),
        ("arr", "1e999"),
        ("arr", "nan"),
        ("uptime_pct", "inf"),
    ],
)
async def test_a_number_too_big_to_store_is_an_error_on_its_field(
    demo_repo: Repository, field: str, typed: str
) -> None:
    week = demo_repo.latest_review_week()
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await visit(pilot, ["K"])
        app.screen.query_one(f"#field-{field}", Input).value = typed
        await visit(pilot, ["ctrl+s"])
        assert_safe(app)
        error = app.screen.query_one(f"#error-{field}")
        assert error.display, f"{field}={typed} was accepted"
    assert week is not None
    stored = demo_repo.kpis(week)
    assert stored is None or getattr(stored, field) != float(typed.replace("1e999", "inf"))


def test_a_scratch_copy_keeps_the_checked_in_demo_untouched(
    demo_path: Path, tmp_path: Path
) -> None:
    """The fixture poisons a copy, never the demo the README opens."""
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(demo_path, pristine)
    poison(demo_path)
    assert pristine.read_bytes() != demo_path.read_bytes()


async def test_typing_a_name_in_an_open_dropdown_jumps_to_it(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await visit(pilot, ["n"])
        select = app.screen.query_one("#field-pm_id", DataSelect)
        select.focus()
        await visit(pilot, ["enter", "T", "o", "m"])
        overlay = select.query_one(SelectOverlay)
        assert overlay.highlighted is not None
        prompt = overlay.get_option_at_index(overlay.highlighted).prompt
        assert str(prompt).startswith("Tom")
