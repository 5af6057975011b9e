"""Customer figures: NPS, the health score with the reason for each point, and the ranking
of feature requests by the customers asking for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from types import MappingProxyType

from opstui.domain.enums import ChurnRisk, HealthBand
from opstui.domain.models import Customer, FeatureRequest
from opstui.domain.settings import HealthModel

ROADMAP_CANDIDATE_MIN_CUSTOMERS = 3
"""A request asked for by this many customers or more is a roadmap candidate (seed)."""

NO_DATA = "no data"

# Factor keys (as in `HealthWeights`) in the order they are shown, with their labels.
_LABELS: dict[str, str] = {
    "nps": "NPS",
    "usage": "Usage",
    "features": "Features",
    "tickets": "Tickets",
    "churn_risk": "Churn risk",
    "renewal": "Renewal",
}

_CHURN_FRACTION: dict[ChurnRisk, float] = {
    ChurnRisk.LOW: 1.0,
    ChurnRisk.MEDIUM: 0.5,
    ChurnRisk.HIGH: 0.0,
}


_NO_PROBLEMS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """A customer as lists, snapshots and the export read it: the stored record's values,
    without the model that validates an edit (`model()` gives it, for the forms).

    The repository builds these straight from SQL for rows that fit the model as they are;
    a row that does not is read as the model first (stand-ins for its bad fields, its
    problems in `row_problems`), and the row keeps that model.
    """

    id: int | None
    name: str
    company_id: int
    arr: float
    csm_id: int | None
    renewal_date: date | None
    seats: int | None
    active_users: int | None
    critical_features_used: int | None
    tickets_this_week: int
    tickets_last_week: int
    churn_risk: ChurnRisk
    escalated: bool
    escalation_note: str
    retired_on: date | None
    source_key: str | None
    row_problems: Mapping[str, str] = field(default_factory=lambda: _NO_PROBLEMS)
    """What was wrong with the stored row, by field (see `Model.row_problems`)."""
    read_as: Customer | None = None
    """The model the row was read as, when it did not fit the model as stored."""

    @classmethod
    def of(cls, customer: Customer) -> CustomerRow:
        """The row of a customer read as its model."""
        return cls(
            id=customer.id,
            name=customer.name,
            company_id=customer.company_id,
            arr=customer.arr,
            csm_id=customer.csm_id,
            renewal_date=customer.renewal_date,
            seats=customer.seats,
            active_users=customer.active_users,
            critical_features_used=customer.critical_features_used,
            tickets_this_week=customer.tickets_this_week,
            tickets_last_week=customer.tickets_last_week,
            churn_risk=customer.churn_risk,
            escalated=customer.escalated,
            escalation_note=customer.escalation_note,
            retired_on=customer.retired_on,
            source_key=customer.source_key,
            row_problems=customer.row_problems,
            read_as=customer,
        )

    def model(self) -> Customer:
        """The customer as its model, as a form edits it: the same values as read."""
        if self.read_as is not None:
            return self.read_as
        return Customer.model_validate(
            {name: getattr(self, name) for name in Customer.model_fields}
        )


CustomerLike = Customer | CustomerRow
"""A customer as its model (a form's, a detail's) or as a list's row: figures take both."""


def nps(scores: Sequence[int]) -> float | None:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), from -100 to 100.

    Rounded to one decimal; None when there is no response. Passives (7-8) count in the
    total only, so all passives give 0.0.
    """
    if not scores:
        return None
    promoters = sum(1 for score in scores if score >= 9)
    detractors = sum(1 for score in scores if score <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)


@dataclass(frozen=True, slots=True)
class HealthFactor:
    """One factor of a health score and what it contributed."""

    key: str
    """The factor's name in `HealthWeights` ("nps", "usage", …)."""
    label: str
    value: str
    """What the factor was computed from, for people: "+40 (5 responses)", "no data"."""
    weight: float
    """Points available, after scaling the weights of factors with data to 100 (to 0.1)."""
    points: float
    """Points earned (to 0.1, halves rounded up)."""
    has_data: bool


