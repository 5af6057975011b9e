"""A one-line strip of figures that fits its width: the least important pieces go first.

The strips above the tables (on track and phases, customers and bands, the week's
pre-read and escalations) say more than 80 columns hold. Rather than wrapping onto a second
line, or cutting a word at the edge, the strip leaves out whole pieces — hints first, then
details such as averages and comparisons — and keeps the figures a reader looks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import events
from textual.content import Content
from textual.widgets import Static

Piece = tuple[Content, int]
"""A piece of the strip (with the spaces that lead into it) and its rank: 0 is kept
longest; higher ranks are left out first, and the pieces of one rank together (the four
phases' averages are all shown or none)."""


def piece(text: str | Content, rank: int, style: str = "") -> Piece:
    """A piece from text (styled) or ready content."""
    content = text if isinstance(text, Content) else Content.styled(text, style)
    return content, rank


def whole(pieces: Iterable[Piece]) -> Content:
    """Every piece, for a place with room for all (meeting mode, wide terminals)."""
    return Content("").join(content for content, _rank in pieces)


def fitted(pieces: Sequence[Piece], width: int) -> Content:
    """The ranks whose pieces fit in `width` cells, most important first, the pieces shown
    in their own order."""
    ranks: dict[int, list[int]] = {}
    for index, (_content, rank) in enumerate(pieces):
        ranks.setdefault(rank, []).append(index)
    kept: list[int] = []
    used = 0
    for rank in sorted(ranks):
        length = sum(pieces[index][0].cell_length for index in ranks[rank])
        if used + length <= width:
            kept += ranks[rank]
            used += length
    return Content("").join(pieces[index][0] for index in sorted(kept)).rstrip()


class FittingStrip(Static):
    """A strip of pieces, refitted whenever its width changes."""

    DEFAULT_CSS = """
    FittingStrip { height: 1; text-wrap: nowrap; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._pieces: list[Piece] = []

    def show(self, pieces: Iterable[Piece]) -> None:
        self._pieces = list(pieces)
        self._fit()

    def on_resize(self, _: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.content_size.width or self.app.size.width
        self.update(fitted(self._pieces, width))
