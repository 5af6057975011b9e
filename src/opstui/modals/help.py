"""`?`: every key of the current screen, grouped, described by the bindings themselves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

GROUP_TITLES = {
    "app": "Global",
    "table": "Navigation",
    "portfolio": "Portfolio",
    "bugs": "Bugs",
    "customers": "Customers",
    "weekly": "Weekly review",
    "setup": "Setup",
}
"""Binding id prefix → group heading; other prefixes are capitalised."""


@dataclass(frozen=True, slots=True)
class HelpEntry:
    keys: str
    description: str
    tooltip: str


def help_groups(bindings: Mapping[str, ActiveBinding]) -> dict[str, list[HelpEntry]]:
    """Bindings grouped by their id's prefix; keys bound to one action are listed together."""
    merged: dict[tuple[str, str], list[str]] = {}
    found: dict[tuple[str, str], Binding] = {}
    for active in bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        prefix = (binding.id or "other").split(".")[0]
        identity = (prefix, binding.id or binding.action)
        merged.setdefault(identity, [])
        display = binding.key_display or active.node.app.get_key_display(binding)
        if display not in merged[identity]:
            merged[identity].append(display)
        found.setdefault(identity, binding)
    groups: dict[str, list[HelpEntry]] = {}
    for (prefix, _action), keys in merged.items():
        binding = found[(prefix, _action)]
        title = GROUP_TITLES.get(prefix, prefix.capitalize())
        groups.setdefault(title, []).append(
            HelpEntry(", ".join(keys), binding.description, binding.tooltip)
        )
    order = list(GROUP_TITLES.values())
    return dict(
        sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
    )


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath; esc, q or ? closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 84; max-height: 90%; height: auto;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; padding: 0 0 1 0; }
    HelpScreen VerticalScroll { height: auto; max-height: 100%; }
    HelpScreen .group { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, screen_title: str, groups: dict[str, list[HelpEntry]]) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(f"Keys — {self.screen_title}   (esc closes)"), id="help-title")
            with VerticalScroll():
                for title, entries in self.groups.items():
                    yield Static(Content(title), classes="group")
                    lines = [
                        Content.assemble(
                            (entry.keys.ljust(16), "bold $accent"),
                            entry.description,
                            (f" — {entry.tooltip}" if entry.tooltip else "", "dim"),
                        )
                        for entry in entries
                    ]
                    yield Static(Content("\n").join(lines))
