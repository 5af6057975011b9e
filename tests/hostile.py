"""A workspace whose every text column and meta value holds hostile text.

Another tool (or an older opstui) may have written anything into the file: terminal control
sequences that set the window title, write the clipboard or clear the screen, bidi overrides,
zero-width characters, and Textual markup that would quit the app when clicked or crash a
form. `poison` writes them straight into the SQLite file, around the validated API, the way
such a tool would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from opstui.data.repository import KEYED_TABLES, TABLES

MARKUP = "[@click=app.quit]ACME[/]"
"""Live markup: shown as "ACME", and clicking it quits the app."""
LINK = "[link=javascript:alert(1)]x[/link]"
"""Markup that makes `Content.from_markup` raise (and would be a link if it did not)."""
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x1b\\"
OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR_SCREEN = "\x1b[2J"
CSI_8BIT = "\x9b2J"
INVISIBLE = "\u202e\u2066\u200b\ufeff\x7f\x00"
CONTROLS = OSC_CLIPBOARD + OSC_TITLE + CLEAR_SCREEN + CSI_8BIT + INVISIBLE
PAYLOAD = f"{MARKUP}{CONTROLS}{LINK} "
"""What goes in front of every text value."""

FORBIDDEN = ("\x1b", "\x9b", "\x07", "\x7f", "\x00", "\u202e", "\u2066", "\u200b", "\ufeff")
"""Characters that must never reach a widget or the terminal from data."""

# Text fields that hold keys or codes the app parses rather than shows.
_NOT_FREE_TEXT = {"week", "section", "day", "query", "source_key"}


def text_columns() -> list[tuple[str, str]]:
    """Every (table, column) of the workspace that holds free text, from the models."""
    found: list[tuple[str, str]] = []
    tables = [*TABLES.items(), *((model, table) for model, (table, _) in KEYED_TABLES.items())]
    for model, table in tables:
        for name, field in model.model_fields.items():
            if field.annotation in (str, str | None) and name not in _NOT_FREE_TEXT:
                found.append((table, name))
    return found


def poison(path: Path, payload: str = PAYLOAD) -> list[tuple[str, str]]:
    """Put `payload` in front of every free-text value and the workspace's name; returns
    the (table, column) pairs changed."""
    connection = sqlite3.connect(path)
    changed = []
    with connection:
        for table, column in text_columns():
            connection.execute(
                f"UPDATE {table} SET {column} = ? || COALESCE({column}, '')", [payload]
            )
            changed.append((table, column))
        connection.execute(
            "INSERT INTO meta (key, value) VALUES ('name', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [payload + "Team"],
        )
    connection.close()
    return changed
