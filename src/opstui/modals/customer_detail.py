"""One customer up close: why the health score is what it is, what the customer said and
asked for, and the escalation flag; `e` edits the customer, `N` adds NPS responses.

"Why 62?" is answered by listing every factor of `domain.customers.health` with what it was
computed from, its weight and the points it earned. Customer text is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from opstui.data.figures import CUSTOMER_HISTORY_SHOWN, CustomerFile
from opstui.domain.customers import ROADMAP_CANDIDATE_MIN_CUSTOMERS, Health
from opstui.domain.enums import FeedbackKind
from opstui.domain.models import (
    Customer,
    FeatureRequest,
    FeedbackEntry,
)
from opstui.domain.settings import HealthModel
from opstui.widgets.customer_cells import BAND_STYLES, KIND_STYLES, money, nps_value, plural
from opstui.widgets.fitting_footer import FittingFooter
from opstui.widgets.history_view import HistoryView
from opstui.widgets.privacy import PRIVACY, PRIVACY_BINDING, shown_line, shown_text
from opstui.widgets.virtual_table import Column, ListSource, Row, VirtualTable, text_cell

if TYPE_CHECKING:
    from opstui.app import OpsApp

FEEDBACK_COLUMNS = (
    Column("date", "Date", 10),
    Column("kind", "Kind", 15),
    Column("text", "What they said", 44),
    Column("request", "Request", 24),
)
MAX_RESPONSES = 6
"""NPS responses listed; older ones are counted."""


def why_content(result: Health, model: HealthModel) -> Content:
    """The health score explained: each factor, what it was computed from, weight, points."""
    lines = [
        Content.assemble(
            (f"Why {result.score}? ", "bold"),
            (f"● {result.band.value}", BAND_STYLES[result.band]),
            (
                f"   Red < {model.red_below:g} ≤ Yellow < {model.green_from:g} ≤ Green",
                "dim",
            ),
        ),
        Content.styled(f"{'Factor':<11}{'From':<26}{'Weight':>7}{'Points':>8}", "bold"),
    ]
    missing = False
    for factor in result.factors:
        if factor.has_data:
            numbers = f"{factor.weight:>7.1f}{factor.points:>8.1f}"
            lines.append(Content(f"{factor.label:<11}{factor.value:<26}{numbers}"))
        else:
            missing = True
            lines.append(
                Content.styled(f"{factor.label:<11}{factor.value:<26}{'—':>7}{'—':>8}", "dim")
            )
    weight = sum(f.weight for f in result.factors)
    points = sum(f.points for f in result.factors)
    lines.append(
        Content.assemble(
            f"{'':<11}{'Total':<26}{weight:>7.1f}{points:>8.1f}",
            (f" → {result.score}", BAND_STYLES[result.band]),
        )
    )
    if missing:
        lines.append(Content.styled("No data: that weight is shared among the others.", "dim"))
    return Content("\n").join(lines)


def nps_kind(score: int) -> tuple[str, str]:
    if score >= 9:
        return "promoter", "$success"
    if score <= 6:
        return "detractor", "$error"
    return "passive", "dim"


def voice_content(file: CustomerFile) -> Content:
    """NPS with its responses, then the feature requests the customer asked for."""
    scores = [response.score for response in file.responses]
    heading = (
        "NPS: no survey responses"
        if file.nps is None
        else f"NPS {nps_value(file.nps)} from {plural(len(scores), 'response')}"
    )
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    lines = [
        Content.styled(heading, "bold"),
        Content.styled(
            f"{plural(promoters, 'promoter')} · "
            f"{plural(len(scores) - promoters - detractors, 'passive')} · "
            f"{plural(detractors, 'detractor')}",
            "dim",
        ),
    ]
    for response in file.responses[:MAX_RESPONSES]:
        kind, style = nps_kind(response.score)
        lines.append(
            Content.assemble(
                f"{response.responded_on.isoformat()} {response.score:>3} ",
                (f"{kind:<10}", style),
                shown_line(response.comment),
            )
        )
    if len(file.responses) > MAX_RESPONSES:
        older = len(file.responses) - MAX_RESPONSES
        lines.append(Content.styled(f"… and {older} older", "dim"))
    lines.append(Content(""))
    lines.append(Content.styled("Asked for", "bold"))
    if not file.asked_for:
        lines.append(Content.styled("no feature requests yet", "dim"))
    for request in file.asked_for:
        count = file.asking.get(request.id or -1, 0)
        candidate = count >= ROADMAP_CANDIDATE_MIN_CUSTOMERS
        lines.append(
            Content.assemble(
                ("★ " if candidate else "· ", "bold $success" if candidate else "dim"),
                shown_line(request.title),
                (f"  {request.status.value} · {plural(count, 'customer')}", "dim"),
            )
        )
    return Content("\n").join(lines)


Stored = Callable[[str, int | None], None]
"""Called after a write with what was stored, in words, and the customer to show."""


class CustomerActions(Protocol):
    """What the customer detail asks of the screen that opens it: the customer's file, and
    each change it offers (the detail itself never reads or writes the workspace)."""

    def load(self) -> CustomerFile:
        """The customer's file as stored now; raises LookupError when it is gone."""
        ...

    def escalate(self, raised: bool) -> None: ...

    def log_feedback(self, screen: Screen[Any], done: Callable[[], None]) -> None: ...

    def link(
        self,
        screen: Screen[Any],
        entry: FeedbackEntry,
        done: Callable[[FeatureRequest | None], None],
    ) -> None: ...

    def edit(self, screen: Screen[Any], customer: Customer, done: Stored) -> None: ...

    def add_nps(self, screen: Screen[Any], customer: Customer, done: Stored) -> None: ...


