"""A table that renders only the rows on screen, from any source of rows.

Textual's DataTable builds and measures every row up front, which takes seconds at tens of
thousands of rows. Here a `RowSource` hands out just the rows being drawn, so a table over
100,000 bugs paged from SQLite costs the same to draw as one over ten projects. Cells are
`Content`, so text from a workspace is never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import ClassVar, Generic, Literal, Protocol, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

from opstui.widgets.privacy import shown_line
from opstui.widgets.readable import readable_strip

T = TypeVar("T")

LINE_CACHE = 400
"""Rendered rows kept: ten screens of the tallest terminal."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its key, heading, width in cells and alignment."""

    key: str
    label: str
    width: int
    align: Literal["left", "right"] = "left"
    min_width: int | None = None
    """A flexible column: it takes the table's spare width and gives some back, down to
    this, when the terminal is narrow."""
    max_width: int | None = None
    """How wide a flexible column grows on a wide terminal (default: 1.5 × `width`); the
    spare width beyond goes to the next flexible column, then stays empty."""
    drop: int = 0
    """When even the least widths do not fit, the column with the highest `drop` goes
    first (0: never dropped). The columns that say most (status, risk, slip) keep 0."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table. A group row is a heading the cursor passes over."""

    key: str
    cells: tuple[Content, ...]
    group: bool = False
    style: str = ""
    """Extra style for the whole row (e.g. dim for resolved rows)."""


class RowSource(Protocol):
    """Where rows come from: a list, or pages of a SQL query."""

    def __len__(self) -> int: ...

    def rows(self, start: int, stop: int) -> Sequence[Row]:
        """Rows `start` (inclusive) to `stop` (exclusive)."""
        ...


@dataclass(slots=True)
class ListSource:
    """Rows held in memory."""

    items: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    def rows(self, start: int, stop: int) -> Sequence[Row]:
        return self.items[start:stop]


class LazyRows(Generic[T]):
    """Rows built only when drawn: the keys are known up front, cells are made on demand.

    A table of thousands of items builds the few dozen rows on screen, not all of them.
    """

    def __init__(self, items: Sequence[T], keys: Sequence[str], build: Callable[[T], Row]):
        self.items = items
        self.keys = keys
        self.build = build
        self._built: dict[int, Row] = {}
        self._index = {key: index for index, key in enumerate(keys)}

    def __len__(self) -> int:
        return len(self.items)

    def rows(self, start: int, stop: int) -> Sequence[Row]:
        found = []
        for index in range(max(0, start), min(stop, len(self.items))):
            row = self._built.get(index)
            if row is None:
                row = self._built[index] = self.build(self.items[index])
            found.append(row)
        return found

    def index_of(self, key: str) -> int | None:
        return self._index.get(key)


def text_cell(value: object, style: str = "") -> Content:
    """A cell showing `value` as plain text: control characters removed, no markup, and
    customer names and money masked in privacy mode."""
    text = shown_line(str(value)) if value is not None else ""
    return Content.styled(text, style) if style else Content(text)


