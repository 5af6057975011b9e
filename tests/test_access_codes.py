"""Personal access codes and signing in to a served session: a code is shown once and
stored only as a salted hash; a wrong, replaced or retired person's code is refused, counted
and answered more slowly each time; the signed-in person is who every change is recorded
as; nothing of the workspace shows before the code."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from opstui.app import OpsApp
from opstui.cli import main
from opstui.data.access_codes import (
    check_code,
    current_code_count,
    find_person,
    issue_code,
    parse_code,
    refusal_count,
    refusal_delay,
)
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.enums import PersonRole
from opstui.domain.models import Company, Person
from opstui.screens.sign_in import SignIn, SignInScreen
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, settle

NOW = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)


def _new(repo: Repository, person: Person) -> Person:
    return repo.add(person)


# -- codes ------------------------------------------------------------------------------------


def test_a_code_is_stored_only_as_a_salted_hash(demo_path: Path, demo_repo: Repository) -> None:
    ana = find_person(demo_repo, "ana ruiz")
    code = issue_code(demo_repo, ana, NOW)
    _, secret = parse_code(code) or ("", "")
    demo_repo.close()

    stored = demo_path.read_bytes() + b"".join(
        path.read_bytes() for path in demo_path.parent.glob("demo.db-*")
    )
    assert secret.encode() not in stored
    assert code.encode() not in stored
    again = Repository.open(demo_path)
    ((salt, hashed),) = again.db.execute("SELECT salt, hash FROM access_codes").fetchall()
    assert hashed.startswith("scrypt:") and secret not in hashed
    assert len(bytes.fromhex(salt)) == 16
    assert check_code(again, code, NOW).person == ana
    # The same secret under another salt hashes differently: nothing to look up in a table.
    other = issue_code(again, ana, NOW)
    hashes = [row[0] for row in again.db.execute("SELECT hash FROM access_codes")]
    assert len(set(hashes)) == 2 and other != code
    again.close()


def test_a_typed_code_forgives_case_spaces_dashes_and_look_alike_letters(
    demo_repo: Repository,
) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    code = issue_code(demo_repo, ana, NOW)
    sloppy = " " + code.upper().replace("-", " ").replace("1", "l").replace("0", "O") + " "
    assert check_code(demo_repo, sloppy, NOW).signed_in


def test_a_wrong_code_is_refused_counted_and_each_refusal_waits_longer(
    demo_repo: Repository,
) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    code = issue_code(demo_repo, ana, NOW)
    wrong_secret = code[:-1] + ("x" if code[-1] != "x" else "y")
    delays = []
    for attempt, typed in enumerate([wrong_secret, "not a code", "zzzzzz-" + code[7:]] * 3):
        result = check_code(demo_repo, typed, NOW + timedelta(seconds=attempt))
        assert not result.signed_in
        delays.append(refusal_delay(demo_repo, NOW + timedelta(seconds=attempt)))
    assert check_code(demo_repo, wrong_secret, NOW).outcome == "wrong"
    assert check_code(demo_repo, "nonsense", NOW).outcome == "unknown"
    assert refusal_count(demo_repo) == 11
    assert delays[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert delays[-1] == 30.0
    # The wait runs from the latest refusal: a new session waits only what is left of it.
    last = NOW + timedelta(seconds=8)
    assert refusal_delay(demo_repo, last + timedelta(seconds=10)) == 20.0
    assert refusal_delay(demo_repo, last + timedelta(seconds=31)) == 0.0
    # Refusals long past no longer slow anyone down; the right code still signs in.
    assert refusal_delay(demo_repo, NOW + timedelta(hours=1)) == 0.0
    assert check_code(demo_repo, code, NOW + timedelta(hours=1)).person == ana


def test_a_new_code_revokes_the_old_one(demo_repo: Repository) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    old = issue_code(demo_repo, ana, NOW)
    new = issue_code(demo_repo, ana, NOW + timedelta(minutes=1))
    refused = check_code(demo_repo, old, NOW)
    assert (refused.outcome, refused.signed_in, refused.person) == ("revoked", False, ana)
    assert check_code(demo_repo, new, NOW).signed_in
    assert current_code_count(demo_repo) == 1
    assert refusal_count(demo_repo) == 1


def test_a_retired_persons_code_no_longer_signs_in(demo_repo: Repository) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    code = issue_code(demo_repo, ana, NOW)
    assert ana.id is not None
    demo_repo.set_retired(Person, ana.id, date(2026, 7, 1))
    assert check_code(demo_repo, code, NOW).outcome == "retired"
    assert current_code_count(demo_repo) == 0
    with pytest.raises(ValueError, match="retired"):
        find_person(demo_repo, "Ana Ruiz")


def test_two_people_of_one_name_are_not_guessed_between(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "w.db")
    for _ in range(2):
        _new(repo, Person(name="Sam Lee", role=PersonRole.PRODUCT_MANAGER))
    with pytest.raises(ValueError, match="2 people are named 'Sam Lee'"):
        find_person(repo, "Sam Lee")
    with pytest.raises(ValueError, match="nobody named 'Kim'"):
        find_person(repo, "Kim")
    repo.close()


# -- the command ------------------------------------------------------------------------------


def test_people_code_prints_a_new_code_alone_on_stdout(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "code", str(demo_path), "Ana Ruiz"]) == 0
    out, err = capsys.readouterr()
    code = out.strip()
    assert parse_code(code) is not None and "\n" not in code
    assert "Ana Ruiz" in err and "no longer signs in" in err
    repo = Repository.open(demo_path)
    assert check_code(repo, code, NOW).signed_in
    repo.close()


def test_people_code_for_an_unknown_name_is_one_line_and_changes_nothing(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "code", str(demo_path), "Nobody Here"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "opstui: error: nobody named 'Nobody Here' in the workspace\n"
    repo = Repository.open(demo_path)
    assert current_code_count(repo) == 0
    repo.close()


def test_people_code_for_a_missing_workspace_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "code", str(tmp_path / "none.db"), "Ana"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


# -- the sign-in screen -----------------------------------------------------------------------


class Waits:
    """An instant `sleep` that remembers how long it was asked to wait, and a clock that
    moves on by as much."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.moment = NOW

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.moment += timedelta(seconds=seconds)

    def now(self) -> datetime:
        return self.moment


