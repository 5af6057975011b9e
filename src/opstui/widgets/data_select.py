"""A Select whose options come from data: names and titles are shown as text.

Textual reads a `str` prompt as markup, so a company called `[@click=app.quit]ACME[/]`
would show as "ACME" and quit the app when clicked, and `[link=…]` would crash the form.
Every dropdown in opstui is a `DataSelect`: each prompt passes the one cleaning step and
becomes a Rich `Text` (literal text, never markup; `Text` rather than `Content` because the
dropdown's type-to-search reads only `str` and `Text` prompts). An empty list of choices
shows a blank with `empty` instead of failing (a new workspace has no companies or people
yet).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual.widgets import Select
from textual.widgets.select import NoSelection

from opstui.widgets.privacy import shown_line

V = TypeVar("V")


def option_prompts(options: Iterable[tuple[Any, V]]) -> list[tuple[RenderableType, V]]:
    """`(prompt, value)` pairs with every text prompt cleaned and made literal `Text`."""
    return [
        (Text(shown_line(prompt)) if isinstance(prompt, str) else prompt, value)
        for prompt, value in options
    ]


class DataSelect(Select[V], Generic[V]):
    """`Select` for options built from workspace data (see the module docstring)."""

    def __init__(
        self,
        options: Iterable[tuple[Any, V]],
        *,
        prompt: str = "Select",
        allow_blank: bool = True,
        value: V | NoSelection = Select.NULL,
        empty: str = "none yet",
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        prompts = option_prompts(options)
        if not prompts:
            allow_blank, prompt = True, empty
        super().__init__(
            prompts,
            prompt=shown_line(prompt),
            allow_blank=allow_blank,
            value=value if prompts else Select.NULL,
            id=id,
            classes=classes,
            disabled=disabled,
        )

    def set_options(self, options: Iterable[tuple[Any, V]]) -> None:
        super().set_options(option_prompts(options))
