"""The command palette: every action of the current screen, and jumps to any project,
bug or customer by fuzzy name."""

from __future__ import annotations

import asyncio
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


YIELD_EVERY = 400
"""Names matched between two returns to the event loop: typing stays responsive."""


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
        # it would score above zero); a compiled pattern finds those much faster.
        holds = re.compile(".*?".join(re.escape(letter) for letter in query.lower()), re.S).search
        for number, target in enumerate(self._targets):
            if number % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            if holds(target.folded) is None:
                continue
            score = matcher.match(target.name)
            if score > 0:
                yield Hit(
                    score,
                    Content(target.label) + highlight(matcher, target.name),
                    partial(self.ops.jump_to, target.screen, target.entity_id),
                    text=target.name,
                    help=target.help,
                )
        repo = self.ops.session.repo
        for bug_id, stored in repo.search_bug_titles(query, MAX_BUG_HITS):
            title = clean_line(PRIVACY.text(stored))
            score = max(matcher.match(title), 0.1)
            yield Hit(
                score,
                Content(f"Bug #{bug_id}: ") + highlight(matcher, title),
                partial(self.ops.jump_to, "bugs", bug_id),
                text=title,
                help="open on bug triage",
            )
