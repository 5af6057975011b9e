"""Cleaning of user and database text: what may be stored and what may be shown.

Control characters (C0 except tab and newline, DEL, C1) and bidirectional overrides and
isolates are removed. They are never stored, and text read back from a workspace written by
another tool is passed through the same filter before it reaches a screen or an export.
"""

from __future__ import annotations

import re

# C0 controls except \t (0x09) and \n (0x0a), DEL, C1 controls, and the bidi
# embedding/override/isolate marks that can reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_LINE_BREAKS = re.compile(r"[\t\n]+")


def clean_text(value: str) -> str:
    """Remove control characters, keeping tabs and newlines (multi-line text)."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(value: str) -> str:
    """Single-line text: controls removed, tabs and newlines become one space, trimmed."""
    return _LINE_BREAKS.sub(" ", clean_text(value)).strip()


def has_control_characters(value: str) -> bool:
    """True when `value` holds a character that `clean_text` would remove."""
    return _CONTROL.search(value) is not None
