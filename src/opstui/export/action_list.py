"""Action items by owner and by company: the department action items for the heads of
business units and the cross-company coordination update for the engineering leads.

The items are the week's, as the weekly screen, meeting mode and the weekly export list
them (`domain.review.week_action_items`, held by the snapshot).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from opstui.data.messages import WeekFigures
from opstui.domain.enums import ActionStatus
from opstui.domain.snapshot import CROSS_COMPANY, ActionItemFigure
from opstui.export.agenda import action_due, action_status
from opstui.export.context import REDACTED_NOTE, WeekContext, redacted_context, week_span
from opstui.export.escape import heading, inline, table
from opstui.export.numbers import MISSING, full_date

NO_OWNER = "No owner"


def render_actions(figures: WeekFigures, redact: bool = False) -> str:
    """The week's action items grouped by owner, then by company."""
    week = redacted_context(figures.snapshot, figures.previous, redact=redact)
    snapshot = week.snapshot
    items = snapshot.action_items
    open_items = [item for item in items if item.status is not ActionStatus.COMPLETE]
    overdue = [item for item in open_items if _overdue(item, week)]
    intro = (
        f"The action items of {snapshot.week} ({week_span(week)}) and those carried over, as "
        f"of {full_date(snapshot.taken_on)}: {len(items)} in all, {len(open_items)} open, "
        f"{len(overdue)} overdue."
    )
    if week.redact.active:
        intro += REDACTED_NOTE
    blocks = [heading(1, f"Action items — {snapshot.week}"), intro]
    if not items:
        return "\n\n".join([*blocks, "No action items this week."]) + "\n"
    blocks.append(heading(2, "By owner"))
    blocks += _groups(
        items,
        lambda item: item.owner or NO_OWNER,
        last=NO_OWNER,
        columns=("Action Item", "Due Date", "Company", "Priority", "Status"),
        cells=lambda item: (inline(item.company) or MISSING,),
        week=week,
    )
    blocks.append(heading(2, "By company"))
    blocks += _groups(
        items,
        lambda item: item.company or CROSS_COMPANY,
        last=CROSS_COMPANY,
        columns=("Action Item", "Owner", "Due Date", "Priority", "Status"),
        cells=lambda item: (inline(item.owner) or MISSING,),
        week=week,
        before_due=True,
    )
    return "\n\n".join(blocks) + "\n"


def _overdue(item: ActionItemFigure, week: WeekContext) -> bool:
    return item.overdue_on(week.snapshot.taken_on)


def _groups(
    items: Sequence[ActionItemFigure],
    key: Callable[[ActionItemFigure], str],
    *,
    last: str,
    columns: tuple[str, ...],
    cells: Callable[[ActionItemFigure], tuple[str]],
    week: WeekContext,
    before_due: bool = False,
) -> list[str]:
    """One heading and table per group, groups by name (`last` after them), items in the
    agenda's order (by due date)."""
    groups: dict[str, list[ActionItemFigure]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    blocks = []
    for name in sorted(groups, key=lambda name: (name == last, name.casefold(), name)):
        members = groups[name]
        open_count = sum(1 for item in members if item.status is not ActionStatus.COMPLETE)
        blocks.append(heading(3, f"{name} ({open_count} open of {len(members)})"))
        rows = []
        for item in members:
            due, status = action_due(item, week), action_status(item, week)
            extra = cells(item)
            what = inline(week.redact.text(item.what))
            row = (
                (what, *extra, due, item.priority.value, status)
                if before_due
                else (what, due, *extra, item.priority.value, status)
            )
            rows.append(row)
        blocks.append(table(columns, rows))
    return blocks
