"""Cross-company synergies and resources: the agenda's last section.

What the seed asks the review to look at across companies — shared components, engineers
working across companies, technology reuse, architecture and investment decisions — as the
data holds it: the week's cross-company action items and the decisions on the agenda whose
category is about resources, technology or partnerships. Meeting mode and the pre-read both
read it from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opstui.domain.enums import DecisionCategory
from opstui.domain.snapshot import CROSS_COMPANY, ActionItemFigure, DecisionFigure

SYNERGY_CATEGORIES = frozenset(
    {
        DecisionCategory.RESOURCE_REALLOCATION,
        DecisionCategory.TECHNOLOGY_SHARING,
        DecisionCategory.ARCHITECTURE_CHANGE,
        DecisionCategory.BUDGET_OVER_5K,
        DecisionCategory.PARTNERSHIP,
    }
)
"""Decision categories that belong to the synergies section."""


@dataclass(frozen=True, slots=True)
class Synergies:
    """The week's cross-company work and the resource and technology decisions."""

    actions: tuple[ActionItemFigure, ...]
    """Action items that belong to no single company, in the agenda's order."""
    decisions: tuple[DecisionFigure, ...]
    """Decisions on the agenda in `SYNERGY_CATEGORIES`, in the order raised."""

    @property
    def is_empty(self) -> bool:
        return not self.actions and not self.decisions


def week_synergies(
    actions: Iterable[ActionItemFigure], decisions: Iterable[DecisionFigure]
) -> Synergies:
    """The synergies of a week, from its action items and decisions (the snapshot's)."""
    return Synergies(
        actions=tuple(item for item in actions if item.company == CROSS_COMPANY),
        decisions=tuple(d for d in decisions if d.category in SYNERGY_CATEGORIES),
    )
