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

    def render(self) -> RenderResult:
        parts = [
            Content.styled("opstui", "bold $accent"),
            Content(" · "),
            Content(self.workspace),
            Content(" · "),
            Content.styled(self.screen_title, "bold"),
        ]
        right: list[Content] = [Content.styled(f"Week {self.week}", "bold")]
        if self.escalations is not None:
            style = "bold $error" if self.escalations else "$success"
            right += [Content("  "), Content.styled(f"⚑ {self.escalations} escalations", style)]
        left = Content("").join(parts)
        right_content = Content("").join(right)
        gap = max(1, self.size.width - left.cell_length - right_content.cell_length)
        return Content("").join([left, Content(" " * gap), right_content])
