r"""Text from the workspace as literal text in GitHub-flavoured Markdown.

Data never becomes Markdown or HTML. Every character that could start emphasis, code, a
link, a table cell or raw HTML is escaped (backslash escapes GFM honours, or entities for
`<`, `>` and `&`); line breaks become spaces, so text stays inside its table cell or list
item; and text placed at the start of a line cannot open a heading, list, blockquote,
code fence, thematic break or table. Headings, lists and tables are only ever the
exporter's own.

Nothing from the data becomes a link either, not even through GFM's autolink extension,
which links `www.` domains, `http://`, `https://` and `ftp://` URLs, and e-mail addresses
(bare, or after `mailto:` or `xmpp:`) in plain text; a domain without `www.` or a scheme
(`evil.example/path`) it leaves alone. `www.` and `://` are stopped by a backslash escape
(`www\.`, `https\://`); an e-mail address is found after escapes and entities are
resolved, so an invisible word joiner (U+2060) goes before its `@`. The visible text is
unchanged. A full URL is shown, not linked: the extension would read the backslashes of an
escaped `_`, `~` or `*` inside it as part of the address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opstui.domain.text import clean_text

_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "~": "\\~",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        # GitHub renders $…$ as maths; a dollar from the data is only ever a dollar.
        "$": "\\$",
        # Entities, not backslashes: no raw HTML (or autolink) can ever be opened.
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)
# What GFM's autolink extension links while it parses: `www.` (it is case-sensitive; any
# case is escaped) and `scheme://`. The escaped character keeps the match from starting.
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_SCHEME = re.compile(r":(?=//)")
# An e-mail address is linked after parsing, where escapes no longer show; a character
# that is neither a letter, a digit nor one of `.+-_` just before the `@` leaves it no
# local part. The word joiner is that character: it is invisible and allows no line break.
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@")
_WORD_JOINER = "&#8288;"
# Line breaks of every kind, tabs and runs of spaces become one space.
_BREAKS = re.compile("[\\s\u2028\u2029]+")
# A `#` opens a heading at a line's start and closes one after a space ("Fix #"); "C#"
# and "a#b" are plain text and stay readable.
_HASH = re.compile(r"(^|\s)#")
# What opens a block at the start of a line once `#`, `>` and fences are escaped: list
# bullets, setext/thematic-break characters, an ordered-list number ("1." or "1)").
_LEADING_MARKER = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")


def inline(text: str) -> str:
    """`text` as one line of literal Markdown, safe anywhere, including a line's start."""
    flat = clean_text(text)
    if not flat.isascii() or not flat.isprintable() or "  " in flat:
        # Printable ASCII without a double space has no break or run of spaces to fold.
        flat = _BREAKS.sub(" ", flat)
    flat = flat.strip()
    escaped = _unlinked(flat.translate(_ESCAPES))
    if "#" in escaped:
        escaped = _HASH.sub(r"\1\\#", escaped)
    marker = _LEADING_MARKER.match(escaped)
    if marker is None:
        return escaped
    if marker.group().isdigit():
        # "1. x" → "1\. x": the number stays, the list does not start.
        end = marker.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return f"\\{escaped}"


def _unlinked(escaped: str) -> str:
    """Escaped text with every autolink GFM would find in it defused (see above)."""
    # Each pattern needs its character: text without it is left as it is, unsearched.
    if "." in escaped:
        escaped = _WWW.sub(r"\1\\.", escaped)
    if ":" in escaped:
        escaped = _SCHEME.sub(r"\\:", escaped)
    return _EMAIL_AT.sub(f"{_WORD_JOINER}@", escaped) if "@" in escaped else escaped


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table. Cells must already be Markdown (see `inline`); every row must have as
    many cells as there are headers, so no row can shift the columns."""
    width = len(headers)
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("-" * (len(header) + 2) for header in headers) + "|",
    ]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a table row has {len(row)} cells for {width} columns")
        # An empty cell reads as a gap, not as a missing column, in the source.
        lines.append("| " + " | ".join(cell or " " for cell in row) + " |")
    return "\n".join(lines)


def heading(level: int, text: str) -> str:
    """A heading of the exporter's own, with `text` (data or not) escaped."""
    return f"{'#' * level} {inline(text)}"


def bullets(items: Sequence[str]) -> str:
    """A bullet list of already-escaped items, one line each."""
    return "\n".join(f"- {item}" for item in items)


def capped(items: Sequence[str], limit: int, rest: str = "more") -> list[str]:
    """The first `limit` items, then "… and N more" (`rest` names what is left out) when
    there are more: a message stays short whatever the week holds."""
    if len(items) <= limit:
        return list(items)
    return [*items[:limit], f"… and {len(items) - limit:,} {rest}"]
