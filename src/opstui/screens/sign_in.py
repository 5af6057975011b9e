"""Sign-in of a served session: the personal access code, before anything of the workspace.

The screen shows no stored text at all (not the workspace's name, not a person's), so a
browser that has not signed in learns nothing. It returns the person the code belongs to;
a refusal waits (longer after each recent one, see `data/access_codes.refusal_delay`)
before the field can be used again, and an attempt soon after a refusal made elsewhere
waits out the rest of it before it is checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from opstui.data.access_codes import REFUSAL_MESSAGES, check_code, refusal_delay
from opstui.data.repository import Repository
from opstui.domain.models import Person


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SignIn:
    """A session that starts with sign-in (`opstui serve`): how it waits and what time it is
    (tests make both instant and fixed)."""

    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)
    now: Callable[[], datetime] = field(default=_utc_now)


class SignInScreen(Screen[Person]):
    """Ask for the personal access code; dismissed with the person it signs in."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical {
        width: 64; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    SignInScreen #sign-in-title { text-style: bold; }
    SignInScreen #sign-in-status { height: auto; margin-top: 1; }
    SignInScreen #sign-in-status.-refused { color: $error; text-style: bold; }
    """

    def __init__(self, repo: Repository, sign_in: SignIn) -> None:
        super().__init__()
        self.repo = repo
        self.sign_in = sign_in

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Sign in to opstui"), id="sign-in-title")
            yield Static(Content("Type your personal access code and press Enter."))
            yield Input(placeholder="xxxxxx-xxxxxx-xxxxxx-xxxxxx", password=True, id="sign-in-code")
            yield Static(Content("No code? Ask whoever runs this workspace."), id="sign-in-status")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    @on(Input.Submitted, "#sign-in-code")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        event.input.disabled = True
        self._status("Checking…", refused=False)
        self._check(event.value)

    @work(exclusive=True, group="sign-in")
    async def _check(self, typed: str) -> None:
        # Refusals made anywhere recently hold the next check back, in a new session too.
        if waiting := refusal_delay(self.repo, self.sign_in.now()):
            self._status(f"Checking… (wait {waiting:.0f} s)", refused=False)
            await self.sign_in.sleep(waiting)
        # Hashing takes a few tens of milliseconds; it runs on the app's own connection.
        result = check_code(self.repo, typed, self.sign_in.now())
        if result.signed_in and result.person is not None:
            self.dismiss(result.person)
            return
        message = REFUSAL_MESSAGES.get(result.outcome, REFUSAL_MESSAGES["wrong"])
        if delay := refusal_delay(self.repo, self.sign_in.now()):
            self._status(f"{message} (wait {delay:.0f} s)", refused=True)
            await self.sign_in.sleep(delay)
        self._status(message, refused=True)
        field = self.query_one(Input)
        field.value = ""
        field.disabled = False
        self.set_focus(field)

    def _status(self, text: str, *, refused: bool) -> None:
        status = self.query_one("#sign-in-status", Static)
        status.update(Content(text))
        status.set_class(refused, "-refused")
