"""Which feature request is this? A fuzzy picker over request titles that can also create one.

`link_to_request` is the whole flow for a feature-request feedback entry: pick (or create)
the request, then link entry and customer to it in one repository call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from opstui.data.figures import ranked_requests
from opstui.data.repository import Repository
from opstui.domain.customers import ROADMAP_CANDIDATE_MIN_CUSTOMERS, RankedRequest
from opstui.domain.models import FeatureRequest, FeedbackEntry
from opstui.domain.text import clean_line
from opstui.widgets.privacy import shown_line

CREATE = "create"
MATCH_STYLE = "bold underline $accent"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def highlight(query: str, title: str, matcher: Matcher) -> tuple[bool, Content]:
    """Whether `title` matches `query`, and the title with the matched letters marked.

    A title matches fuzzily (the letters in order) or when it holds every word of the query
    ("real time" finds "Real-time dashboards"). The title stays text: `Matcher.highlight`
    would parse it as markup, so the marks are applied to plain `Content` here.
    """
    shown = shown_line(title)
    content = Content(shown)
    words = query.casefold().split()
    if not words:
        return True, content
    folded = shown.casefold()
    if all(word in folded for word in words):
        # Casefolding can change a title's length ("ß" is "ss"); mark only when it did not.
        if len(folded) == len(shown):
            for word in words:
                start = folded.find(word)
                content = content.stylize(MATCH_STYLE, start, start + len(word))
        return True, content
    score, offsets = matcher.fuzzy_search.match(query, shown)
    if score <= 0:
        return False, content
    for offset in offsets:
        content = content.stylize(MATCH_STYLE, offset, offset + 1)
    return True, content


class RequestPicker(ModalScreen[FeatureRequest | None]):
    """Pick the request a feedback entry asks for, or create it from the typed title.

    Returns the chosen request (with its id), a new unsaved request (no id), or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down", "move(1)", "Next", id="customers.picker_down", show=False, tooltip="Next match"
        ),
        Binding(
            "up", "move(-1)", "Previous", id="customers.picker_up", show=False, tooltip="Previous"
        ),
        Binding(
            "escape",
            "cancel",
            "Leave unlinked",
            id="customers.picker_cancel",
            tooltip="Close; the feedback stays logged without a request",
        ),
    ]

    CSS_PATH = "../styles/customers.tcss"

    def __init__(self, ranked: Sequence[RankedRequest], asked: str = "") -> None:
        super().__init__()
        self.ranked = list(ranked)
        self.asked = asked

    def compose(self) -> ComposeResult:
        title = Content.styled("Which feature request is this?", "bold")
        if self.asked:
            title = Content.assemble(title, "\n", (f"“{shown_line(self.asked)}”", "italic"))
        with Vertical():
            yield Static(title, id="picker-title")
            yield Input(placeholder="Type to find a request, or the title of a new one", id="query")
            yield OptionList(id="choices")
            yield Static(
                Content("enter links · ↑↓ choose · esc leaves the feedback unlinked"),
                id="picker-hint",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        self.show_choices("")
        self.query_one(Input).focus()

    def show_choices(self, query: str) -> None:
        query = clean_line(query)
        matcher = Matcher(query)
        options: list[Option] = []
        contains_all = False
        words = query.casefold().split()
        for item in self.ranked:
            matched, title = highlight(query, item.request.title, matcher)
            if not matched:
                continue
            folded = item.request.title.casefold()
            contains_all = contains_all or all(word in folded for word in words)
            detail = f"  {_plural(item.customers, 'customer')} · {item.request.status.value}"
            mark = (
                ("  ★ candidate", "bold $success")
                if item.customers >= ROADMAP_CANDIDATE_MIN_CUSTOMERS
                else ("", "")
            )
            options.append(
                Option(
                    Content.assemble(title, (detail, "dim"), mark), id=f"request:{item.request.id}"
                )
            )
        exact = any(item.request.title.casefold() == query.casefold() for item in self.ranked)
        if query and not exact:
            create = Option(
                Content.assemble(("+ Create ", "bold $success"), (f"“{query}”", "bold")),
                id=CREATE,
            )
            # A typed title no request holds is most likely a new request: offer it first.
            options.insert(len(options) if contains_all else 0, create)
        choices = self.query_one(OptionList)
        choices.set_options(options)
        choices.highlighted = 0 if options else None

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.show_choices(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        choices = self.query_one(OptionList)
        if choices.highlighted is not None:
            self.choose(choices.get_option_at_index(choices.highlighted))

    @on(OptionList.OptionSelected, "#choices")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option)

    def choose(self, option: Option) -> None:
        if option.id == CREATE:
            self.dismiss(FeatureRequest(title=self.query_one(Input).value))
            return
        request_id = int((option.id or "request:0").split(":")[1])
        self.dismiss(next(i.request for i in self.ranked if i.request.id == request_id))

    def action_move(self, step: int) -> None:
        choices = self.query_one(OptionList)
        if choices.option_count:
            current = choices.highlighted if choices.highlighted is not None else -1
            choices.highlighted = max(0, min(choices.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)


def link_to_request(
    screen: Screen[Any],
    repo: Repository,
    entry: FeedbackEntry,
    done: Callable[[FeatureRequest | None], None],
) -> None:
    """Ask which request a feature-request `entry` is (or create it), then link the entry and
    its customer to it in one transaction. `done` gets the linked request, or None when the
    user left the entry unlinked or the link failed (the failure is reported)."""
    assert entry.id is not None
    entry_id = entry.id

    def picked(request: FeatureRequest | None) -> None:
        if request is None:
            done(None)
            return
        try:
            stored = repo.link_feedback(entry_id, request)
        except Exception as error:  # nothing was stored: the link is one transaction
            screen.notify(f"Not linked: {error}", severity="error")
            done(None)
            return
        asking = len(repo.request_asker_ids().get(stored.id or -1, []))
        message = f"Linked to “{clean_line(stored.title)}”: {_plural(asking, 'customer')} asking"
        if asking >= ROADMAP_CANDIDATE_MIN_CUSTOMERS:
            message += " — ★ roadmap candidate"
        screen.notify(message)
        done(stored)

    screen.app.push_screen(RequestPicker(ranked_requests(repo), entry.text), picked)
