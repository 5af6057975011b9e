"""The customer sections: health (worst first, with changes since last week) and the top
feature requests."""

from __future__ import annotations

from opstui.domain.bugs import trend
from opstui.domain.enums import HealthBand
from opstui.export.context import WeekContext
from opstui.export.escape import heading, inline, table
from opstui.export.numbers import MISSING, number, score, signed, versus

CUSTOMER_ROWS = 25
"""Customers listed in the health table, worst first; the rest are counted."""
REQUEST_ROWS = 10
"""Feature requests listed, most asked for first."""


def render_customers(week: WeekContext) -> list[str]:
    """Overall NPS, band counts and the customers with the lowest health."""
    snapshot, redact = week.snapshot, week.redact
    bands = " · ".join(
        f"{sum(1 for c in snapshot.customers if c.band is band)} {band.value}"
        for band in (HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED)
    )
    previous_nps = None if week.previous is None else week.previous.nps
    nps = score(snapshot.nps)
    blocks = [
        heading(2, "Customer health"),
        f"Overall NPS: {nps}{versus(snapshot.nps, previous_nps, week.previous_week)} · {bands}",
    ]
    if not snapshot.customers:
        return [*blocks, "No customers."]
    previous = () if week.previous is None else week.previous.customers
    by_id = {c.id: c for c in previous if c.id is not None}
    by_name = {c.name: c for c in previous}

    def change(customer_id: int | None, name: str, health: int, band: HealthBand) -> str:
        if week.previous is None:
            return MISSING
        old = by_id.get(customer_id) if customer_id is not None else None
        old = old or by_name.get(name)
        if old is None:
            return "new"
        if (old.health, old.band) == (health, band):
            return signed(0)
        moved = "" if old.band is band else f" ({old.band.value} → {band.value})"
        direction = trend(health, old.health)
        arrow = f"{direction.value} " if direction is not None else ""
        return f"{arrow}{signed(health - old.health)}{moved}"

    shown = snapshot.customers[:CUSTOMER_ROWS]
    blocks.append(
        table(
            ("Customer", "Company", "ARR", "NPS", "Health", "Band", "Change"),
            [
                (
                    inline(redact.customer(c.name, c.id)),
                    inline(c.company),
                    redact.money(c.arr),
                    score(c.nps),
                    str(c.health),
                    c.band.value,
                    change(c.id, c.name, c.health, c.band),
                )
                for c in shown
            ],
        )
    )
    if len(snapshot.customers) > len(shown):
        blocks.append(
            f"The {len(shown)} customers with the lowest health of "
            f"{number(len(snapshot.customers))}."
        )
    return blocks


def render_requests(week: WeekContext) -> list[str]:
    """The most asked-for feature requests, with the ARR behind them."""
    requests = week.snapshot.requests[:REQUEST_ROWS]
    blocks = [heading(2, "Top feature requests")]
    if not requests:
        return [*blocks, "No feature requests."]
    blocks.append(
        table(
            ("Request", "Customers Asking", "ARR Behind", "Roadmap Candidate"),
            [
                (
                    inline(week.redact.text(r.title)),
                    str(r.customers),
                    week.redact.money(r.arr),
                    "Yes" if r.candidate else "No",
                )
                for r in requests
            ],
        )
    )
    if len(week.snapshot.requests) > len(requests):
        blocks.append(f"The top {len(requests)} of {number(len(week.snapshot.requests))}.")
    return blocks
