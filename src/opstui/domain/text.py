"""Cleaning of user and database text: what may be stored and what may be shown.

Control characters (C0 except tab and newline, ESC among them, DEL, C1), bidirectional
embeddings, overrides, isolates and marks, and zero-width characters are removed. They are
never stored, and every string read back from a workspace (whatever table or meta key it
comes from, and whoever wrote it) passes through the same filter before it reaches a screen
or an export: the repository installs `clean_text` as its connection's text decoder, and
`clean_json_escapes` covers text stored JSON-encoded (the frozen snapshots).
"""

from __future__ import annotations

import re

# C0 controls except \t (0x09) and \n (0x0a), DEL, C1 controls, the bidi
# embedding/override/isolate marks that can reorder what a reader sees, and the zero-width
# characters that hide text or split a word a reader sees as one.
_REMOVED = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
_CONTROL = re.compile(f"[{_REMOVED}]")
_LINE_BREAKS = re.compile(r"[\t\n]+")
# Every way of breaking a line becomes a newline, so nothing else can break one on screen.
_NEWLINES = re.compile("\r\n?|[\u2028\u2029]")
# A JSON escape of a removed character (`\b`, `\f`, a carriage return, `\uXXXX`), not
# itself escaped by a preceding backslash.
_JSON_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\(?:[bfr]|u(?:000[0-8b-fB-F]|001[0-9a-fA-F]|007[fF]"
    r"|00[89][0-9a-fA-F]|061[cC]|200[b-fB-F]|202[a-eA-E]|206[0-46-9]|[fF][eE][fF][fF]))"
)

_JSON_ESCAPE_START = re.compile(r"\\[bfru]")


def clean_text(value: str) -> str:
    """Remove control characters, keeping tabs and newlines (multi-line text)."""
    if value.isprintable():
        # Nothing to remove or fold: every character removed above, and every line break,
        # is a control, format or separator character, which `isprintable` rejects. Most
        # text is like this, and the test is far cheaper than the two substitutions.
        return value
    return _CONTROL.sub("", _NEWLINES.sub("\n", value))


def clean_line(value: str) -> str:
    """Single-line text: controls removed, tabs and newlines become one space, trimmed."""
    if value.isprintable():  # no control character, tab or line break (see `clean_text`)
        return value.strip()
    return _LINE_BREAKS.sub(" ", clean_text(value)).strip()


def clean_stored(raw: bytes) -> str:
    """A TEXT value as SQLite hands it over: decoded (bad UTF-8 replaced, never an error)
    and cleaned. The repository's one way of turning stored bytes into a string."""
    return clean_text(raw.decode("utf-8", "replace"))


def clean_json_escapes(text: str) -> str:
    """JSON text with the `\\uXXXX` escapes of removed characters taken out, so decoding it
    cannot bring back what `clean_text` removes."""
    if _JSON_ESCAPE_START.search(text) is None:
        # Every escape taken out starts so; a plain search finds none far faster.
        return text
    return _JSON_ESCAPE.sub(r"\1", text)


def has_control_characters(value: str) -> bool:
    """True when `value` holds a character that `clean_text` would remove."""
    return _CONTROL.search(value) is not None
