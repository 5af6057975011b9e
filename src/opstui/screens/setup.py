"""Setup: the companies of the portfolio with their products, and the people with their roles
— created, edited, retired and brought back from the keyboard.

Two tabs. On Companies each company is a row with its products as rows under it: `n` adds a
company, `p` a product to the highlighted company. On People `n` adds a person. Deleting a
record others point at asks to retire it or hand its links to another record
(`RetireDialog`); retired records are hidden until `r` shows them, dimmed and marked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static, TabbedContent, TabPane

from opstui.domain.models import Company, Model, Person, Product
from opstui.domain.records import choosable
from opstui.domain.text import clean_line
from opstui.modals.model_form import ModelForm
from opstui.modals.retire_dialog import RetireChoice, RetireDialog
from opstui.modals.setup_forms import CompanyForm, PersonForm, ProductForm
from opstui.screens.base import not_saved_words
from opstui.screens.filtering import FilterableScreen
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.setup_rows import (
    COMPANY_COLUMNS,
    PEOPLE_COLUMNS,
    TABS,
    Record,
    SetupData,
    Tab,
    company_rows,
    first_lacking_role,
    missing_hint,
    people_rows,
    setup_summary,
)
from opstui.widgets.virtual_table import ListSource, VirtualTable

COMPANIES_ONLY = {"new_company", "new_product"}
PEOPLE_ONLY = {"new_person"}


class SetupScreen(FilterableScreen):
    """Companies and products, people and roles: the records every other screen picks from."""

    SCREEN_TITLE = "Setup"
    AUTO_FOCUS = "#companies-table"
    CSS_PATH = "../styles/setup.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="setup.filter",
            tooltip="Filter by name, product, role, company or email as you type",
        ),
        Binding("escape", "clear_filter", "Clear filter", id="setup.clear_filter", show=False),
        Binding("n", "new_company", "New company", id="setup.new_company", tooltip="Add a company"),
        Binding(
            "p",
            "new_product",
            "Add product",
            id="setup.new_product",
            tooltip="Add a product to the highlighted company",
        ),
        Binding("n", "new_person", "New person", id="setup.new_person", tooltip="Add a person"),
        Binding("enter", "open", "Edit", id="setup.open", show=False, tooltip="Edit the record"),
        Binding("e", "open", "Edit", id="setup.edit", tooltip="Edit the highlighted record"),
        Binding(
            "d",
            "delete",
            "Delete",
            id="setup.delete",
            tooltip="Delete; when others point at it, retire or reassign instead (asks)",
        ),
        Binding(
            "R",
            "restore",
            "Bring back",
            id="setup.restore",
            tooltip="Bring a retired record back into every picker",
        ),
        Binding(
            "r",
            "toggle_retired",
            "Retired",
            id="setup.toggle_retired",
            tooltip="Show or hide retired records (dimmed, marked retired)",
        ),
        Binding(
            "h",
            "tab(-1)",
            "Previous tab",
            id="setup.previous_tab",
            show=False,
            tooltip="Companies ⇄ people",
        ),
        Binding(
            "l",
            "tab(1)",
            "Next tab",
            id="setup.next_tab",
            show=False,
            tooltip="Companies ⇄ people",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: SetupData | None = None
        self.show_retired = False
        self.loaded = False
        """True once the first load has been shown (tests wait on it)."""

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Static(id="summary")
        yield Static(id="hint")
        yield Input(placeholder="Filter: name, product, role, company, email", id="filter")
        with TabbedContent(id="tabs", initial="companies"):
            with TabPane("Companies", id="companies"):
                yield VirtualTable(COMPANY_COLUMNS, id="companies-table")
            with TabPane("People", id="people"):
                yield VirtualTable(PEOPLE_COLUMNS, id="people-table")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.refresh_header()
        self.load()

    @property
    def tab(self) -> Tab:
        active = self.query_one(TabbedContent).active
        return "people" if active == "people" else "companies"

    @property
    def table(self) -> VirtualTable:
        return self.query_one(f"#{self.tab}-table", VirtualTable)

    @property
    def is_loaded(self) -> bool:
        return self.loaded

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="setup-load", exit_on_error=False)
    def load(self, keep: str | None = None) -> None:
        with self.session.reading() as repo:
            data = SetupData(repo.companies(), repo.products(), repo.people())
        self.app.call_from_thread(self._loaded, data, keep)

    def _loaded(self, data: SetupData, keep: str | None) -> None:
        self.data = data
        self.show_rows(keep)
        self.loaded = True
        self.apply_pending_entity()

    def data_changed(self) -> None:
        self.load(self.table.current_key)

    # -- showing ------------------------------------------------------------------------------

    def show_rows(self, keep: str | None = None) -> None:
        if self.data is None:
            return
        data, retired = self.data, self.show_retired
        words = self.filter_input.value.casefold().split()
        for tab in TABS:
            table = self.query_one(f"#{tab}-table", VirtualTable)
            rows = (company_rows if tab == "companies" else people_rows)(data, retired, words)
            table.set_source(ListSource(rows), keep=keep or table.current_key)
        self.query_one("#summary", Static).update(setup_summary(data, retired))
        hint = missing_hint(data, self.tab)
        widget = self.query_one("#hint", Static)
        widget.update(hint or Content(""))
        widget.display = hint is not None

    # -- the selection ------------------------------------------------------------------------

    def selected(self) -> Record | None:
        key = self.table.current_key
        if key is None or self.data is None:
            return None
        kind, _, tail = key.partition(":")
        if not tail.isdigit():
            return None
        kinds: dict[str, Sequence[Record]] = {
            "company": self.data.companies,
            "product": self.data.products,
            "person": self.data.people,
        }
        return next((r for r in kinds.get(kind, ()) if r.id == int(tail)), None)

    def _company_of_selection(self) -> int | None:
        record = self.selected()
        if isinstance(record, Company):
            return record.id
        if isinstance(record, Product):
            return record.company_id
        return None

    def describe(self, record: Record) -> str:
        if isinstance(record, Product) and self.data is not None:
            company = self.data.company_names().get(record.company_id, "")
            return f"{record.name} ({company})" if company else record.name
        return record.name

    @staticmethod
    def key_of(record: Model) -> str:
        kind = {Company: "company", Product: "product", Person: "person"}[type(record)]
        return f"{kind}:{getattr(record, 'id', '')}"

    # -- writing ------------------------------------------------------------------------------

    def _save(self, change: Callable[[], str | None], message: str) -> bool:
        """Run one write (one transaction); report a failure where the user is; reload.

        `change` returns the key of the row to land on, if any.
        """
        try:
            keep = change()
        except Exception as error:  # the write failed as a whole: nothing was stored
            self.notify(not_saved_words(error, self.session.repo.path), severity="error")
            return False
        self.notify(message)
        self.ops.data_changed()
        self.load(keep or self.table.current_key)
        return True

    def _open_form(self, form: ModelForm[Any], original: Model | None, noun: str) -> None:
        """Open `form`, which stores the record before it closes (only the fields typed,
        never over a newer edit of them: a refused save keeps the form open as typed);
        then say so and land on the record."""
        repo = self.session.repo
        keys: list[str] = []

        def store(before: Model | None, record: Model) -> None:
            if getattr(record, "id", None) is None:
                keys.append(self.key_of(repo.add(record)))
            else:
                repo.save_edit(before, record)
                keys.append(self.key_of(record))

        def done(record: Model | None) -> None:
            if record is not None and keys:
                self.notify(f"{noun} added" if original is None else f"{noun} saved")
                self.ops.data_changed()
                self.load(keys[-1])

        self.app.push_screen(form.saving(original, store), done)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in COMPANIES_ONLY:
            return self.tab == "companies"
        if action in PEOPLE_ONLY:
            return self.tab == "people"
        return True

    def action_tab(self, step: int) -> None:
        index = (TABS.index(self.tab) + step) % len(TABS)
        self.query_one(TabbedContent).active = TABS[index]

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        if self.filter_input.value or self.filter_input.display:
            self.filter_input.value = ""
            self.filter_input.display = False
        self.show_rows()
        self.set_focus(self.table)
        self.refresh_bindings()

    @on(VirtualTable.Selected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_toggle_retired(self) -> None:
        self.show_retired = not self.show_retired
        self.show_rows()
        self.notify("Showing retired records" if self.show_retired else "Retired records hidden")

    def action_new_company(self) -> None:
        if self.data is None:
            return

        self._open_form(CompanyForm(None, self.data.companies), None, "Company")

    def action_new_product(self) -> None:
        if self.data is None:
            return
        if not choosable(self.data.companies):
            self.notify("A product belongs to a company: n adds a company first")
            return

        form = ProductForm(
            None, self.data.companies, self.data.products, self._company_of_selection()
        )
        self._open_form(form, None, "Product")

    def action_new_person(self) -> None:
        if self.data is None:
            return

        role = first_lacking_role(self.data.people)
        self._open_form(PersonForm(None, self.data.companies, role), None, "Person")

    def action_open(self) -> None:
        record = self.selected()
        if record is None or self.data is None:
            return
        form: ModelForm[Any]
        if isinstance(record, Company):
            form, noun = CompanyForm(record, self.data.companies), "Company"
        elif isinstance(record, Product):
            form, noun = ProductForm(record, self.data.companies, self.data.products), "Product"
        else:
            form, noun = PersonForm(record, self.data.companies), "Person"
        if record.id is not None:
            form.history = self.session.repo.history_of(type(record), record.id)
        self._open_form(form, record, noun)

    def action_restore(self) -> None:
        record = self.selected()
        if record is None or record.id is None:
            return
        name = clean_line(self.describe(record))
        if record.retired_on is None:
            self.notify(f"{name} is not retired")
            return
        repo, model, record_id = self.session.repo, type(record), record.id

        def restore() -> str:
            repo.set_retired(model, record_id, None)
            return self.key_of(record)

        self._save(restore, f"{name} is back in every picker")

    def reassign_targets(self, record: Record) -> list[tuple[str, int]]:
        """Who can take over `record`'s links: other records of its kind, not retired (a
        product's links go only to another product of its company)."""
        assert self.data is not None
        candidates: list[Record]
        if isinstance(record, Company):
            candidates = list(choosable(self.data.companies))
        elif isinstance(record, Product):
            candidates = [
                p for p in choosable(self.data.products) if p.company_id == record.company_id
            ]
        else:
            candidates = list(choosable(self.data.people))
        return [
            (f"{c.name} ({c.role.value})" if isinstance(c, Person) else c.name, c.id)
            for c in candidates
            if c.id is not None and c.id != record.id
        ]

    def action_delete(self) -> None:
        record = self.selected()
        if record is None or record.id is None:
            return
        self._ask_delete(record, record.id)

    @work(thread=True, exclusive=True, group="setup-dependents", exit_on_error=False)
    def _ask_delete(self, record: Record, record_id: int) -> None:
        # Counting links reads every table that points at the record: off the UI thread.
        with self.session.reading() as repo:
            dependents = repo.dependents(type(record), record_id)
        self.app.call_from_thread(self._show_retire_dialog, record, record_id, dependents)

    def _show_retire_dialog(
        self, record: Record, record_id: int, dependents: dict[str, int]
    ) -> None:
        name = clean_line(self.describe(record))
        repo, model, today = self.session.repo, type(record), self.session.today
        targets = self.reassign_targets(record)

        def chosen(choice: RetireChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "delete":
                self._save(lambda: repo.delete(model, record_id), f"{name} deleted")
            elif choice.action == "reassign" and choice.to_id is not None:
                to_id = choice.to_id
                target = next((label for label, value in targets if value == to_id), "")
                self._save(
                    lambda: repo.reassign_and_delete(model, record_id, to_id),
                    f"{name} deleted; its links now point at {target}",
                )
            elif choice.action == "retire":
                if record.retired_on is not None:
                    self.notify(f"{name} is already retired")
                    return
                hidden = "" if self.show_retired else " (r shows retired records)"
                self._save(
                    lambda: repo.set_retired(model, record_id, today),
                    f"{name} retired: hidden from pickers, kept in history{hidden}",
                )

        self.app.push_screen(RetireDialog(name, dependents, targets), chosen)
