"""The virtual table draws a row again whenever what it shows changes: its text, its place
under the cursor, the width, the theme; a row that only moves is taken from its cache."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from opstui.themes import THEMES
from opstui.widgets.virtual_table import Column, ListSource, Row, VirtualTable

COLUMNS = (Column("name", "Name", 20), Column("state", "State", 10))


def rows(*names: str, state: str = "open") -> ListSource:
    return ListSource([Row(f"k:{n}", (Content(n), Content(state))) for n in names])


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS)

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)


def line(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


async def test_a_row_is_drawn_again_when_its_text_or_the_cursor_or_the_theme_changes() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_source(rows("alpha", "beta", "gamma"))
        await pilot.pause()
        assert "alpha" in line(table, 1) and "beta" in line(table, 2)

        # The same key with other text: the new text, not the cached line.
        table.set_source(rows("alpha", "beta", "gamma", state="closed"))
        await pilot.pause()
        assert "closed" in line(table, 1) and "open" not in line(table, 1)

        # A row that moves shows the same; the cursor coming onto it changes its style.
        table.set_source(rows("zero", "alpha", "beta", state="closed"))
        await pilot.pause()
        assert "zero" in line(table, 1) and "alpha" in line(table, 2)
        off_cursor = list(table.render_line(2))
        table.move_cursor(1)
        await pilot.pause()
        on_cursor = list(table.render_line(2))
        assert [s.text for s in on_cursor] == [s.text for s in off_cursor]
        assert [s.style for s in on_cursor] != [s.style for s in off_cursor]

        # Another theme: the same row in the theme's colours.
        before = list(table.render_line(2))
        app.theme = "opstui-projector"
        await pilot.pause()
        after = list(table.render_line(2))
        assert [s.text for s in after] == [s.text for s in before]
        assert [s.style for s in after] != [s.style for s in before]