class VirtualTable(ScrollView, can_focus=True):
    """A keyboard-driven table over a `RowSource`, drawing only visible rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "edge(-1)", "First row", show=False, id="table.first"),
        Binding("end", "edge(1)", "Last row", show=False, id="table.last"),
        Binding("enter", "select", "Open", id="table.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--group",
        "virtual-table--marked",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        height: 1fr;
        scrollbar-gutter: stable;
    }
    VirtualTable > .virtual-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    VirtualTable > .virtual-table--cursor {
        background: $block-cursor-blurred-background;
    }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    VirtualTable > .virtual-table--group {
        text-style: bold;
        color: $accent;
    }
    VirtualTable > .virtual-table--marked {
        background: $secondary 30%;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row."""

    class Highlighted(Message):
        """The cursor moved to a row."""

        def __init__(self, table: VirtualTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Message):
        """A row was chosen with enter or a click."""

        def __init__(self, table: VirtualTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class HeaderSelected(Message):
        """A column heading was clicked (screens sort by it)."""

        def __init__(self, table: VirtualTable, column: str) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.base_columns: list[Column] = list(columns)
        """The columns as declared; `columns` are the same fitted to the width."""
        self.columns: list[Column] = list(columns)
        self.kept: list[int] = list(range(len(columns)))
        """Which of `base_columns` are shown (indices): rows give a cell for each of them."""
        self.source: RowSource = ListSource()
        self.marked: set[str] = set()
        """Keys of rows marked for a bulk action."""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._lines: LRUCache[Hashable, Strip] = LRUCache(LINE_CACHE)
        """Rendered data rows, by what they show: a row that moves (the next bug after a
        decision, a scroll) or comes back is not drawn again."""
        self._update_virtual_size()

    # -- data ---------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.base_columns = list(columns)
        self._fit_columns()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Fit the columns to the width: on a narrow terminal the columns that say least
        are dropped (highest `drop` first) until the least widths fit, then the flexible
        ones shrink to their minimum; on a wide one the flexible ones grow, each up to its
        `max_width`."""
        available = self.scrollable_content_region.width
        kept = list(range(len(self.base_columns)))

        def least(index: int) -> int:
            column = self.base_columns[index]
            return (column.min_width or column.width) + 1

        if available > 0:
            while sum(least(i) for i in kept) > available:
                droppable = [i for i in kept if self.base_columns[i].drop > 0]
                if not droppable:
                    break
                kept.remove(max(droppable, key=lambda i: (self.base_columns[i].drop, i)))
        self.kept = kept
        columns = [self.base_columns[i] for i in kept]
        flexible = [i for i, column in enumerate(columns) if column.min_width is not None]
        spare = available - sum(column.width + 1 for column in columns)
        if available > 0 and flexible:
            if spare > 0:
                for index in flexible:
                    grow = columns[index]
                    limit = grow.max_width or grow.width * 3 // 2
                    give = min(spare, max(0, limit - grow.width))
                    columns[index] = replace(grow, width=grow.width + give)
                    spare -= give
            else:
                for index in flexible:
                    column = columns[index]
                    give = min(-spare, column.width - (column.min_width or column.width))
                    columns[index] = replace(column, width=column.width - give)
                    spare += give
        self.columns = columns
        self._lines.clear()
        self._update_virtual_size()
        self.refresh()

    def set_source(self, source: RowSource, keep: str | None = None) -> None:
        """Show `source`; the cursor stays on row `keep` when it is still there."""
        self.source = source
        self._update_virtual_size()
        index = self.index_of(keep) if keep is not None else None
        self.cursor = self._settle(
            index if index is not None else min(self.cursor, len(source) - 1)
        )
        self.refresh()

    def length_changed(self) -> None:
        """The source holds a different number of rows now (its count came later)."""
        self._update_virtual_size()
        self.cursor = self._settle(self.cursor)
        self.refresh()

    def index_of(self, key: str) -> int | None:
        """Index of the row with `key`, searching the source (lists: fast enough; SQL: paged)."""
        lookup = getattr(self.source, "index_of", None)
        if callable(lookup):
            found = lookup(key)
            return found if isinstance(found, int) else None
        total = len(self.source)
        step = 500
        for start in range(0, total, step):
            for offset, row in enumerate(self.source.rows(start, min(total, start + step))):
                if row.key == key:
                    return start + offset
        return None

    def row_at(self, index: int) -> Row | None:
        if 0 <= index < len(self.source):
            rows = self.source.rows(index, index + 1)
            return rows[0] if rows else None
        return None

    @property
    def current(self) -> Row | None:
        """The highlighted row, if it is a data row."""
        row = self.row_at(self.cursor)
        return None if row is None or row.group else row

    @property
    def current_key(self) -> str | None:
        row = self.current
        return None if row is None else row.key

    def _update_virtual_size(self) -> None:
        width = sum(column.width + 1 for column in self.columns)
        self.virtual_size = Size(width, len(self.source) + 1)

    # -- cursor -------------------------------------------------------------------------------

    def _settle(self, index: int, direction: int = 1) -> int:
        """The nearest data row to `index` (group headings are skipped), or 0 when empty."""
        total = len(self.source)
        if total == 0:
            return 0
        index = max(0, min(index, total - 1))
        forward = range(index, total)
        backward = range(index, -1, -1)
        # Lazily: a list of a million indexes would cost 20 ms on every cursor move.
        ahead = chain(forward, backward) if direction > 0 else chain(backward, forward)
        for candidate in ahead:
            row = self.row_at(candidate)
            if row is not None and not row.group:
                return candidate
        return index

    def watch_cursor(self, cursor: int) -> None:
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.current_key))
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        # force: the new source may need scrolling the old one did not (a long list after a
        # short one), and the scroll must not wait for the scrollbars to catch up.
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True, force=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True, force=True)

    def move_cursor(self, index: int, direction: int = 1) -> None:
        self.cursor = self._settle(index, direction)

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta, 1 if delta > 0 else -1)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - 2)
        self.move_cursor(self.cursor + direction * page, direction)

    def action_edge(self, direction: int) -> None:
        self.move_cursor(len(self.source) - 1 if direction > 0 else 0, -direction)

    def action_select(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + int(self.scroll_offset.x)
            for column in self.columns:
                if x < column.width + 1:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
                x -= column.width + 1
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self.source):
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_select()

    # -- drawing ------------------------------------------------------------------------------

    def _heading(self, column: Column) -> Content:
        label = column.label
        if column.key == self.sort_column:
            label = f"{label} {'▼' if self.sort_reverse else '▲'}"
        return Content(label)

    def _line(self, cells: Sequence[Content]) -> Content:
        parts: list[Content] = []
        for column, cell in zip(self.columns, cells, strict=False):
            cell = cell.truncate(column.width, ellipsis=True)
            cell = (
                cell.pad_left(column.width - cell.cell_length)
                if column.align == "right"
                else (cell.pad_right(column.width - cell.cell_length))
            )
            parts.append(cell)
        return Content(" ").join(parts)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_offset.x)
        full_width = max(width + scroll_x, self.virtual_size.width)
        if y == 0:
            style = self.get_visual_style("virtual-table--header")
            content = self._line([self._heading(column) for column in self.columns])
        else:
            index = int(self.scroll_offset.y) + y - 1
            row = self.row_at(index)
            if row is None:
                return Strip.blank(width, self.visual_style.rich_style)
            if row.group:
                style = self.get_visual_style("virtual-table--group")
                content = row.cells[0] if row.cells else Content("")
            else:
                if index == self.cursor:
                    style = self.get_visual_style("virtual-table--cursor")
                elif row.key in self.marked:
                    style = self.get_visual_style("virtual-table--marked")
                else:
                    style = self.visual_style
                cells = row.cells
                if len(self.kept) != len(self.base_columns):  # narrow: some columns dropped
                    cells = tuple(cells[i] for i in self.kept if i < len(cells))
                key = (tuple(cells), row.style, style, full_width, scroll_x, width, self.app.theme)
                drawn = self._lines.get(key)
                if drawn is None:
                    content = self._line(cells)
                    if row.style:
                        content = content.stylize_before(row.style)
                    drawn = self._draw(content, style, full_width, scroll_x, width)
                    self._lines[key] = drawn
                return drawn
        return self._draw(content, style, full_width, scroll_x, width)

    def _draw(
        self, content: Content, style: VisualStyle, full_width: int, scroll_x: int, width: int
    ) -> Strip:
        strips = Visual.to_strips(self, content, full_width, 1, style, pad=True)
        strip = strips[0] if strips else Strip.blank(full_width, style.rich_style)
        # A cell's colour that cannot be read on this row (the cursor's, a mark's) gives
        # way to the row's own text colour.
        text_color = style.rich_style.color
        return readable_strip(
            strip.crop(scroll_x, scroll_x + width),
            Color.from_rich_color(text_color) if text_color is not None else None,
        )
