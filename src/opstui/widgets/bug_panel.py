"""The highlighted bug under the bug list: what it is, and for a P0/P1 its analysis.

The list shows a line per bug; this panel shows the one under the cursor without opening
it — its description, who has it, and the customer impact, root cause, fix date and
prevention a P0/P1 carries (or that they are still missing). Every value from the workspace
is cleaned and shown as `Content`.
"""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widgets import Static

from opstui.domain.bugs import URGENT_PRIORITIES
from opstui.domain.models import Bug
from opstui.widgets.privacy import PRIVACY, shown_line, shown_text

DESCRIPTION_LINES = 3
"""How much of the description the panel shows; enter opens the whole bug."""


def _field(label: str, value: str) -> Content:
    return Content.assemble((f"  {label:<18}", "dim"), value or "—")


def bug_summary(bug: Bug, company: str, assignee: str, today: date) -> Content:
    """The panel's text for `bug` (`company` and `assignee` are its names)."""
    priority = bug.priority.value if bug.priority else "untriaged"
    age = max(0, (today - bug.opened_at.date()).days)
    lines = [
        Content.assemble((f"#{bug.id} ", "bold"), (shown_line(bug.title), "bold $accent")),
        Content.assemble(
            ("  ", ""),
            (priority, "bold"),
            f" · {bug.status.value} · {shown_line(company) or 'no company'}"
            f" · {shown_line(assignee) or 'unassigned'} · opened {bug.opened_at:%b %d} ({age}d)",
            ("  security/compliance" if bug.security_flag else "", "bold $error"),
        ),
    ]
    description = shown_text(bug.description).splitlines()
    for line in description[:DESCRIPTION_LINES]:
        lines.append(Content(f"  {line.strip()}"))
    if len(description) > DESCRIPTION_LINES:
        lines.append(Content.styled("  … enter shows all of it", "dim"))
    if bug.priority in URGENT_PRIORITIES:
        impact = ", ".join(
            part
            for part in (
                f"{bug.customers_affected} customer{'' if bug.customers_affected == 1 else 's'}"
                if bug.customers_affected is not None
                else "",
                PRIVACY.money(f"${bug.revenue_impact:,.0f}")
                if bug.revenue_impact is not None
                else "",
            )
            if part
        )
        lines += [
            _field("Customer impact", impact),
            _field("Root cause", shown_line(bug.root_cause)),
            _field(
                "Expected fix", f"{bug.expected_fix_date:%b %d}" if bug.expected_fix_date else ""
            ),
            _field("Prevention", shown_line(bug.prevention)),
        ]
        if not bug.root_cause:
            lines.append(
                Content.styled(
                    "  Analysis needed: enter adds customer impact, root cause, fix date and "
                    "prevention",
                    "bold $warning",
                )
            )
    return Content("\n").join(lines)


class BugPanel(Static):
    """The highlighted bug's detail and analysis, under the bug list."""

    DEFAULT_CSS = """
    BugPanel {
        height: auto;
        max-height: 10;
        padding: 0 1;
        border-top: solid $panel;
    }
    """

    def show(self, content: Content | None) -> None:
        self.update(content if content is not None else Content(""))