def _served_app(repo: Repository, waits: Waits, screen: str = "portfolio") -> OpsApp:
    return OpsApp(
        repo,
        as_of=DEMO_TODAY,
        screen=screen,
        save_settings=False,
        sign_in=SignIn(sleep=waits, now=waits.now),
    )


def _visible_text(app: OpsApp) -> str:
    svg = app.export_screenshot()
    return html.unescape(svg).replace("\xa0", " ")


async def _type(pilot: object, app: OpsApp, text: str) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press(*text, "enter")
    await settle(pilot)


async def test_a_served_session_shows_nothing_before_the_code_then_the_portfolio_as_that_person(
    demo_repo: Repository,
) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    code = issue_code(demo_repo, ana, NOW)
    names = [project.name for project in demo_repo.projects()]
    names += [person.name for person in demo_repo.people()]
    names += [company.name for company in demo_repo.all(Company)]
    names.append(demo_repo.name)
    waits = Waits()
    app = _served_app(demo_repo, waits)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        shown = _visible_text(app)
        assert "Sign in to opstui" in shown
        assert [name for name in names if name in shown] == []
        # Screen keys, help and the palette do nothing before sign-in.
        for key in ("alt+2", "alt+4", "ctrl+p", "question_mark"):
            await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert [name for name in names if name in _visible_text(app)] == []

        await _type(pilot, app, "wrong-code")
        assert isinstance(app.screen, SignInScreen)
        assert "That code is not right" in _visible_text(app)
        await _type(pilot, app, code[:-1] + ("x" if code[-1] != "x" else "y"))
        assert waits.asked == [1.0, 2.0]
        assert refusal_count(demo_repo) == 2
        assert app.session.signed_in is None

        await _type(pilot, app, code)
        assert app.session.signed_in == ana
        assert app.current_mode == "portfolio"
        assert any(name in _visible_text(app) for name in names[:3])
        assert demo_repo.person == "Ana Ruiz"

        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#checklist-table", VirtualTable)
        table.move_cursor(table.index_of("followup:Tuesday") or 0)
        await pilot.press("space")  # a follow-up checkpoint ticked: a change under her name
        await settle(pilot)
    (person,) = demo_repo.db.execute(
        "SELECT person FROM history WHERE entity = 'follow_ups' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert person == "Ana Ruiz"


async def test_a_new_session_right_after_a_refusal_elsewhere_waits_before_its_check(
    demo_repo: Repository,
) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    code = issue_code(demo_repo, ana, NOW)
    for _ in range(3):  # another browser, just now: 1 s, 2 s, then 4 s to wait
        check_code(demo_repo, "not-it", NOW)
    waits = Waits()
    app = _served_app(demo_repo, waits)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _type(pilot, app, code)
        assert waits.asked == [4.0]
        assert app.session.signed_in == ana


async def test_a_replaced_code_is_refused_on_the_sign_in_screen(demo_repo: Repository) -> None:
    ana = find_person(demo_repo, "Ana Ruiz")
    old = issue_code(demo_repo, ana, NOW)
    issue_code(demo_repo, ana, NOW)
    app = _served_app(demo_repo, Waits())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _type(pilot, app, old)
        assert isinstance(app.screen, SignInScreen)
        assert "replaced by a newer one" in _visible_text(app)
        assert app.session.signed_in is None


@pytest.mark.parametrize("companies", [0, 1])
async def test_signing_in_on_an_empty_or_one_company_workspace(
    tmp_path: Path, companies: int
) -> None:
    repo = Repository.create(tmp_path / "w.db")
    if companies:
        repo.add(Company(name="Solo Co"))
    sam = _new(repo, Person(name="Sam Lee", role=PersonRole.PRODUCT_MANAGER))
    code = issue_code(repo, sam, NOW)
    app = _served_app(repo, Waits(), screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Solo Co" not in _visible_text(app)
        await _type(pilot, app, code)
        assert app.session.signed_in == sam
        assert app.current_mode == "weekly"
    repo.close()


async def test_the_terminal_app_needs_no_code(demo_repo: Repository) -> None:
    app = OpsApp(demo_repo, as_of=DEMO_TODAY, save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, SignInScreen)
        assert app.current_mode == "portfolio"
        assert app.session.signed_in is None


def test_people_code_never_loads_textual(demo_path: Path) -> None:
    """A script that hands out codes stays as quick as the other script commands."""
    command = ["people", "code", str(demo_path), "Ana Ruiz"]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "opstui", *command],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert [name for name in imported if name.split(".")[0] in {"textual", "aiohttp"}] == []
