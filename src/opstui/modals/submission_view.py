"""One person's Friday pre-read, read: every part, each project's note, its state and the
director's last comment. For a director looking at a submitted pre-read, `a` accepts it
and `r` returns it with a comment; the screen writes the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from opstui.domain.review import PrereadRow
from opstui.modals.text_prompt import TextPrompt
from opstui.widgets.privacy import PRIVACY_BINDING, shown_line, shown_text
from opstui.widgets.weekly_rows import STATUS_STYLES


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """The director's decision on a pre-read: accept, or return with a comment."""

    action: Literal["accept", "return"]
    comment: str = ""


def preread_content(row: PrereadRow) -> Content:
    """The pre-read as text: its state, the director's comment, each part and each
    project's note. Everything written is shown as text, never markup, and with customer
    names and money masked in privacy mode."""
    submission = row.submission
    lines: list[Content] = [
        Content.assemble(
            ("State: ", "dim"),
            (row.status.value, STATUS_STYLES[row.status.value]),
            (" (first submitted late)", "$warning")
            if row.late and row.status.value != "late"
            else "",
        )
    ]
    if submission is None:
        lines.append(Content.styled("Not started.", "dim"))
        return Content("\n").join(lines)
    if submission.submitted_at is not None:
        lines.append(Content(f"Submitted {submission.submitted_at:%a %b %d %H:%M}"))
    if submission.comment:
        who = shown_line(row.reviewer) or "the director"
        lines.append(
            Content.assemble(
                (f"Comment by {who}: ", "bold $warning"), shown_text(submission.comment)
            )
        )
    for part in row.parts:
        text = shown_text(submission.text_of(part)).strip()
        lines.append(Content(""))
        lines.append(Content.styled(part.value[:1].upper() + part.value[1:], "bold"))
        lines.append(Content(text) if text else Content.styled("(nothing written)", "dim"))
    for project in row.projects:
        note = shown_text(submission.project_notes.get(project.id or 0, "")).strip()
        lines.append(Content(""))
        lines.append(
            Content.assemble(
                (shown_line(project.name), "bold"),
                f" · {project.status.value} · {project.progress:g}% · next: ",
                shown_line(project.next_milestone) or "—",
            )
        )
        lines.append(Content(note) if note else Content.styled("(no note)", "dim"))
    return Content("\n").join(lines)


class SubmissionView(ModalScreen[ReviewDecision | None]):
    """A pre-read, read; `a` / `r` for a director who may review it; esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        PRIVACY_BINDING,
        Binding("a", "accept", "Accept", id="preread.accept"),
        Binding("r", "return", "Return with comment", id="preread.return"),
        Binding("escape,q", "close", "Close", id="preread.close"),
    ]

    DEFAULT_CSS = """
    SubmissionView { align: center middle; }
    SubmissionView > Vertical {
        width: 90; height: 80%; border: thick $accent; background: $surface; padding: 0 1;
    }
    SubmissionView #view-title { text-style: bold; height: auto; }
    SubmissionView #view-body { height: 1fr; }
    SubmissionView #view-keys { height: auto; color: $text-muted; }
    """

    def __init__(self, week: str, row: PrereadRow, *, may_review: bool) -> None:
        super().__init__()
        self.week = week
        self.row = row
        self.may_review = may_review
        """Whether the one looking may accept or return it (a director; it is submitted)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content.assemble(
                    "Pre-read of ",
                    shown_line(self.row.person.name),
                    f" · {self.row.person.role.value} · review of {self.week}",
                ),
                id="view-title",
            )
            with VerticalScroll(id="view-body"):
                yield Static(preread_content(self.row), id="view-content")
            keys = "a accepts · r returns it with a comment · " if self.may_review else ""
            yield Static(Content(keys + "esc closes"), id="view-keys")

    def privacy_changed(self) -> None:
        """Privacy mode turned on or off: the text drawn again, masked or not."""
        self.query_one("#view-content", Static).update(preread_content(self.row))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "return"):
            return self.may_review
        return True

    def action_accept(self) -> None:
        self.dismiss(ReviewDecision("accept"))

    def action_return(self) -> None:
        def commented(text: str | None) -> None:
            if text:
                self.dismiss(ReviewDecision("return", text))

        self.app.push_screen(TextPrompt("Why is it returned? (the author sees this)"), commented)

    def action_close(self) -> None:
        self.dismiss(None)
