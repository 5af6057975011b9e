"""How customer figures look in a cell: health with band colour and word, ticket trend,
churn risk, request status, the roadmap-candidate mark, money. Shared by the customers
screen and its dialogs; everything is `Content` built from text, never markup.
"""

from __future__ import annotations

from textual.content import Content

from opstui.domain.customers import CustomerLike, Health, RankedRequest
from opstui.domain.enums import ChurnRisk, FeedbackKind, HealthBand, RequestStatus
from opstui.widgets.privacy import PRIVACY
from opstui.widgets.trend import delta

BAND_STYLES = {
    HealthBand.RED: "bold $error",
    HealthBand.YELLOW: "bold $warning",
    HealthBand.GREEN: "bold $success",
}
CHURN_STYLES = {ChurnRisk.LOW: "$success", ChurnRisk.MEDIUM: "$warning", ChurnRisk.HIGH: "$error"}
STATUS_STYLES = {
    RequestStatus.BACKLOG: "dim",
    RequestStatus.PLANNED: "$primary",
    RequestStatus.IN_ROADMAP: "bold $accent",
    RequestStatus.SHIPPED: "$success",
}
KIND_STYLES = {
    FeedbackKind.FEATURE_REQUEST: "$accent",
    FeedbackKind.PAIN_POINT: "$warning",
    FeedbackKind.PRAISE: "$success",
    FeedbackKind.BUG: "$error",
}
CANDIDATE = "★ Candidate"
"""The roadmap-candidate mark: a star and a word, in colour."""


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def money(amount: float) -> str:
    """ARR the way a review reads it: $950, $180k, $1.2M (masked in privacy mode)."""
    if amount >= 1_000_000:
        shown = f"${amount / 1_000_000:.1f}M"
    elif amount >= 1_000:
        shown = f"${amount / 1_000:.0f}k"
    else:
        shown = f"${amount:.0f}"
    return PRIVACY.money(shown)


def nps_text(value: float | None, responses: int) -> str:
    """True NPS with its number of responses: "+40 (5)", "— (0)" when nobody answered."""
    if value is None:
        return f"— ({responses})"
    whole = int(value + 0.5) if value >= 0 else -int(-value + 0.5)  # halves away from 0
    return f"{whole:+d} ({responses})" if whole else f"0 ({responses})"


def nps_value(value: float) -> str:
    """An NPS as the detail shows it, to its decimal: "+33.3", "0", "-12.5"."""
    return f"{value:+g}" if value else "0"


def health_cell(health: Health, previous: int | None = None) -> Content:
    """The score with its band as colour and word, and the change since the last snapshot:
    " 28 ● Red ↓36"."""
    cell = Content.styled(f"{health.score:>3} ● {health.band.value}", BAND_STYLES[health.band])
    change = delta(health.score, previous)
    # Only a real change is shown: an unchanged score needs no mark in a dense table.
    return Content.assemble(cell, " ", change) if change.plain not in ("", "→") else cell


def tickets_cell(customer: CustomerLike) -> Content:
    """This week's tickets and the change since last week: "6 ↑4" (more tickets: red)."""
    change = customer.tickets_this_week - customer.tickets_last_week
    if change > 0:
        trend = (f"↑{change}", "bold $error")
    elif change < 0:
        trend = (f"↓{-change}", "$success")
    else:
        trend = ("→", "dim")
    return Content.assemble(f"{customer.tickets_this_week} ", trend)


def churn_cell(risk: ChurnRisk) -> Content:
    return Content.styled(risk.value, CHURN_STYLES[risk])


def status_cell(status: RequestStatus) -> Content:
    return Content.styled(status.value, STATUS_STYLES[status])


def candidate_cell(ranked: RankedRequest) -> Content:
    return Content.styled(CANDIDATE, "bold $success") if ranked.candidate else Content("")
