"""A person's Friday pre-read, filled in: the text of each part their role owes, and each
of their projects' status, progress and next milestone (edited in place on the project)
with a note. `ctrl+s` saves a draft, `ctrl+r` submits; a returned pre-read shows the
director's comment above the fields.

The form receives what to show and returns what was typed; the screen writes it (with
`FormScreen.saving`, so a refused write keeps the form open with the typing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from opstui.domain.enums import ProjectStatus, SubmissionPart, SubmissionState
from opstui.domain.models import PrereadSubmission, Project, field_errors
from opstui.domain.review import PrereadEdit, PrereadRow, missing_parts
from opstui.modals.form_base import ROOT, FormScreen
from opstui.widgets.data_select import DataSelect

PROJECT_FIELDS = ("status", "progress", "next_milestone", "milestone_date")
"""The project fields a pre-read updates in place (the seed's standardized format)."""


def part_field(index: int) -> str:
    return f"part-{index}"


def project_field(project_id: int | None, name: str) -> str:
    return f"p{project_id}-{name}"


def _label(part: SubmissionPart) -> str:
    return part.value[:1].upper() + part.value[1:]


class SubmissionForm(FormScreen[PrereadEdit]):
    """Fill, save and submit one's pre-read for a review week. Its free text may name
    customers and amounts, so it does not open in privacy mode (the view, masked, does)."""

    HIDDEN_IN_PRIVACY = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "submit", "Submit", id="preread.submit", priority=True),
    ]

    DEFAULT_CSS = """
    SubmissionForm { align: center middle; }
    SubmissionForm #form { width: 96; height: 90%; border: thick $accent; background: $surface; }
    SubmissionForm #form-title { text-style: bold; padding: 0 1; height: auto; }
    SubmissionForm #form-state { padding: 0 1; height: auto; }
    SubmissionForm #form-comment { padding: 0 1; height: auto; color: $warning;
        text-style: bold; }
    SubmissionForm #form-fields { height: 1fr; padding: 0 1; }
    SubmissionForm .form-row { height: auto; }
    SubmissionForm .form-section { text-style: bold; color: $text-accent; margin-top: 1; }
    SubmissionForm .project-row { height: auto; }
    SubmissionForm .project-row Vertical { height: auto; width: 1fr; }
    SubmissionForm .field-error { color: $error; text-style: bold; display: none; height: auto; }
    SubmissionForm #form-buttons { height: auto; align-horizontal: right; padding: 0 1; }
    SubmissionForm #form-buttons Button { margin-left: 2; }
    """

    def __init__(
        self, week: str, row: PrereadRow, deadline: datetime, now: datetime, comment_by: str = ""
    ) -> None:
        super().__init__()
        assert row.person.id is not None
        self.row = row
        self.deadline = deadline
        self.now = now
        self.comment_by = comment_by
        """The director who returned it, when it was returned."""
        self.submission = row.submission or PrereadSubmission(week=week, person_id=row.person.id)
        self.submit_asked = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        row, submission = self.row, self.submission
        with Vertical(id="form"):
            yield Static(
                Content.assemble(
                    ("Pre-read of ", "bold"),
                    (row.person.name, "bold"),
                    f" · {row.person.role.value} · for the review of {submission.week}",
                ),
                id="form-title",
            )
            yield Static(self._state_words(), id="form-state")
            if submission.state is SubmissionState.RETURNED and submission.comment:
                yield Static(
                    Content.assemble(
                        f"Returned by {self.comment_by or 'the director'}: ",
                        (submission.comment, ""),
                    ),
                    id="form-comment",
                )
            with VerticalScroll(id="form-fields"):
                for index, part in enumerate(row.parts):
                    with Vertical(classes="form-row"):
                        yield Label(Content(f"{index + 1}. {_label(part)} *"))
                        area = TextArea(
                            submission.text_of(part),
                            id=f"field-{part_field(index)}",
                            soft_wrap=True,
                        )
                        area.styles.height = 4
                        yield area
                        yield self._error(part_field(index))
                yield Static(Content("Your projects"), classes="form-section")
                if not row.projects:
                    yield Static(
                        Content.styled(
                            "You are product manager or engineering lead of no project.", "dim"
                        )
                    )
                for project in row.projects:
                    yield from self._project_rows(project)
                yield self._error(ROOT)
            with Horizontal(id="form-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save draft (ctrl+s)", id="save")
                yield Button("Submit (ctrl+r)", id="submit", variant="primary")

    def _project_rows(self, project: Project) -> ComposeResult:
        pid = project.id
        note = self.submission.project_notes.get(pid or 0, "")
        yield Label(Content.assemble((project.name, "bold"), f" · {project.phase.value}"))
        with Horizontal(classes="project-row"):
            with Vertical():
                yield Label("Status")
                yield DataSelect(
                    tuple((status.value, status) for status in ProjectStatus),
                    value=project.status,
                    allow_blank=False,
                    id=f"field-{project_field(pid, 'status')}",
                )
                yield self._error(project_field(pid, "status"))
            with Vertical():
                yield Label("Progress (%)")
                yield Input(
                    f"{project.progress:g}",
                    placeholder="number",
                    id=f"field-{project_field(pid, 'progress')}",
                )
                yield self._error(project_field(pid, "progress"))
        with Horizontal(classes="project-row"):
            with Vertical():
                yield Label("Next milestone")
                yield Input(
                    project.next_milestone, id=f"field-{project_field(pid, 'next_milestone')}"
                )
                yield self._error(project_field(pid, "next_milestone"))
            with Vertical():
                yield Label("Milestone date")
                yield Input(
                    "" if project.milestone_date is None else project.milestone_date.isoformat(),
                    placeholder="YYYY-MM-DD",
                    id=f"field-{project_field(pid, 'milestone_date')}",
                )
                yield self._error(project_field(pid, "milestone_date"))
        yield Label("Status update")
        area = TextArea(note, id=f"field-{project_field(pid, 'note')}", soft_wrap=True)
        area.styles.height = 3
        yield area
        yield self._error(project_field(pid, "note"))

    @staticmethod
    def _error(name: str) -> Static:
        label = Static("", id=f"error-{name}", classes="field-error")
        label.display = False
        return label

    def _state_words(self) -> Content:
        submission = self.submission
        due = f"due {self.deadline:%a %b %d %H:%M}"
        if submission.version == 0:
            state = "not started"
        elif submission.submitted_at is not None and submission.state is not SubmissionState.DRAFT:
            state = (
                f"{submission.state.value} · last submitted "
                f"{submission.submitted_at:%a %b %d %H:%M}"
            )
        else:
            state = submission.state.value
        if self.row.late:
            late = " · submitted late"
        elif submission.first_submitted_at is None and self.now > self.deadline:
            late = " · past the deadline: submitting now is late"
        else:
            late = ""
        return Content.assemble(
            ("State: ", "dim"), (state, "bold"), f" · {due}", (late, "bold $warning")
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one(f"#field-{part_field(0)}", TextArea))

    # -- reading the fields -------------------------------------------------------------------

    def _text(self, name: str) -> str:
        return self.query_one(f"#field-{name}", TextArea).text

    def validated(self) -> PrereadEdit:
        parts = {part: self._text(part_field(i)) for i, part in enumerate(self.row.parts)}
        notes: dict[int, str] = {}
        projects: list[Project] = []
        errors: dict[str, str] = {}
        for project in self.row.projects:
            pid = project.id
            if pid is None:
                continue
            notes[pid] = self._text(project_field(pid, "note"))
            status = self.query_one(f"#field-{project_field(pid, 'status')}", Select).value
            values: dict[str, Any] = {
                **project.model_dump(),
                "status": project.status if status is Select.NULL else status,
                "progress": self._line(project_field(pid, "progress")),
                "next_milestone": self._line(project_field(pid, "next_milestone")),
                "milestone_date": self._line(project_field(pid, "milestone_date")) or None,
            }
            try:
                projects.append(Project.model_validate(values))
            except ValidationError as error:
                for name, message in field_errors(error).items():
                    key = project_field(pid, name) if name in PROJECT_FIELDS else ROOT
                    errors.setdefault(key, message)
        if errors:
            self.show_errors(errors)
            raise _Shown
        return PrereadEdit(parts, notes, tuple(projects), self.submit_asked)

    def _line(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    def accept(self, value: PrereadEdit) -> PrereadEdit | None:
        if not value.submit:
            return value
        typed = self.submission.model_copy(update={"parts": value.parts})
        missing = missing_parts(typed, self.row.parts)
        if missing:
            self.show_errors(
                {
                    part_field(self.row.parts.index(part)): "write this part before submitting"
                    for part in missing
                }
            )
            return None
        return value

    def action_save(self) -> None:
        self.show_errors({})
        try:
            super().action_save()
        except _Shown:
            pass
        finally:
            self.submit_asked = False

    def action_submit(self) -> None:
        self.submit_asked = True
        self.action_save()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()


class _Shown(Exception):
    """Errors already shown under their fields: the save stops there."""
