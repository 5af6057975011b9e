"""One person's Friday pre-read: tick each part they owe as submitted (now) or not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from opstui.domain.enums import SUBMISSION_PARTS, SubmissionPart
from opstui.domain.models import Person, Submission
from opstui.domain.review import preread
from opstui.domain.text import clean_line
from opstui.domain.weeks import preread_deadline


class PrereadDialog(ModalScreen[None]):
    """`1`–`4` tick or untick a part (ticking records the time now); esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"tick({n - 1})", f"Tick part {n}", id=f"preread.part_{n}")
            for n in range(1, 5)
        ),
        Binding("escape,enter", "close", "Close", id="preread.close"),
    ]

    DEFAULT_CSS = """
    PrereadDialog { align: center middle; }
    PrereadDialog > Vertical {
        width: 80; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(
        self,
        week: str,
        person: Person,
        submissions: Sequence[Submission],
        tick: Callable[[SubmissionPart, bool], Sequence[Submission]],
    ) -> None:
        super().__init__()
        self.week = week
        self.person = person
        self.submissions = list(submissions)
        """The person's submissions for the week, as the screen read them."""
        self.tick = tick
        """Ticks (True) or unticks a part; returns the person's submissions as now stored."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="preread-parts")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        summary = preread(self.week, [self.person], self.submissions)
        deadline = preread_deadline(self.week)
        lines = [
            Content.assemble(
                (clean_line(self.person.name), "bold"),
                f" · {self.person.role.value} · pre-read for {self.week}, "
                f"due {deadline:%a %b %d %H:%M}",
            ),
            Content(""),
        ]
        for number, part in enumerate(summary.rows[0].parts if summary.rows else (), start=1):
            if part.submitted_at is None:
                state = Content.styled("☐ missing", "bold $error")
            elif part.late:
                state = Content.styled(f"✔ late {part.submitted_at:%a %H:%M}", "bold $warning")
            else:
                state = Content.styled(f"✔ {part.submitted_at:%a %H:%M}", "$success")
            lines.append(
                Content.assemble((f"{number}  ", "bold $accent"), f"{part.part.value:<40}", state)
            )
        lines += [Content(""), Content.styled("1–4 tick / untick · esc closes", "dim")]
        self.query_one("#preread-parts", Static).update(Content("\n").join(lines))

    def action_tick(self, index: int) -> None:
        parts = SUBMISSION_PARTS.get(self.person.role, ())
        if index >= len(parts) or self.person.id is None:
            return
        part = parts[index]
        current = {s.part: s.submitted_at for s in self.submissions}
        self.submissions = list(self.tick(part, not current.get(part)))
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)
