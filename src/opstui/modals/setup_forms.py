"""The forms of the records a team sets up: companies, their products, people and roles.

Each is a `ModelForm`: errors show under their fields and what was typed stays. A name the
workspace already has is refused on the name field (the file would refuse it too), and the
company choices leave out retired companies unless one is the record's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from opstui.domain.enums import PersonRole
from opstui.domain.models import Company, Model, Person, Product
from opstui.domain.records import choosable
from opstui.modals.model_form import Field, ModelForm

N = TypeVar("N", bound=Model)


def _company_choices(
    companies: Sequence[Company], *keep: int | None
) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (c.name if c.retired_on is None else f"{c.name} (retired)", c.id)
        for c in choosable(companies, *keep)
        if c.id is not None
    )


def _values(record: Model | None, defaults: dict[str, Any]) -> dict[str, Any]:
    return record.model_dump() if record is not None else defaults


class _NamedForm(ModelForm[N]):
    """A form whose `name` must not repeat one in `taken` (compared ignoring case)."""

    kind = "record"

    def __init__(self, *args: Any, taken: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken

    def accept(self, value: N) -> N | None:
        name = str(getattr(value, "name", ""))
        if name.casefold() in self.taken:
            self.show_errors({"name": f"There is already a {self.kind} called {name}"})
            return None
        return value


class CompanyForm(_NamedForm[Company]):
    """Create or rename a company. Returns the company, or None when cancelled."""

    kind = "company"

    def __init__(
        self, company: Company | None, companies: Sequence[Company], title: str = ""
    ) -> None:
        values = _values(company, {})
        if not title:
            title = "New company" if company is None else f"Edit company: {company.name}"
        super().__init__(
            title,
            Company,
            (Field("name", "Company", required=True, hint="e.g. Company A"),),
            values,
            fixed=dict(values),
            taken={c.name.casefold() for c in companies if company is None or c.id != company.id},
        )


class ProductForm(_NamedForm[Product]):
    """Create or edit a product of a company (names repeat only across companies)."""

    kind = "product"

    def __init__(
        self,
        product: Product | None,
        companies: Sequence[Company],
        products: Sequence[Product],
        company_id: int | None = None,
    ) -> None:
        values = _values(product, {"company_id": company_id})
        own = product.company_id if product is not None else company_id
        title = "New product" if product is None else f"Edit product: {product.name}"
        super().__init__(
            title,
            Product,
            (
                Field("name", "Product", required=True),
                Field("company_id", "Company", "choice", _company_choices(companies, own), True),
            ),
            values,
            fixed=dict(values),
            taken=set(),
        )
        self.products = [p for p in products if product is None or p.id != product.id]

    def accept(self, value: Product) -> Product | None:
        self.taken = {p.name.casefold() for p in self.products if p.company_id == value.company_id}
        return super().accept(value)


ROLE_CHOICES: tuple[tuple[str, Any], ...] = tuple((role.value, role) for role in PersonRole)


class PersonForm(ModelForm[Person]):
    """Create or edit a person: name, role, company (or none), email."""

    def __init__(
        self,
        person: Person | None,
        companies: Sequence[Company],
        role: PersonRole = PersonRole.PRODUCT_MANAGER,
    ) -> None:
        only = [c.id for c in choosable(companies)]
        # With one company, a new person most likely works for it.
        values = _values(person, {"role": role, "company_id": only[0] if len(only) == 1 else None})
        own = person.company_id if person is not None else None
        title = "New person" if person is None else f"Edit person: {person.name}"
        super().__init__(
            title,
            Person,
            (
                Field("name", "Name", required=True),
                Field("role", "Role", "choice", ROLE_CHOICES, required=True),
                Field("company_id", "Company", "choice", _company_choices(companies, own)),
                Field("email", "Email", hint="name@example.com"),
            ),
            values,
            fixed=dict(values),
        )
