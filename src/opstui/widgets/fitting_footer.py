"""The footer that shows only the keys that fit whole.

Textual's footer scrolls the keys that do not fit off the edge, so an 80-column terminal
ends on "v I" or "E Esc". This one hides, from the right, the keys that would be cut: what
is shown is whole, and `?`, which lists every key, stays.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Footer


class FittingFooter(Footer):
    """A `Footer` whose keys are shown whole or not at all."""

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._hide_what_does_not_fit)

    def on_resize(self) -> None:
        # The keys are the same at any width (a new screen's first resize comes right after
        # its bindings' recompose): show them all again and hide what does not fit now.
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._hide_what_does_not_fit)

    def _hide_what_does_not_fit(self) -> None:
        keys: list[Widget] = [
            child
            for child in self.children
            if child.display and not child.has_class("-command-palette")
        ]
        right = self.content_region.right
        for child in self.children:
            if child.has_class("-command-palette") and child.display:
                right = min(right, child.region.x)
        available = right - self.content_region.x
        used = sum(key.region.width + key.styles.margin.width for key in keys)
        # From the right, but `?` (every key of the screen) stays.
        for key in reversed(keys):
            if used <= available:
                break
            if getattr(key, "action", "") in ("help", "app.help"):
                continue
            key.display = False
            used -= key.region.width + key.styles.margin.width
