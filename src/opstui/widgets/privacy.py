"""Privacy mode: customer names and money hidden on every screen of the session.

One switch (`P`, or the command palette) for the whole session: every table cell, panel,
dialog, picker, palette hit and notification shows customers as "Customer 1", "Customer 2"
… and every amount of money as `MASKED_MONEY`, with the export's own rules (`Redactor`):
a name is also found inside other text, money also in free text. The header says that it
is on. The state belongs to the process, and a process is one session: one terminal, or
one browser connection of `opstui serve` (each runs its own process).

What is shown is masked; what is stored never is. Forms whose fields would show a hidden
value do not open while privacy is on (they say so), and a detail with such fields shows
them as masked text rather than as fields to edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input

from opstui.domain.text import clean_line, clean_text
from opstui.export.redact import MASKED_MONEY, Redactor

__all__ = ["MASKED_MONEY", "MONEY_FIELDS", "PRIVACY", "Privacy", "shown_line", "shown_text"]

MONEY_FIELDS = frozenset({"arr", "pipeline", "business_impact_arr", "revenue_impact"})
"""Fields holding money: a form shows them as dots in privacy mode (the value is kept)."""
PRIVACY_BINDING = Binding(
    "P",
    "app.privacy",
    "Privacy",
    id="app.privacy",
    show=False,
    tooltip="Hide customer names and money on every screen (again: show them)",
)
"""The one key of privacy mode: the app's, and the dialogs' that show customer data (a
dialog does not pass keys on to the app)."""
PRIVATE_WORDS = "Privacy mode is on: customer names and money are hidden"
HIDDEN_FORM_WORDS = "Privacy mode hides what this form edits: P turns it off"


class Privacy:
    """Whether customer names and money are hidden, and how they read when they are."""

    def __init__(self) -> None:
        self.active = False
        self._redactor = Redactor()

    def turn_on(self, customers: Iterable[tuple[int | None, str]]) -> None:
        """Hide from now on; `customers` are every customer's (id, name), retired too."""
        self._redactor = Redactor(customers, active=True)
        self.active = True

    def renew(self, customers: Iterable[tuple[int | None, str]]) -> None:
        """The customers changed (a new one, a rename): hide those from now on."""
        if self.active:
            self.turn_on(customers)

    def turn_off(self) -> None:
        self._redactor = Redactor()
        self.active = False

    def customer(self, name: str, customer_id: int | None = None) -> str:
        """A customer's name, or its alias ("Customer 3")."""
        return self._redactor.customer(name, customer_id) if self.active else name

    def text(self, text: str) -> str:
        """Free text with customer names and money in it masked (on one line when masked)."""
        return self._redactor.text(text) if self.active else text

    def money(self, shown: str) -> str:
        """An amount already formatted ("$180k", "$1,200"), or the mask."""
        return MASKED_MONEY if self.active and shown not in ("", "—") else shown


PRIVACY = Privacy()
"""The session's privacy mode: the app turns it on and off, everything shown consults it."""


def mask_money_inputs(node: DOMNode) -> None:
    """The money fields under `node` (`#field-arr`…) as dots in privacy mode, as typed
    otherwise; what they hold is kept either way."""
    for field in node.query(Input):
        if (field.id or "").removeprefix("field-") in MONEY_FIELDS:
            field.password = PRIVACY.active


def shown_line(value: str) -> str:
    """Data text as one line on screen: cleaned, and masked in privacy mode."""
    return clean_line(PRIVACY.text(value))


def shown_text(value: str) -> str:
    """Data text that keeps its lines on screen: cleaned, and masked in privacy mode (the
    masked text is one line)."""
    return clean_text(PRIVACY.text(value))
