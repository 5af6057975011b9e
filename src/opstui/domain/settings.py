"""The configurable figures of the domain: bug targets and the customer health model.

Defaults here are the documented model (README, "Health score"); a workspace's config file
may override any of them. Pure data: loading from TOML lives in `opstui.data.config`.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from opstui.domain.enums import Priority

MAX_WINDOW_DAYS = 36_500
"""The longest look-back a setting may ask for: a century. Dates computed from it stay far
inside the calendar (`datetime` ends at year 9999)."""

Weight = Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
"""A health weight: a finite share (weights are scaled to add up to 100, so only their
ratios matter); infinity would turn every score into NaN."""


class PrereadSettings(BaseModel):
    """When the Friday pre-read is due."""

    model_config = ConfigDict(extra="forbid")

    due_time: time = time(17, 0)
    """The time of day on the Friday before each review that submissions are due by, in
    the workspace's local time (seed: 17:00); a submission after it is late."""


class BugTargets(BaseModel):
    """Most open bugs allowed per company and priority before the cell stands out.

    A cell is over target when its count is *greater than or equal to* the limit for
    P1/P2 ("< 15") and greater than the limit for P0 ("0").
    """

    model_config = ConfigDict(extra="forbid")

    p0_max: Annotated[int, Field(ge=0)] = 0
    """P0 bugs allowed (seed target: 0)."""
    p1_below: Annotated[int, Field(ge=1)] = 15
    """P1 bugs must stay below this (seed target: < 15)."""
    p2_below: Annotated[int, Field(ge=1)] = 15
    """P2 bugs must stay below this (seed target: < 15)."""
    p3_below: Annotated[int, Field(ge=1)] | None = None
    """P3 bugs must stay below this; no target when unset."""
    resolution_window_days: Annotated[int, Field(ge=1, le=MAX_WINDOW_DAYS)] = 90
    """Resolution rate and time look at bugs opened in this many days up to today."""

    def over_target(self, priority: Priority, count: int) -> bool:
        """Whether `count` open bugs of `priority` break the target."""
        if priority is Priority.P0:
            return count > self.p0_max
        limit = {Priority.P1: self.p1_below, Priority.P2: self.p2_below}.get(
            priority, self.p3_below
        )
        return limit is not None and count >= limit


class HealthWeights(BaseModel):
    """Points each factor can contribute; they are scaled to add up to 100."""

    model_config = ConfigDict(extra="forbid")

    nps: Weight = 25
    """Customer NPS: the customer's own voice."""
    usage: Weight = 20
    """Active users out of seats: whether the product is part of their work."""
    features: Weight = 15
    """Critical features used out of the critical set: depth of adoption."""
    tickets: Weight = 15
    """Support tickets this week: friction felt."""
    churn_risk: Weight = 15
    """The CSM's churn-risk call: what the numbers may not show yet."""
    renewal: Weight = 10
    """Renewal proximity: less time to fix problems before the renewal."""

    @model_validator(mode="after")
    def _some_weight(self) -> HealthWeights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("at least one health weight must be above 0")
        return self

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in type(self).model_fields}


class HealthModel(BaseModel):
    """How a customer's health score is computed and banded."""

    model_config = ConfigDict(extra="forbid")

    weights: HealthWeights = HealthWeights()
    red_below: Annotated[float, Field(ge=0, le=100)] = 50
    """Scores below this are Red."""
    green_from: Annotated[float, Field(ge=0, le=100)] = 75
    """Scores from this up are Green; between the two, Yellow."""
    critical_features: Annotated[int, Field(ge=1)] = 5
    """How many critical features the product has (the 'features' factor's denominator)."""
    tickets_ceiling: Annotated[int, Field(ge=1)] = 10
    """Tickets per week at which the tickets factor reaches zero."""
    renewal_horizon_days: Annotated[int, Field(ge=1)] = 180
    """A renewal this far away or further scores full points; today or past scores zero."""

    @model_validator(mode="after")
    def _bands_ordered(self) -> HealthModel:
        if self.red_below > self.green_from:
            raise ValueError("red_below must not be above green_from")
        return self
