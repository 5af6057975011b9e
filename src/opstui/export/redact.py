"""Redaction for sharing an export outside the team: customer names and money masked.

Customers become "Customer 1", "Customer 2", … numbered in name order, so the same
customers get the same numbers in every export of the same data. A customer's name is
also replaced wherever it appears inside other text (an action item "Call Harbor & Pine's
CFO", a bug title), whole words only and regardless of case. Every money figure (ARR,
pipeline, revenue impact) shows as `MASKED_MONEY`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASKED_MONEY = "$•••"

_Trie = dict[str, "_Trie"]
_END = ""


def _trie_pattern(trie: _Trie) -> str:
    """A regex matching exactly the words of `trie`, longest first.

    One branch per distinct next character instead of one alternative per name keeps
    matching fast with thousands of customers.
    """
    branches = [
        re.escape(char) + _trie_pattern(child)
        for char, child in sorted(trie.items())
        if char != _END
    ]
    if not branches:
        return ""
    ends_here = _END in trie
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    trie: _Trie = {}
    for name in names:
        node = trie
        for char in name.lower():
            node = node.setdefault(char, {})
        node[_END] = {}
    if not trie:
        return None
    # Whole words: a customer called "Co" must not eat the "Co" of "Company A".
    return re.compile(rf"(?<!\w){_trie_pattern(trie)}(?!\w)", re.IGNORECASE)


class Redactor:
    """How names and money read in an export: as they are, or masked."""

    def __init__(self, customer_names: Iterable[str] = (), *, active: bool = False) -> None:
        self.active = active
        names = sorted({name for name in customer_names if name}, key=lambda n: (n.casefold(), n))
        self._aliases = {name: f"Customer {number}" for number, name in enumerate(names, 1)}
        self._by_lower = {name.lower(): alias for name, alias in self._aliases.items()}
        self._pattern = _names_pattern(names) if active else None

    def customer(self, name: str) -> str:
        """A customer's name, or its alias when redacting."""
        if not self.active:
            return name
        return self._aliases.get(name) or self.text(name)

    def text(self, text: str) -> str:
        """Free text, with every customer name in it replaced when redacting."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._alias_of, text)

    def _alias_of(self, match: re.Match[str]) -> str:
        return self._by_lower.get(match.group().lower(), "Customer")

    def money(self, value: float | None) -> str:
        """An amount of money in dollars ("$180,000"), or `MASKED_MONEY`; "—" when unknown."""
        if value is None:
            return "—"
        if self.active:
            return MASKED_MONEY
        return f"${value:,.0f}"