class Health:
    """A customer's health score 0-100, its band and the factors that made it.

    The factors (each one's words, weight and points) are worked out when first asked for:
    a list of thousands of customers needs only the scores, the customer opened its reasons.
    """

    __slots__ = ("_explain", "_factors", "band", "score")

    def __init__(
        self,
        score: int,
        band: HealthBand,
        factors: tuple[HealthFactor, ...] | None = None,
        *,
        explain: Callable[[], tuple[HealthFactor, ...]] | None = None,
    ) -> None:
        if factors is None and explain is None:
            raise ValueError("a health score needs its factors or a way to explain them")
        self.score = score
        self.band = band
        self._factors = factors
        self._explain = explain

    @property
    def factors(self) -> tuple[HealthFactor, ...]:
        if self._factors is None:
            assert self._explain is not None
            self._factors, self._explain = self._explain(), None
        return self._factors

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Health):
            return NotImplemented
        return (self.score, self.band, self.factors) == (other.score, other.band, other.factors)

    def __hash__(self) -> int:
        return hash((self.score, self.band, self.factors))

    def __repr__(self) -> str:
        return f"Health(score={self.score!r}, band={self.band!r}, factors={self.factors!r})"


def health_band(score: float, model: HealthModel) -> HealthBand:
    """Red below `model.red_below`, Green from `model.green_from` up, Yellow in between."""
    if score < model.red_below:
        return HealthBand.RED
    if score >= model.green_from:
        return HealthBand.GREEN
    return HealthBand.YELLOW


def _half_up(value: float, decimals: int = 0) -> float:
    # People round halves up (31.25 points shows as 31.3, a 72.5 score as 73); round() would
    # round them to even. The epsilon absorbs float noise in values that are .5 on paper.
    scale = 10.0**decimals
    return math.floor(value * scale + 0.5 + 1e-9) / scale


def _clamp(fraction: float) -> float:
    return min(1.0, max(0.0, fraction))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _signed(value: float) -> str:
    text = f"{value:g}"
    return f"+{text}" if value > 0 else text


# Each factor earns a fraction 0..1 of its weight, or None when the customer has no data
# for it; its words (what it was computed from) are written only when explained.


def _fractions(
    customer: CustomerLike, nps_value: float | None, model: HealthModel, today: date
) -> dict[str, float | None]:
    used = customer.critical_features_used
    renewal = customer.renewal_date
    return {
        "nps": None if nps_value is None else _clamp((nps_value + 100) / 200),
        "usage": None
        if customer.active_users is None or not customer.seats
        else _clamp(customer.active_users / customer.seats),
        "features": None if used is None else _clamp(used / model.critical_features),
        "tickets": _clamp(1 - customer.tickets_this_week / model.tickets_ceiling),
        "churn_risk": _CHURN_FRACTION[customer.churn_risk],
        "renewal": None
        if renewal is None
        else _clamp((renewal - today).days / model.renewal_horizon_days),
    }


def _renewal_words(days: int) -> str:
    if days > 0:
        return f"renews in {_plural(days, 'day')}"
    if days == 0:
        return "renews today"
    return f"renewal {_plural(-days, 'day')} ago"


def _words(
    key: str,
    customer: CustomerLike,
    nps_value: float | None,
    responses: int,
    model: HealthModel,
    today: date,
) -> str:
    """What factor `key` (which has data) was computed from, for people."""
    if key == "nps":
        assert nps_value is not None
        return f"{_signed(nps_value)} ({_plural(responses, 'response')})"
    if key == "usage":
        return f"{customer.active_users}/{customer.seats} active users"
    if key == "features":
        return f"{customer.critical_features_used}/{model.critical_features} critical features"
    if key == "tickets":
        return f"{_plural(customer.tickets_this_week, 'ticket')} this week"
    if key == "churn_risk":
        return f"{customer.churn_risk.value} risk"
    assert customer.renewal_date is not None
    return _renewal_words((customer.renewal_date - today).days)


