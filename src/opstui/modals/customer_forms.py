"""The customer form and the NPS-responses form.

Both are `ModelForm`s: an error shows under its field in words and what was typed stays,
also when storing fails (the screen's `store` runs on save and its error is shown on the
form). The NPS form takes one date and one or several scores ("9 10 6 8", "9,10,6"), each
checked, and gives back the responses to store in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator
from pydantic import Field as ModelField

from opstui.domain.enums import ChurnRisk, PersonRole
from opstui.domain.models import Company, Customer, Model, NpsResponse, Person, Text
from opstui.domain.text import clean_line
from opstui.modals.model_form import Field, ModelForm

M = TypeVar("M", bound=Model)

NPS_LOW, NPS_HIGH = 0, 10
"""The survey's scale (the `NpsResponse` model holds it too)."""

_SEPARATORS = re.compile(r"[\s,;]+")


def parse_scores(value: Any) -> Any:
    """Scores typed as "9 10 6 8" or "9,10,6": each a whole number from 0 to 10."""
    if not isinstance(value, str):
        return value
    tokens = [token for token in _SEPARATORS.split(clean_line(value)) if token]
    if not tokens:
        raise ValueError(f"type a score from {NPS_LOW} to {NPS_HIGH} (several: 9 10 6)")
    scores = []
    for token in tokens:
        if not token.isdigit() or not NPS_LOW <= int(token) <= NPS_HIGH:
            shown = token if len(token) <= 12 else token[:11] + "…"
            raise ValueError(f"'{shown}' is not a score from {NPS_LOW} to {NPS_HIGH}")
        scores.append(int(token))
    return tuple(scores)


class NpsBatch(Model):
    """Survey responses typed at once: one date, one or several scores, one comment."""

    customer_id: int
    responded_on: date
    scores: Annotated[tuple[int, ...], BeforeValidator(parse_scores), ModelField(min_length=1)]
    comment: Text = ""

    def responses(self) -> list[NpsResponse]:
        """One response per score, in the order typed."""
        return [
            NpsResponse(
                customer_id=self.customer_id,
                score=score,
                responded_on=self.responded_on,
                comment=self.comment,
            )
            for score in self.scores
        ]


class StoringForm(ModelForm[M]):
    """A `ModelForm` that stores its model on save (`FormScreen.saving`): should storing
    fail, the form stays open with the reason and everything typed."""

    def __init__(
        self,
        title: str,
        model_type: type[M],
        fields: Sequence[Field],
        values: dict[str, Any],
        fixed: dict[str, Any],
        store: Callable[[Any, M], object],
        original: M | None = None,
    ) -> None:
        super().__init__(title, model_type, fields, values, fixed)
        self.saving(original, store)


def _people_choices(people: Sequence[Person], current: int | None) -> tuple[tuple[str, Any], ...]:
    """People in service (and whoever is set now), CSMs first, each with their role."""
    shown = [p for p in people if p.id is not None and (p.retired_on is None or p.id == current)]
    shown.sort(key=lambda p: (p.role is not PersonRole.CSM, p.name.casefold()))
    return tuple(
        (p.name if p.role is PersonRole.CSM else f"{p.name} ({p.role.value})", p.id) for p in shown
    )


class CustomerForm(StoringForm[Customer]):
    """Create or edit a customer; `store` writes it. Returns the customer as typed (with
    its id when edited), or None when cancelled."""

    HIDDEN_IN_PRIVACY = True

    def __init__(
        self,
        customer: Customer | None,
        companies: Sequence[Company],
        people: Sequence[Person],
        critical_features: int,
        store: Callable[[Customer | None, Customer], object],
    ) -> None:
        current_company = customer.company_id if customer else None
        current_csm = customer.csm_id if customer else None
        serving = tuple(
            (c.name, c.id)
            for c in companies
            if c.id is not None and (c.retired_on is None or c.id == current_company)
        )
        fields = (
            Field("name", "Customer", required=True),
            Field("company_id", "Served by (our company)", "choice", serving, required=True),
            Field("arr", "ARR ($)", hint="number, e.g. 180000"),
            Field("seats", "Seats", hint="number of licensed seats"),
            Field("active_users", "Active users", hint="people using it this month"),
            Field("csm_id", "CSM", "choice", _people_choices(people, current_csm)),
            Field("renewal_date", "Renewal date", hint="YYYY-MM-DD"),
            Field(
                "churn_risk",
                "Churn risk",
                "choice",
                tuple((risk.value, risk) for risk in ChurnRisk),
                required=True,
            ),
            Field(
                "critical_features_used",
                f"Critical features used (of {critical_features})",
                hint="number",
            ),
            Field("tickets_this_week", "Support tickets this week", hint="number"),
            Field("tickets_last_week", "Support tickets last week", hint="number"),
        )
        if customer is None:
            title = "New customer"
            values: dict[str, Any] = {"churn_risk": ChurnRisk.LOW}
            if len(serving) == 1:
                values["company_id"] = serving[0][1]
        else:
            title = f"Edit: {clean_line(customer.name)}"
            values = customer.model_dump()
        # What the form does not show (the id, the escalation, retirement) stays as it was.
        super().__init__(title, Customer, fields, values, dict(values), store, customer)

    def field_message(self, name: str, message: str) -> str:
        if name == "company_id":
            return "choose which of our companies serves this customer"
        if name == "churn_risk":
            return "choose Low, Medium or High"
        return message


class NpsForm(StoringForm[NpsBatch]):
    """One or several NPS responses from one customer on one date; `store` writes them."""

    HIDDEN_IN_PRIVACY = True

    def __init__(
        self,
        customer_id: int,
        customer_name: str,
        today: date,
        store: Callable[[None, NpsBatch], object],
    ) -> None:
        fields = (
            Field(
                "scores",
                f"Score {NPS_LOW}–{NPS_HIGH}, or several at once",
                hint="e.g. 9  or  9 10 6 8  or  9,10,6",
                required=True,
            ),
            Field("responded_on", "Date", hint="YYYY-MM-DD", required=True),
            Field("comment", "Comment (kept with each response)", "text"),
        )
        values: dict[str, Any] = {"responded_on": today.isoformat()}
        title = f"NPS responses from {clean_line(customer_name)}"
        super().__init__(title, NpsBatch, fields, values, {"customer_id": customer_id}, store)
