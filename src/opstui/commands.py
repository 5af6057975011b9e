"""The command palette: every action of the current screen, and jumps to any project,
bug or customer by fuzzy name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from opstui.widgets.fuzzy_text import highlight

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


class JumpCommands(Provider):
    """Jump to a project, customer or bug by (fuzzy) name."""

    @property
    def ops(self) -> OpsApp:
        return cast("OpsApp", self.app)

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        matcher = self.matcher(query)
        repo = self.ops.session.repo
        for project in repo.projects():
            score = matcher.match(project.name)
            if score > 0 and project.id is not None:
                yield Hit(
                    score,
                    Content("Project: ") + highlight(matcher, project.name),
                    partial(self.ops.jump_to, "portfolio", project.id),
                    text=project.name,
                    help="open on the portfolio",
                )
        for customer in repo.customers():
            score = matcher.match(customer.name)
            if score > 0 and customer.id is not None:
                yield Hit(
                    score,
                    Content("Customer: ") + highlight(matcher, customer.name),
                    partial(self.ops.jump_to, "customers", customer.id),
                    text=customer.name,
                    help="open on customer health",
                )
        for bug_id, title in repo.search_bug_titles(query, MAX_BUG_HITS):
            score = max(matcher.match(title), 0.1)
            yield Hit(
                score,
                Content(f"Bug #{bug_id}: ") + highlight(matcher, title),
                partial(self.ops.jump_to, "bugs", bug_id),
                text=title,
                help="open on bug triage",
            )