def _weighting(fractions: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """What scales the weights of the factors with data to add up to 100."""
    available = sum(weights[key] for key, fraction in fractions.items() if fraction is not None)
    return 100 / available if available > 0 else 0.0


def health_factors(
    customer: CustomerLike,
    nps_value: float | None,
    responses: int,
    model: HealthModel,
    today: date,
) -> tuple[HealthFactor, ...]:
    """Each factor of `health`'s score: what it was computed from, its weight and points."""
    fractions = _fractions(customer, nps_value, model, today)
    raw_weights = model.weights.as_dict()
    scale = _weighting(fractions, raw_weights)
    factors: list[HealthFactor] = []
    for key, fraction in fractions.items():
        label = _LABELS[key]
        if fraction is None:
            factors.append(HealthFactor(key, label, NO_DATA, 0.0, 0.0, has_data=False))
            continue
        weight = raw_weights[key] * scale
        points = fraction * weight
        value = _words(key, customer, nps_value, responses, model, today)
        factors.append(
            HealthFactor(key, label, value, _half_up(weight, 1), _half_up(points, 1), has_data=True)
        )
    return tuple(factors)


def health(
    customer: CustomerLike,
    nps_value: float | None,
    responses: int,
    model: HealthModel,
    today: date,
    *,
    weights: Mapping[str, float] | None = None,
) -> Health:
    """A customer's health score 0-100, its band, and each factor's contribution.

    Each factor earns a fraction 0..1 of its weight:
    - nps: (NPS + 100) / 200 — `nps_value` is the customer's NPS from `responses` responses;
    - usage: active users / seats, capped at 1;
    - features: critical features used / `model.critical_features`, capped at 1;
    - tickets: 1 - tickets this week / `model.tickets_ceiling`, not below 0;
    - churn_risk: Low 1, Medium 0.5, High 0;
    - renewal: days until the renewal date / `model.renewal_horizon_days`, clamped 0..1.

    A factor the customer has no data for (no NPS response, no seats or active users, no
    critical-feature count, no renewal date) is listed with `has_data` False and weight 0,
    and the weights of the factors with data are rescaled to add up to 100: missing data
    neither costs nor earns points. The score is the sum of the points, rounded half up; the
    band is taken from that rounded score so the number shown and its colour agree. Should
    no weighted factor have data, the score is 0 (Red) with every factor at weight 0.

    The factors (`health_factors`) are worked out when first asked for. `weights`, the
    model's weights as a mapping, saves working them out again for each of many customers.
    """
    fractions = _fractions(customer, nps_value, model, today)
    raw_weights = model.weights.as_dict() if weights is None else weights
    scale = _weighting(fractions, raw_weights)
    total = 0.0
    for key, fraction in fractions.items():
        if fraction is not None:
            total += fraction * (raw_weights[key] * scale)
    score = min(100, max(0, int(_half_up(total))))
    return Health(
        score=score,
        band=health_band(score, model),
        explain=partial(health_factors, customer, nps_value, responses, model, today),
    )


def health_scores(
    customers: Sequence[CustomerLike],
    scores: Mapping[int, Sequence[int]],
    model: HealthModel,
    today: date,
) -> list[tuple[float | None, int, Health]]:
    """Each customer's NPS (from its survey `scores`, by customer id), responses and health,
    in the customers' order: `health` for many at once."""
    weights = model.weights.as_dict()
    found = []
    for customer in customers:
        own = scores.get(customer.id or -1, ())
        value = nps(own)
        found.append(
            (value, len(own), health(customer, value, len(own), model, today, weights=weights))
        )
    return found


@dataclass(frozen=True, slots=True)
class RankedRequest:
    """A feature request with the customers asking for it and the ARR behind them."""

    request: FeatureRequest
    customers: int
    """Distinct customers who asked."""
    arr: float
    """Their ARR added up."""
    candidate: bool
    """Asked for by `ROADMAP_CANDIDATE_MIN_CUSTOMERS` or more customers."""


def rank_requests(
    requests: Sequence[FeatureRequest], askers: Mapping[int, Sequence[CustomerLike]]
) -> tuple[RankedRequest, ...]:
    """Feature requests ranked by distinct customers asking (most first), then the ARR behind
    them (most first), then title.

    `askers` maps a request id to the customers who asked; a customer listed twice (it asked
    in two feedback entries) counts once.
    """
    ranked: list[RankedRequest] = []
    for request in requests:
        asking = askers.get(request.id, ()) if request.id is not None else ()
        distinct = {
            customer.id if customer.id is not None else customer.name: customer
            for customer in asking
        }
        count = len(distinct)
        ranked.append(
            RankedRequest(
                request=request,
                customers=count,
                arr=sum(customer.arr for customer in distinct.values()),
                candidate=count >= ROADMAP_CANDIDATE_MIN_CUSTOMERS,
            )
        )
    ranked.sort(
        key=lambda r: (
            -r.customers,
            -r.arr,
            r.request.title.casefold(),
            r.request.title,
            r.request.id if r.request.id is not None else 0,
        )
    )
    return tuple(ranked)
