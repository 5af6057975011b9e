"""A project's phase deep dive shown as `Content`: the fields of its 4D phase and "CPTO input
needed" (the rule is `domain.deep_dive`, which the pre-read export also follows).

One builder for the portfolio's panel under the table and meeting mode's deep-dive
sections, so both say the same thing; every value from the workspace is cleaned and shown as
`Content`.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from opstui.domain.deep_dive import (
    MASK_MONEY,
    DeepDive,
    deep_dive,
    masked_money,
    shown_money,
)
from opstui.domain.models import Project
from opstui.widgets.privacy import PRIVACY, shown_line, shown_text

__all__ = ["MASK_MONEY", "DeepDivePanel", "deep_dive_content", "project_deep_dive"]


def project_deep_dive(
    project: Project,
    companies: Mapping[int, str],
    people: Mapping[int, str],
) -> Content:
    """The project's heading (company, owners, progress, status), its phase's fields and
    the CPTO input it needs (customer names and money masked in privacy mode)."""
    money = masked_money if PRIVACY.active else shown_money
    return deep_dive_content(deep_dive(project, companies, people, money))


def deep_dive_content(dive: DeepDive) -> Content:
    """A deep dive as the portfolio panel and meeting mode show it."""
    project = dive.project
    lines = [
        Content.assemble(
            (shown_line(project.name), "bold $accent"),
            f" — {shown_line(dive.company)} — {shown_line(dive.owners)}",
            f"   {project.progress:.0f}% · {project.status.value} · {project.phase.value}",
        )
    ]
    for label, value in dive.fields:
        lines.append(Content.assemble((f"  {label:<28}", "dim"), shown_text(value)))
    cpto = shown_text(dive.cpto_input) or "—"
    lines.append(Content.assemble((f"  {'CPTO input needed':<28}", "bold $warning"), cpto))
    return Content("\n").join(lines)


class DeepDivePanel(Static):
    """The highlighted project's deep dive, under the portfolio table."""

    DEFAULT_CSS = """
    DeepDivePanel {
        height: auto;
        max-height: 12;
        padding: 0 1;
        border-top: solid $panel;
    }
    """

    def show(self, content: Content | None) -> None:
        self.update(content if content is not None else Content(""))
