"""The Friday pre-read from the weekly checklist: the person at the keyboard fills, saves
and submits their own; a director reads a submitted one and accepts it or returns it with
a comment; anyone else reads it. Who is at the keyboard is the name the session records
its writes as (`data.identity`), matched to a person of the workspace.

A mixin of the weekly screen (its rows, its week, its refresh); the writes are
`data.review`'s, one transaction each, refused rather than overwrite a newer version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from opstui.data.review import person_preread, preread_seen, review_preread, save_preread
from opstui.domain.history import StaleEditError
from opstui.domain.models import Person
from opstui.domain.review import (
    PrereadEdit,
    PrereadRow,
    PrereadSeen,
    PrereadSummary,
    is_director,
    may_edit,
    person_named,
)
from opstui.domain.weeks import preread_week
from opstui.modals.submission_form import SubmissionForm
from opstui.modals.submission_view import ReviewDecision, SubmissionView
from opstui.modals.text_prompt import TextPrompt
from opstui.screens.base import OpsScreen


class PrereadFlow(OpsScreen):
    """Opening, filling and reviewing pre-reads on the weekly screen, which gives the
    week, its loaded pre-read and people, the highlighted row and its way of writing."""

    week: str
    _mine_after_load = False

    def load(self) -> object:
        raise NotImplementedError

    def open_pending_preread(self) -> None:
        """Once a week switched to for `S` has loaded, open the pre-read asked for."""
        if self._mine_after_load:
            self._mine_after_load = False
            self.action_my_preread()

    def preread_summary(self) -> PrereadSummary | None:
        """The week's pre-read as last loaded (None before the first load)."""
        raise NotImplementedError

    def workspace_people(self) -> Sequence[Person]:
        raise NotImplementedError

    def highlighted_key(self) -> str | None:
        """The key of the checklist row under the cursor (None on another tab)."""
        raise NotImplementedError

    @property
    def frozen(self) -> bool:
        raise NotImplementedError

    def editable(self) -> bool:
        raise NotImplementedError

    def _save(self, change: Callable[[], object], message: str) -> None:
        raise NotImplementedError

    def keyboard_person(self) -> Person | None:
        """The workspace's person at the keyboard, if the recorded name is one."""
        return person_named(self.session.repo.person, self.workspace_people())

    def _row(self, person_id: int) -> PrereadRow | None:
        summary = self.preread_summary()
        return None if summary is None else summary.row_of(person_id)

    def _highlighted_row(self) -> PrereadRow | None:
        key = self.highlighted_key()
        if key is None or not key.startswith("person:"):
            return None
        return self._row(int(key.partition(":")[2]))

    def open_preread(self, person_id: int) -> None:
        """Open a person's pre-read: the form for one's own (while it may change), the
        review for a director, else the text to read."""
        row = self._row(person_id)
        if row is None:
            return
        me = self.keyboard_person()
        if me is not None and me.id == person_id and may_edit(row.submission):
            self.fill_preread(row)
            return
        may_review = (
            is_director(me)
            and me is not None
            and me.id != person_id
            and row.status.value in ("submitted", "late")
        )
        self.app.push_screen(
            SubmissionView(self.week, row, may_review=may_review and not self.frozen),
            lambda decision: self._decided(row, decision),
        )

    def action_my_preread(self) -> None:
        """`S`: the pre-read of the person at the keyboard, for the week shown — or, when
        the screen is on this week and a Friday has passed, for next Monday's review (the
        one being prepared)."""
        if self.preread_summary() is None:
            return
        preparing = preread_week(self.session.today)
        if self.week == self.session.week and preparing != self.week:
            self.week = preparing
            self._mine_after_load = True
            self.notify(f"The pre-read being prepared is for the review of {preparing}")
            self.load()
            return
        me = self.keyboard_person()
        if me is None or me.id is None:
            self.notify(
                f"You are recorded as {self.session.repo.person or 'nobody'}, who is no person "
                "of this workspace: add yourself on the setup screen (5) or start with "
                "--user NAME",
                severity="warning",
            )
            return
        if self._row(me.id) is None:
            self.notify(
                f"{me.name} is a {me.role.value}: only product managers and engineering "
                "leads submit a pre-read",
                severity="warning",
            )
            return
        self.open_preread(me.id)

    def fill_preread(self, row: PrereadRow) -> None:
        """The form of one's own pre-read; it saves before it closes."""
        summary = self.preread_summary()
        if not self.editable() or summary is None:
            return
        week, repo, session = self.week, self.session.repo, self.session
        reviewer = ""
        if row.submission is not None and row.submission.reviewer_id is not None:
            reviewer = row.reviewer

        def store(seen: PrereadSeen, edit: PrereadEdit) -> None:
            try:
                save_preread(repo, row, seen, edit, session.now())
            except StaleEditError as error:
                # Compare next time with what is stored now (the form keeps the typing).
                assert row.person.id is not None
                fresh = self._fresh_row(row.person.id)
                raise StaleEditError(str(error), preread_seen(fresh or row, week)) from None

        def closed(edit: PrereadEdit | None) -> None:
            if edit is None:
                return
            self.notify("Pre-read submitted" if edit.submit else "Pre-read draft saved")
            self.ops.data_changed()
            self.data_changed()

        form = SubmissionForm(week, row, summary.deadline, session.now(), comment_by=reviewer)
        self.app.push_screen(form.saving(preread_seen(row, week), store), closed)

    def _fresh_row(self, person_id: int) -> PrereadRow | None:
        return person_preread(
            self.session.repo, self.week, person_id, self.session.config.preread.due_time
        )

    def _decided(self, row: PrereadRow, decision: ReviewDecision | None) -> None:
        if decision is not None:
            self.decide_preread(row, decision)

    def decide_preread(self, row: PrereadRow, decision: ReviewDecision) -> None:
        """Write the director's decision on `row`'s pre-read (as it was read)."""
        submission = row.submission
        if submission is None:
            self.notify(f"{row.person.name} has not started a pre-read", severity="warning")
            return
        me = self.keyboard_person()
        repo, now = self.session.repo, self.session.now()
        comment = decision.comment if decision.action == "return" else None
        name = row.person.name
        self._save(
            lambda: review_preread(repo, submission, me, now, comment=comment),
            f"{name}'s pre-read accepted"
            if comment is None
            else f"{name}'s pre-read returned with your comment",
        )

    def action_accept_preread(self) -> None:
        """`A` on a person's row: the director accepts their submitted pre-read."""
        row = self._highlighted_row()
        if row is None:
            self.notify("Highlight a person's pre-read on the checklist first")
            return
        self.decide_preread(row, ReviewDecision("accept"))

    def action_return_preread(self) -> None:
        """`R` on a person's row: the director returns it, asking for a comment first."""
        row = self._highlighted_row()
        if row is None:
            self.notify("Highlight a person's pre-read on the checklist first")
            return

        def commented(text: str | None) -> None:
            if text:
                self.decide_preread(row, ReviewDecision("return", text))

        self.app.push_screen(
            TextPrompt(f"Return {row.person.name}'s pre-read: why? (they see this)"), commented
        )
