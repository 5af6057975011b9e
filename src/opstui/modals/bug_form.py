"""The new-bug form: title, description, company and product (or none yet), priority or
untriaged, the security/compliance flag, the linked project and the customers affected.

The form receives the choices and hands a valid `NewBug` to the bugs screen's `save`, which
stores it: when storing fails the form stays open with what was typed and says why. Products,
projects and customers follow the company chosen; customers are picked from a list that
narrows as you type, so a workspace of thousands of customers opens the form at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from opstui.domain.enums import BugStatus, Priority
from opstui.domain.models import Bug, Company, Product
from opstui.modals.form_base import FormScreen
from opstui.widgets.data_select import DataSelect
from opstui.widgets.privacy import PRIVACY, shown_line

CUSTOMERS_SHOWN = 50
"""How many matching customers the list offers at once; typing narrows the rest."""

UNTRIAGED = "Untriaged: lands in the triage inbox"


@dataclass(frozen=True, slots=True)
class Named:
    """A record offered as a choice: its id, name and company."""

    id: int
    name: str
    company_id: int


@dataclass(frozen=True, slots=True)
class NewBug:
    """What the form returns: the bug to store and the customers it affects."""

    bug: Bug
    customer_ids: tuple[int, ...]


class BugForm(FormScreen[NewBug]):
    """Describe a new bug; returns a validated `NewBug`, or None when cancelled."""

    DEFAULT_CSS = """
    BugForm { align: center middle; }
    BugForm #form { width: 90; height: 90%; border: thick $accent; background: $surface; }
    BugForm #form-title { text-style: bold; padding: 0 1; height: 1; }
    BugForm #form-fields { height: 1fr; padding: 0 1; }
    BugForm .form-row { height: auto; }
    BugForm #field-description { height: 4; }
    BugForm #field-customers { height: 8; }
    BugForm #customer-filter { margin-top: 1; }
    BugForm #customer-hint { color: $text-muted; height: auto; }
    BugForm .field-error { color: $error; text-style: bold; display: none; height: auto; }
    BugForm #form-buttons { height: auto; align-horizontal: right; padding: 0 1; }
    BugForm #form-buttons Button { margin-left: 2; }
    """

    def __init__(
        self,
        *,
        opened_at: datetime,
        companies: Sequence[Company],
        products: Sequence[Product],
        projects: Sequence[Named],
        customers: Sequence[Named],
        save: Callable[[NewBug], str | None],
    ) -> None:
        super().__init__()
        self.save = save
        """Stores the bug; returns None, or what went wrong (the form then stays open)."""
        self.opened_at = opened_at
        self.companies = [c for c in companies if c.id is not None]
        self.products = [p for p in products if p.id is not None]
        self.projects = list(projects)
        self.customers = list(customers)
        self.chosen: dict[int, Named] = {}
        """The customers linked so far, by id, in the order they were ticked."""
        self.hidden = 0
        """How many matching customers the list leaves out (typing narrows them)."""

    # -- layout -------------------------------------------------------------------------------

    @staticmethod
    def _error(name: str) -> Static:
        return Static("", id=f"error-{name}", classes="field-error")

    def _row(self, label: str, editor: Any, name: str) -> ComposeResult:
        with Vertical(classes="form-row"):
            yield Label(Content(label))
            yield editor
            yield self._error(name)

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content("New bug (opened now)"), id="form-title")
            with VerticalScroll(id="form-fields"):
                yield from self._row(
                    "Title *", Input(placeholder="What is wrong", id="field-title"), "title"
                )
                yield from self._row(
                    "Description", TextArea(id="field-description", soft_wrap=True), "description"
                )
                yield from self._row(
                    "Company",
                    DataSelect(
                        [(c.name, c.id) for c in self.companies],
                        prompt="None yet",
                        id="field-company_id",
                    ),
                    "company_id",
                )
                yield from self._row(
                    "Product",
                    DataSelect[int](
                        [],
                        prompt="None",
                        empty="none: choose a company first",
                        id="field-product_id",
                    ),
                    "product_id",
                )
                yield from self._row(
                    "Priority",
                    DataSelect(
                        [(p.value, p) for p in Priority], prompt=UNTRIAGED, id="field-priority"
                    ),
                    "priority",
                )
                yield from self._row(
                    "Flags",
                    Checkbox("Security / compliance issue", id="field-security_flag"),
                    "security_flag",
                )
                yield from self._row(
                    "Linked project",
                    DataSelect(self._project_options(None), prompt="None", id="field-project_id"),
                    "project_id",
                )
                with Vertical(classes="form-row"):
                    yield Label(Content("Customers affected (space ticks)"))
                    yield Input(placeholder="Type to narrow the customers", id="customer-filter")
                    yield SelectionList[int](id="field-customers")
                    yield Static(id="customer-hint")
                    yield self._error("customers")
                yield self._error("__root__")
            with Horizontal(id="form-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#field-product_id", Select).disabled = True
        self._show_customers()
        self.set_focus(self.query_one("#field-title", Input))

    # -- choices that follow the company ----------------------------------------------------

    def company_id(self) -> int | None:
        value = self.query_one("#field-company_id", Select).value
        return value if isinstance(value, int) else None

    def _project_options(self, company_id: int | None) -> list[tuple[str, int]]:
        return [
            (p.name, p.id)
            for p in self.projects
            if company_id is None or p.company_id == company_id
        ]

    @on(Select.Changed, "#field-company_id")
    def _company_changed(self) -> None:
        company_id = self.company_id()
        products = [
            (p.name, p.id) for p in self.products if p.company_id == company_id and p.id is not None
        ]
        product = self.query_one("#field-product_id", DataSelect)
        product.prompt = "None" if products else "none: this company has no products yet"
        product.set_options(products)
        product.disabled = not products
        self.query_one("#field-project_id", DataSelect).set_options(
            self._project_options(company_id)
        )
        if company_id is not None:
            # A bug of one company affects that company's customers only.
            self.chosen = {
                key: named for key, named in self.chosen.items() if named.company_id == company_id
            }
        self._show_customers()

    @on(Input.Changed, "#customer-filter")
    def _filter_changed(self) -> None:
        self._show_customers()

    def _show_customers(self) -> None:
        """The ticked customers first, then those matching the filter, up to a page."""
        company_id = self.company_id()
        words = self.query_one("#customer-filter", Input).value.casefold().split()
        matching = [
            named
            for named in self.customers
            if (company_id is None or named.company_id == company_id)
            and named.id not in self.chosen
            and all(word in PRIVACY.customer(named.name, named.id).casefold() for word in words)
        ]
        shown = [*self.chosen.values(), *matching[:CUSTOMERS_SHOWN]]
        listing = self.query_one("#field-customers", SelectionList)
        listing.clear_options()
        listing.add_options(
            [
                Selection(
                    Content(shown_line(PRIVACY.customer(named.name, named.id))),
                    named.id,
                    named.id in self.chosen,
                )
                for named in shown
            ]
        )
        # The first customer is under the cursor, so `space` ticks it straight away.
        listing.highlighted = 0 if shown else None
        self.hidden = len(matching) - min(len(matching), CUSTOMERS_SHOWN)
        self._show_hint(none_shown=not shown)

    def _show_hint(self, none_shown: bool = False) -> None:
        parts = [f"{len(self.chosen)} linked"]
        if not self.customers:
            parts = ["no customers yet"]
        elif none_shown:
            parts.append("none match")
        if self.hidden:
            parts.append(f"{self.hidden:,} more match: type to narrow")
        self.query_one("#customer-hint", Static).update(Content(" · ".join(parts)))

    @on(SelectionList.SelectionToggled, "#field-customers")
    def _customer_toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        customer_id = event.selection.value
        if customer_id in self.chosen:
            del self.chosen[customer_id]
        else:
            named = next((c for c in self.customers if c.id == customer_id), None)
            if named is not None:
                self.chosen[customer_id] = named
        self._show_hint()

    # -- the result ---------------------------------------------------------------------------

    def _choice(self, ident: str) -> Any:
        value = self.query_one(ident, Select).value
        return None if value is Select.NULL else value

    def accept(self, value: NewBug) -> NewBug | None:
        problem = self.save(value)
        if problem is not None:
            self.show_errors({"__root__": problem})
            return None
        return value

    def validated(self) -> NewBug:
        bug = Bug.model_validate(
            {
                "title": self.query_one("#field-title", Input).value,
                "description": self.query_one("#field-description", TextArea).text,
                "company_id": self.company_id(),
                "product_id": self._choice("#field-product_id"),
                "priority": self._choice("#field-priority"),
                "security_flag": self.query_one("#field-security_flag", Checkbox).value,
                "project_id": self._choice("#field-project_id"),
                "status": BugStatus.OPEN,
                "opened_at": self.opened_at,
            }
        )
        return NewBug(bug, tuple(self.chosen))