class CustomerDetail(ModalScreen[bool]):
    """A customer's health explained, NPS, feedback and requests. Returns True when
    something was changed (the screen underneath reloads)."""

    CSS_PATH = "../styles/customers.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        PRIVACY_BINDING,
        Binding(
            "escape", "close", "Close", id="customers.detail_close", tooltip="Back to the list"
        ),
        Binding(
            "x,E",
            "toggle_escalation",
            "Escalate",
            id="customers.detail_escalate",
            tooltip="Raise or clear the customer's escalation flag",
        ),
        Binding(
            "f",
            "feedback",
            "Feedback",
            id="customers.detail_feedback",
            tooltip="Log what the customer said, dated today",
        ),
        Binding(
            "l",
            "link",
            "Link request",
            id="customers.detail_link",
            tooltip="Link the highlighted feature request to a request",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="customers.detail_edit",
            tooltip="Edit the customer: company, ARR, seats, CSM, renewal, churn risk, tickets",
        ),
        Binding(
            "N",
            "add_nps",
            "NPS",
            id="customers.detail_nps",
            tooltip="Add NPS responses: one score, or several at once (9 10 6 8)",
        ),
    ]

    def __init__(self, actions: CustomerActions, model: HealthModel) -> None:
        super().__init__()
        self.actions = actions
        """Where the detail's data comes from and where its changes go (the screen's)."""
        self.model = model
        self.file: CustomerFile | None = None
        self.changed = False

    @property
    def ops(self) -> OpsApp:
        return cast("OpsApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="detail"):
            yield Static(id="detail-title")
            with Horizontal(id="detail-top"):
                yield Static(id="why")
                yield Static(id="voice")
            yield Static(
                Content("Feedback log, newest first  (l links a feature request)"),
                classes="section-title",
            )
            yield VirtualTable(FEEDBACK_COLUMNS, id="feedback")
            yield Static(id="feedback-text")
            yield Static(Content("History"), classes="section-title")
            yield HistoryView(shown=CUSTOMER_HISTORY_SHOWN, id="customer-history")
            yield FittingFooter()

    def on_mount(self) -> None:
        try:
            self.reload()
        except LookupError as error:  # deleted meanwhile (elsewhere): nothing to show
            self.notify(str(error), severity="warning")
            self.dismiss(True)
            return
        self.query_one(VirtualTable).focus()

    # -- data ---------------------------------------------------------------------------------

    def privacy_changed(self) -> None:
        """Privacy mode turned on or off: drawn again, names and money as it says."""
        self.reload()

    def reload(self) -> None:
        file = self.file = self.actions.load()
        customer = file.customer
        renewal = customer.renewal_date.isoformat() if customer.renewal_date else "—"
        self.query_one("#detail-title", Static).update(
            Content.assemble(
                (shown_line(PRIVACY.customer(customer.name, customer.id)), "bold"),
                f" · {shown_line(file.company)} · ARR {money(customer.arr)}",
                f" · CSM {shown_line(file.csm) or '—'} · renews {renewal}",
                ("  ⚑ ESCALATED" if customer.escalated else "", "bold $error"),
                (
                    ""
                    if customer.retired_on is None
                    else f"  retired {customer.retired_on.isoformat()} (R on the list undoes)",
                    "italic $text-muted",
                ),
            )
        )
        self.query_one("#why", Static).update(why_content(file.health, self.model))
        self.query_one("#voice", Static).update(voice_content(file))
        self.query_one(HistoryView).show(file.history)
        table = self.query_one(VirtualTable)
        table.set_source(
            ListSource([self._row(entry) for entry in file.feedback]), table.current_key
        )
        self._show_entry(table.current_key)

    def _row(self, entry: FeedbackEntry) -> Row:
        assert self.file is not None
        request = self.file.requests.get(entry.request_id or -1)
        if request is not None:
            linked = text_cell(request.title)
        elif entry.kind is FeedbackKind.FEATURE_REQUEST:
            linked = Content.styled("not linked: press l", "$warning")
        else:
            linked = Content("")
        return Row(
            key=f"feedback:{entry.id}",
            cells=(
                Content(entry.logged_on.isoformat()),
                Content.styled(entry.kind.value, KIND_STYLES[entry.kind]),
                text_cell(entry.text),
                linked,
            ),
        )

    def entry(self, key: str | None) -> FeedbackEntry | None:
        if key is None or self.file is None:
            return None
        return next((e for e in self.file.feedback if f"feedback:{e.id}" == key), None)

    @on(VirtualTable.Highlighted, "#feedback")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._show_entry(event.key)

    def _show_entry(self, key: str | None) -> None:
        entry = self.entry(key)
        text = Content("")
        if entry is not None:
            text = Content.assemble(
                (entry.kind.value, KIND_STYLES[entry.kind]),
                (f" · {entry.logged_on.isoformat()}  ", "dim"),
                shown_text(entry.text),
            )
        elif self.file is not None and not self.file.feedback:
            text = Content.styled("No feedback logged yet: press f to add some.", "dim")
        self.query_one("#feedback-text", Static).update(text)

    def _stored(self, message: str, _: int | None) -> None:
        self._changed(message)

    def _changed(self, message: str = "") -> None:
        self.changed = True
        self.ops.data_changed()  # the header under this dialog shows the count on return
        self.reload()
        if message:
            self.notify(message)

    # -- actions ------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_toggle_escalation(self) -> None:
        if self.file is None:
            return
        customer = self.file.customer
        raised = not customer.escalated
        try:
            self.actions.escalate(raised)
        except Exception as error:  # one statement: nothing was stored
            self.notify(f"Not saved: {error}", severity="error")
            return
        name = shown_line(PRIVACY.customer(customer.name, customer.id))
        self._changed(f"{name} escalated" if raised else f"{name}: escalation cleared")

    def action_feedback(self) -> None:
        if self.file is None:
            return
        self.actions.log_feedback(self, self._changed)

    def action_link(self) -> None:
        entry = self.entry(self.query_one(VirtualTable).current_key)
        if entry is None:
            return
        if entry.kind is not FeedbackKind.FEATURE_REQUEST:
            self.notify("Only a feature-request entry links to a request", severity="warning")
            return
        if entry.request_id is not None:
            self.notify("This entry is already linked to a request", severity="warning")
            return

        def linked(request: FeatureRequest | None) -> None:
            if request is not None:
                self._changed()

        self.actions.link(self, entry, linked)

    def action_edit(self) -> None:
        if self.file is not None:
            self.actions.edit(self, self.file.customer, self._stored)

    def action_add_nps(self) -> None:
        if self.file is not None:
            self.actions.add_nps(self, self.file.customer, self._stored)
