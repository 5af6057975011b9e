"""Keeping customer records from the keyboard: add and edit a customer, add NPS responses
(one or several at once), retire, reassign or delete a customer, bring a retired one back.

Each flow is shared by the customers screen and a customer's detail: the form or dialog
collects and checks the input, then one repository call stores it in one transaction, and
`done` is told what changed (a message in words) so the caller can reload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.screen import Screen

from opstui.data.figures import CustomerFile, customer_file
from opstui.data.repository import Repository
from opstui.domain.models import Customer, FeatureRequest, FeedbackEntry
from opstui.domain.settings import HealthModel
from opstui.domain.text import clean_line
from opstui.modals.customer_forms import CustomerForm, NpsBatch, NpsForm
from opstui.modals.feedback_form import log_feedback
from opstui.modals.request_picker import link_to_request
from opstui.modals.retire_dialog import RetireChoice, RetireDialog
from opstui.widgets.customer_cells import plural
from opstui.widgets.privacy import PRIVACY

Done = Callable[[str, int | None], None]
"""Called after a write with what was stored, in words, and the customer to show."""

NO_COMPANY = "A customer needs the company that serves it: add a company first (5 Setup)"


def edit_customer(
    screen: Screen[Any],
    repo: Repository,
    customer: Customer | None,
    critical_features: int,
    done: Done,
) -> None:
    """The customer form: a new customer when `customer` is None, else that one edited."""
    companies = repo.companies()
    if customer is None and not any(company.retired_on is None for company in companies):
        screen.notify(NO_COMPANY, severity="warning")
        return

    stored: list[int | None] = []

    def store(original: Customer | None, typed: Customer) -> object:
        if typed.id is None:
            stored.append(repo.add(typed).id)
        else:  # only the fields typed, and never over someone else's newer edit of them
            repo.save_edit(original, typed)
            stored.append(typed.id)
        return None

    def saved(typed: Customer | None) -> None:
        if typed is not None:
            name = clean_line(typed.name)
            done(f"{name} added" if customer is None else f"{name} saved", stored[-1])

    form = CustomerForm(customer, companies, repo.people(), critical_features, store)
    screen.app.push_screen(form, saved)


def add_nps(
    screen: Screen[Any], repo: Repository, customer: Customer, today: date, done: Done
) -> None:
    """The NPS form for one customer: one response or several on one date."""
    if customer.id is None:
        return

    def store(_original: None, batch: NpsBatch) -> object:
        return repo.add_nps_responses(batch.responses())

    def saved(batch: NpsBatch | None) -> None:
        if batch is not None:
            scores = " ".join(str(score) for score in batch.scores)
            message = f"{clean_line(customer.name)}: {plural(len(batch.scores), 'response')}"
            done(f"{message} added ({scores})", customer.id)

    screen.app.push_screen(NpsForm(customer.id, customer.name, today, store), saved)


def retire_customer(
    screen: Screen[Any], repo: Repository, customer: Customer, today: date, done: Done
) -> None:
    """`d` on a customer: a plain delete when nothing depends on it; otherwise what depends
    on it, and retire it (hidden, kept in history) or hand its links to another customer."""
    customer_id = customer.id
    if customer_id is None:
        return
    name = clean_line(customer.name)
    if customer.retired_on is not None:
        screen.notify(f"{name} is already retired (R brings it back)", severity="warning")
        return
    others = [
        (PRIVACY.customer(c.name, c.id), c.id)
        for c in repo.customers()
        if c.id is not None and c.id != customer_id
    ]

    def chosen(choice: RetireChoice | None) -> None:
        if choice is None:
            return
        try:
            if choice.action == "retire":
                repo.set_retired(Customer, customer_id, today)
                message = f"{name} retired: hidden from pickers, kept in history (r shows it)"
            elif choice.action == "reassign" and choice.to_id is not None:
                target = next((label for label, value in others if value == choice.to_id), "")
                repo.reassign_and_delete(Customer, customer_id, choice.to_id)
                message = f"{name} deleted; its links moved to {clean_line(target)}"
            elif choice.action == "delete":
                repo.delete(Customer, customer_id)
                message = f"{name} deleted"
            else:
                return
        except Exception as error:  # one transaction: nothing was changed
            screen.notify(f"Not saved: {error}", severity="error")
            return
        done(message, customer_id)

    dialog = RetireDialog(
        PRIVACY.customer(customer.name, customer_id),
        repo.dependents(Customer, customer_id),
        others,
    )
    screen.app.push_screen(dialog, chosen)


def restore_customer(screen: Screen[Any], repo: Repository, customer: Customer, done: Done) -> None:
    """`R` on a retired customer: back in service, in pickers and live figures again."""
    name = clean_line(customer.name)
    if customer.id is None or customer.retired_on is None:
        screen.notify(f"{name} is not retired", severity="warning")
        return
    try:
        repo.set_retired(Customer, customer.id, None)
    except Exception as error:  # one statement: nothing was changed
        screen.notify(f"Not saved: {error}", severity="error")
        return
    done(f"{name} is back in service", customer.id)


class WorkspaceCustomer:
    """One customer's detail on the workspace (`CustomerActions`): what the detail shows
    is read here, and each change it offers is written here."""

    def __init__(self, repo: Repository, customer_id: int, model: HealthModel, today: date) -> None:
        self.repo = repo
        self.customer_id = customer_id
        self.model = model
        self.today = today

    def load(self) -> CustomerFile:
        return customer_file(self.repo, self.customer_id, self.model, self.today)

    def escalate(self, raised: bool) -> None:
        self.repo.set_customer_escalated(self.customer_id, raised)

    def log_feedback(self, screen: Screen[Any], done: Callable[[], None]) -> None:
        customer = self.repo.get(Customer, self.customer_id)
        if customer is not None:
            log_feedback(screen, self.repo, self.customer_id, customer.name, self.today, done)

    def link(
        self,
        screen: Screen[Any],
        entry: FeedbackEntry,
        done: Callable[[FeatureRequest | None], None],
    ) -> None:
        link_to_request(screen, self.repo, entry, done)

    def edit(self, screen: Screen[Any], customer: Customer, done: Done) -> None:
        edit_customer(screen, self.repo, customer, self.model.critical_features, done)

    def add_nps(self, screen: Screen[Any], customer: Customer, done: Done) -> None:
        add_nps(screen, self.repo, customer, self.today, done)
