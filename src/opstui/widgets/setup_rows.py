"""Rows and lines of the setup screen: companies with their products under them, people with
their roles, the counts, and what a new workspace still lacks. Every cell is `Content`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual.content import Content

from opstui.domain.enums import PersonRole
from opstui.domain.models import Company, Person, Product
from opstui.domain.records import choosable
from opstui.widgets.virtual_table import Column, Row, text_cell

Tab = Literal["companies", "people"]
TABS: tuple[Tab, ...] = ("companies", "people")

COMPANY_COLUMNS = (
    Column("name", "Company / product", 40, min_width=24),
    Column("products", "Products", 10),
    Column("status", "Status", 24),
)
PEOPLE_COLUMNS = (
    Column("name", "Name", 28, min_width=16),
    Column("role", "Role", 18),
    Column("company", "Company", 20),
    Column("email", "Email", 30),
    Column("status", "Status", 22),
)
NEEDED_ROLES = (PersonRole.PRODUCT_MANAGER, PersonRole.ENGINEERING_LEAD)
"""Roles every portfolio needs (a project names its PM and engineering lead)."""

Record = Company | Product | Person


@dataclass(slots=True)
class SetupData:
    """Every company, product and person, retired ones included."""

    companies: list[Company]
    products: list[Product]
    people: list[Person]

    def company_names(self) -> dict[int, str]:
        return {c.id: c.name for c in self.companies if c.id is not None}


def key_hint(before: str, key: str, after: str) -> Content:
    """A line naming a key: "No companies yet — n adds one", the key in bold."""
    return Content.assemble(before, (key, "bold $accent"), after)


def status_cell(record: Record) -> Content:
    if record.retired_on is None:
        return Content("")
    return Content.styled(f"retired on {record.retired_on.isoformat()}", "italic")


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _matches(words: Sequence[str], *texts: str) -> bool:
    haystack = " ".join(texts).casefold()
    return all(word in haystack for word in words)


def company_rows(data: SetupData, show_retired: bool, words: Sequence[str]) -> list[Row]:
    """Each company, then its products indented under it. A company shows when its name
    matches the filter (with all its products) or one of its products does (with those)."""
    products: dict[int, list[Product]] = {}
    for product in data.products:
        products.setdefault(product.company_id, []).append(product)
    rows: list[Row] = []
    for company in data.companies:
        if company.retired_on is not None and not show_retired:
            continue
        every = products.get(company.id or -1, [])
        own = [p for p in every if show_retired or p.retired_on is None]
        if not _matches(words, company.name):
            own = [p for p in own if _matches(words, p.name)]
            if not own:
                continue
        active = sum(1 for p in every if p.retired_on is None)
        rows.append(
            Row(
                key=f"company:{company.id}",
                cells=(
                    text_cell(company.name, "bold"),
                    Content(plural(active, "product", "products")),
                    status_cell(company),
                ),
                style="dim" if company.retired_on else "",
            )
        )
        rows.extend(
            Row(
                key=f"product:{product.id}",
                cells=(
                    Content("   › ") + text_cell(product.name),
                    Content(""),
                    status_cell(product),
                ),
                style="dim" if product.retired_on or company.retired_on else "",
            )
            for product in own
        )
    return rows


def people_rows(data: SetupData, show_retired: bool, words: Sequence[str]) -> list[Row]:
    """Each person with role, company and email, filtered on any of them."""
    companies = data.company_names()
    rows = []
    for person in data.people:
        if person.retired_on is not None and not show_retired:
            continue
        company = companies.get(person.company_id or -1, "")
        if not _matches(words, person.name, person.role.value, company, person.email or ""):
            continue
        rows.append(
            Row(
                key=f"person:{person.id}",
                cells=(
                    text_cell(person.name),
                    Content(person.role.value),
                    text_cell(company),
                    text_cell(person.email or ""),
                    status_cell(person),
                ),
                style="dim" if person.retired_on else "",
            )
        )
    return rows


def setup_summary(data: SetupData, show_retired: bool) -> Content:
    """ "2 companies · 5 products · 7 people", and how many are retired."""
    counts = (
        plural(len(choosable(data.companies)), "company", "companies"),
        plural(len(choosable(data.products)), "product", "products"),
        plural(len(choosable(data.people)), "person", "people"),
    )
    parts: list[Content | str] = []
    for count in counts:
        parts += [" · " if parts else "", Content.styled(count, "bold")]
    records: list[Record] = [*data.companies, *data.products, *data.people]
    retired = sum(1 for record in records if record.retired_on is not None)
    if retired:
        shown = "shown dimmed, r hides them" if show_retired else "hidden, r shows them"
        parts.append(Content.styled(f"   {retired} retired ({shown})", "dim"))
    return Content.assemble(*parts)


def missing_hint(data: SetupData, tab: Tab) -> Content | None:
    """What the tab still lacks and the key that adds it, or None when nothing is missing."""
    if tab == "companies":
        if not data.companies:
            return key_hint("No companies yet — ", "n", " adds one")
        if not choosable(data.companies):
            return key_hint("Every company is retired — ", "n", " adds one, r shows them")
        if not choosable(data.products):
            return key_hint("No products yet — ", "p", " adds one to the highlighted company")
        return None
    people = choosable(data.people)
    if not people:
        return key_hint("No people yet — ", "n", " adds one")
    lacking = [role.value for role in NEEDED_ROLES if all(p.role is not role for p in people)]
    if lacking:
        return key_hint(f"No {' or '.join(lacking)} yet — ", "n", " adds one")
    return None


def first_lacking_role(people: Sequence[Person]) -> PersonRole:
    """The first needed role no active person has, so a first run fills them in order."""
    active = choosable(people)
    for role in NEEDED_ROLES:
        if all(p.role is not role for p in active):
            return role
    return PersonRole.PRODUCT_MANAGER
