"""The Markdown documents `opstui export --kind KIND` writes, by name.

Each kind reads what it needs from the workspace once (`prepare`, on the connection it is
given) and returns a renderer that writes the document from those figures alone, redacted
or not: the CLI calls it once, the preview twice (ctrl+r) without reading again.

A new kind registers itself with `register(ExportKind(...))`; the order of registration is
the order `--help` and the preview list them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from opstui.data.messages import (
    ExportRequest,
    MessageError,
    friday_figures,
    postmortem_figures,
    preread_figures,
    summary_figures,
    week_figures,
)
from opstui.data.repository import Repository
from opstui.data.review import snapshot_date
from opstui.data.trends import load_review
from opstui.domain.trends import PeriodKind, ReviewPeriod
from opstui.domain.weeks import week_monday
from opstui.export.action_list import render_actions
from opstui.export.friday import render_friday
from opstui.export.markdown import render_week
from opstui.export.postmortem import render_postmortem
from opstui.export.preread import render_preread
from opstui.export.review import render_month, render_quarter
from opstui.export.summary import render_summary

Render = Callable[[bool], str]
"""Writes the document; the argument says whether to redact it."""

DEFAULT_KIND = "weekly"


@dataclass(frozen=True, slots=True)
class ExportKind:
    """One kind of document."""

    name: str
    """What `--kind` takes."""
    title: str
    """What the preview calls it: "Executive summary"."""
    description: str
    """One line for `--help`."""
    prepare: Callable[[Repository, ExportRequest], Render]
    """Reads the figures; raises `MessageError` for a request it cannot write."""
    needs_bug: bool = False
    """Whether it is about one bug (`--bug ID`)."""
    day: Callable[[str, date], date] = snapshot_date
    """The day a live week's figures are taken as of without `--as-of`, given the week and
    today (the weekly review's: today, but never after the week's Sunday)."""

    def file_name(self, week: str, bug_id: int | None = None) -> str:
        """The file the preview suggests: "opstui-2026-W28-summary.md"."""
        if self.name == DEFAULT_KIND:
            return f"opstui-{week}.md"
        if self.needs_bug and bug_id is not None:
            return f"opstui-{self.name}-{bug_id}.md"
        return f"opstui-{week}-{self.name}.md"


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> None:
    """Add a kind (a name already taken is an error: two documents under one name)."""
    if kind.name in KINDS:
        raise ValueError(f"export kind {kind.name!r} is already registered")
    KINDS[kind.name] = kind


def kind_named(name: str) -> ExportKind:
    """The kind called `name`; `MessageError` naming the choices otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise MessageError(
            f"unknown export kind {name!r}; choose one of {', '.join(KINDS)}"
        ) from None


def meeting_day(week: str, today: date) -> date:
    """The executive summary's day: the Monday of the meeting (today for a week to come)."""
    return min(today, week_monday(week))


def friday_day(week: str, today: date) -> date:
    """The Friday update's day: the week's Friday (today until then)."""
    return min(today, week_monday(week) + timedelta(days=4))


def _weekly(repo: Repository, request: ExportRequest) -> Render:
    figures = week_figures(repo, request)

    def render(redact: bool) -> str:
        return render_week(figures.snapshot, figures.previous, redact=redact)

    return render


register(
    ExportKind(
        DEFAULT_KIND,
        "Weekly review",
        "the week's review: portfolio, metrics, bugs, customers, agenda, KPIs, changes",
        _weekly,
    )
)
register(
    ExportKind(
        "preread",
        "Pre-read",
        "the weekly review plus each phase's deep dives, the pre-read status and synergies",
        lambda repo, request: partial(render_preread, preread_figures(repo, request)),
    )
)
register(
    ExportKind(
        "summary",
        "Executive summary",
        "after the meeting: decisions, escalations, notes by section, top risks",
        lambda repo, request: partial(render_summary, summary_figures(repo, request)),
        day=meeting_day,
    )
)
register(
    ExportKind(
        "actions",
        "Action items",
        "the week's action items by owner and by company",
        lambda repo, request: partial(render_actions, week_figures(repo, request)),
    )
)
register(
    ExportKind(
        "friday",
        "Friday update",
        "accomplishments, customer wins and next week's priorities",
        lambda repo, request: partial(render_friday, friday_figures(repo, request)),
        day=friday_day,
    )
)
register(
    ExportKind(
        "postmortem",
        "Post-incident review",
        "a P0's timeline, impact, root cause, resolution, prevention and action items (--bug)",
        lambda repo, request: partial(render_postmortem, postmortem_figures(repo, request)),
        needs_bug=True,
    )
)


def _period(kind: PeriodKind, repo: Repository, request: ExportRequest) -> Render:
    """The month or quarter holding the week (its Thursday's), from the trends' loader the
    review screens read: frozen weeks from their snapshots, the week itself live when it is
    not frozen, as of the request's day."""
    review = load_review(
        repo,
        ReviewPeriod(kind, request.week),
        live_week=request.week,
        today=request.as_of,
        targets=request.targets,
        health=request.health,
    )
    document = render_month if kind == "month" else render_quarter

    def render(redact: bool) -> str:
        return document(review, redact=redact)

    return render


register(
    ExportKind(
        "month",
        "Monthly deep dive",
        "the month holding the week: each deep-dive agenda item's trends, week by week",
        partial(_period, "month"),
    )
)
register(
    ExportKind(
        "quarter",
        "Quarterly review",
        "the quarter holding the week: the strategic and roadmap reviews' trends, week by week",
        partial(_period, "quarter"),
    )
)
