"""The command palette: every action of the current screen, and jumps to any project,
bug or customer by fuzzy name."""

from __future__ import annotations

import asyncio
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from opstui.domain.text import clean_line
from opstui.widgets.fuzzy_text import highlight
from opstui.widgets.privacy import PRIVACY

if TYPE_CHECKING:
    from opstui.app import OpsApp

MAX_BUG_HITS = 20
MAX_JUMP_HITS = 40
"""Projects and customers listed for one query: the closest names, never thousands."""
WORD_STARTS = frozenset(" -_/(&.,'")


class ActionCommands(Provider):
    """The actions bound to keys on the current screen, by their descriptions."""

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        seen: set[str] = set()
        found: list[tuple[str, str, Callable[[], object]]] = []
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            if binding.action in {"command_palette", "quit"}:
                continue
            seen.add(binding.action)
            node = active.node
            found.append(
                (
                    binding.description,
                    binding.tooltip or f"key: {self.app.get_key_display(binding)}",
                    partial(self.app.run_action, binding.action, node),
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, help_text, run in self._actions():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlight(matcher, name), run, text=name, help=help_text)


@dataclass(frozen=True, slots=True)
class _Target:
    """A project or customer the palette can jump to."""

    label: str
    name: str
    folded: str
    """The name in lower case, as the fuzzy matcher compares it."""
    screen: str
    entity_id: int
    help: str


YIELD_EVERY = 2000
"""Names matched between two returns to the event loop: typing stays responsive."""


def closeness(folded: str, query: str) -> int:
    """How closely a name (lower case) holding `query`'s letters in order matches it: 0 when
    the name starts with the query, 1 when a word of it does, 2 when it holds the query
    anywhere, 3 when it holds only the letters apart."""
    at = folded.find(query)
    if at < 0:
        return 3
    if at == 0:
        return 0
    return 1 if folded[at - 1] in WORD_STARTS else 2


class JumpCommands(Provider):
    """Jump to a project, customer or bug by (fuzzy) name. The names are read once when the
    palette opens (ids and names only), and each keystroke matches them in slices."""

    _targets: list[_Target] | None = None

    @property
    def ops(self) -> OpsApp:
        return cast("OpsApp", self.app)

    async def startup(self) -> None:
        self._targets = self._read_targets()

    def _read_targets(self) -> list[_Target]:
        repo = self.ops.session.repo
        targets: list[_Target] = []
        for kind, screen, names, help_text in (
            ("Project: ", "portfolio", repo.project_names(), "open on the portfolio"),
            ("Customer: ", "customers", repo.customer_names(), "open on customer health"),
        ):
            for entity_id, stored, _company in names:
                # In privacy mode a customer is found, and shown, by its alias.
                shown = PRIVACY.customer(stored, entity_id) if screen == "customers" else stored
                name = clean_line(PRIVACY.text(shown))
                targets.append(_Target(kind, name, name.lower(), screen, entity_id, help_text))
        return targets

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        matcher = self.matcher(query)
        if self._targets is None:
            self._targets = self._read_targets()
        # The matcher scores only names holding the query's letters in order (the names
        # it would score above zero); a compiled pattern finds those much faster. Of those,
        # the closest few are scored and shown: a short query holds in most names, and
        # scoring and listing thousands of them would stall every keystroke.
        folded_query = query.lower().strip()
        holds = re.compile(".*?".join(re.escape(letter) for letter in folded_query), re.S).search
        candidates: list[tuple[int, int, int, _Target]] = []
        for number, target in enumerate(self._targets):
            if number % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            if holds(target.folded) is not None:
                rank = closeness(target.folded, folded_query)
                candidates.append((rank, len(target.folded), number, target))
        for *_, target in heapq.nsmallest(MAX_JUMP_HITS, candidates):
            score = matcher.match(target.name)
            if score > 0:
                yield Hit(
                    score,
                    Content(target.label) + highlight(matcher, target.name),
                    partial(self.ops.jump_to, target.screen, target.entity_id),
                    text=target.name,
                    help=target.help,
                )
        session = self.ops.session

        def bug_titles() -> list[tuple[int, str]]:
            with session.reading() as repo:
                return repo.search_bug_titles(query, MAX_BUG_HITS)

        # In a thread of its own: a rare pair of letters tests every title (120 ms of
        # 1,000,000), and the palette keeps taking keys meanwhile.
        for bug_id, stored in await asyncio.to_thread(bug_titles):
            title = clean_line(PRIVACY.text(stored))
            score = max(matcher.match(title), 0.1)
            yield Hit(
                score,
                Content(f"Bug #{bug_id}: ") + highlight(matcher, title),
                partial(self.ops.jump_to, "bugs", bug_id),
                text=title,
                help="open on bug triage",
            )
