"""The app's header: workspace name, review week and the live escalation count."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class WorkspaceHeader(Widget):
    """One line: app, workspace, screen, review week, escalations."""

    DEFAULT_CSS = """
    WorkspaceHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    workspace: reactive[str] = reactive("")
    """The workspace's display name (from data: shown as text, never markup)."""
    week: reactive[str] = reactive("")
    """The review week, ISO format."""
    screen_title: reactive[str] = reactive("")
    """The current screen's name."""
    escalations: reactive[int | None] = reactive(None)
    """How many items need the CPTO's attention; None until counted."""
    private: reactive[bool] = reactive(False)
    """Whether privacy mode hides customer names and money."""

    def render(self) -> RenderResult:
        """The whole line where it fits; on a narrow terminal shorter words first ("⚑ 22",
        "2026-W28"), then without the app's name, then the workspace's name shortened."""
        width = self.content_size.width or self.size.width
        for long_words in (True, False):
            for with_app in (True, False):
                left = self._left(with_app)
                right = self._right(long_words)
                if left.cell_length + 1 + right.cell_length <= width:
                    return self._line(left, right, width)
        room = max(0, width - 1 - right.cell_length)
        return self._line(left.truncate(room, ellipsis=True), right, width)

    def _left(self, with_app: bool) -> Content:
        parts = [Content.styled("opstui", "bold $accent"), Content(" · ")] if with_app else []
        parts += [
            Content(self.workspace),
            Content(" · "),
            Content.styled(self.screen_title, "bold"),
        ]
        return Content("").join(parts)

    def _right(self, long_words: bool) -> Content:
        right: list[Content] = []
        if self.private:
            right += [Content.styled(" PRIVATE ", "bold reverse $warning"), Content("  ")]
        right.append(Content.styled(f"Week {self.week}" if long_words else self.week, "bold"))
        if self.escalations is not None:
            style = "bold $error" if self.escalations else "$success"
            words = " escalations" if long_words else ""
            right += [Content("  "), Content.styled(f"⚑ {self.escalations}{words}", style)]
        return Content("").join(right)

    @staticmethod
    def _line(left: Content, right: Content, width: int) -> Content:
        gap = max(1, width - left.cell_length - right.cell_length)
        return Content("").join([left, Content(" " * gap), right])
