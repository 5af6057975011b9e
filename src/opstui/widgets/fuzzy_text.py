"""Fuzzy-match highlighting that keeps the candidate plain text.

`textual.fuzzy.Matcher.highlight` parses the candidate as markup, so a project named
`[@click=app.quit]x[/]` would turn into a live link; here the marks go on plain `Content`.
"""

from __future__ import annotations

from textual.content import Content
from textual.fuzzy import Matcher

from opstui.domain.text import clean_line

MATCH_STYLE = "bold underline $accent"


def highlight(matcher: Matcher, candidate: str) -> Content:
    """`candidate` as text, with the letters that matched the query marked."""
    shown = clean_line(candidate)
    content = Content(shown)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    if score <= 0:
        return content
    for offset in offsets:
        if offset < len(shown) and not shown[offset].isspace():
            content = content.stylize(MATCH_STYLE, offset, offset + 1)
    return content
