"""Bounds on the numbers users type, so that none reaches SQLite or `datetime` too big.

SQLite stores integers in 64 bits; a longer number typed into a filter or a form would raise
`OverflowError` deep in a query. Numbers are read only from ASCII digits (`"²".isdigit()` is
true, but `int("²")` fails) and refused past their bound where they are typed.
"""

from __future__ import annotations

import re

SQLITE_INTEGER_MAX = 2**63 - 1
"""The largest integer a SQLite column holds."""

MONEY_MAX = 10**15
"""The largest amount of money a field accepts (a quadrillion dollars)."""

_DIGITS = re.compile(r"[0-9]+")


def typed_integer(text: str, maximum: int = SQLITE_INTEGER_MAX) -> int | None:
    """The non-negative whole number `text` is, in ASCII digits; None when it is not one or
    when it is larger than `maximum`."""
    if _DIGITS.fullmatch(text) is None or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None
