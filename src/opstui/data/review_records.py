"""The repository's part for one aggregate. The weekly review: its weeks, pre-read submissions,
KPIs, action items, decisions, risks, follow-ups, meeting notes and the frozen snapshots."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from opstui.data.store import Store
from opstui.domain.enums import (
    SubmissionPart,
)
from opstui.domain.models import (
    ActionItem,
    Decision,
    FollowUp,
    Kpis,
    MeetingNote,
    ReviewWeek,
    Risk,
    Submission,
)
from opstui.domain.text import clean_json_escapes


class ReviewRecords(Store):
    """The weekly review: its weeks, pre-read submissions, KPIs, action items, decisions, risks,
    follow-ups, meeting notes and the frozen snapshots."""

    # -- the weekly review ----------------------------------------------------------------

    def review_weeks(self) -> list[ReviewWeek]:
        return self.all(ReviewWeek, "week")

    def latest_review_week(self) -> str | None:
        """The newest week that has review data (a review week, KPIs or a snapshot)."""
        row = self.db.execute(
            "SELECT max(week) FROM (SELECT week FROM review_weeks UNION ALL "
            "SELECT week FROM kpis UNION ALL SELECT week FROM snapshots) "
            # A week another tool stored as something else is no review week.
            "WHERE week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'"
        ).fetchone()
        return None if row[0] is None else str(row[0])

    def submissions(self, week: str) -> list[Submission]:
        return self._models(
            Submission, "SELECT * FROM submissions WHERE week = ? ORDER BY person_id, part", [week]
        )

    def kpis(self, week: str) -> Kpis | None:
        rows = self._models(Kpis, "SELECT * FROM kpis WHERE week = ?", [week])
        return rows[0] if rows else None

    def action_items(self, week: str | None = None) -> list[ActionItem]:
        if week is None:
            return self.all(ActionItem, "week, id")
        return self._models(
            ActionItem, "SELECT * FROM action_items WHERE week = ? ORDER BY id", [week]
        )

    def decisions(self, week: str | None = None) -> list[Decision]:
        if week is None:
            return self.all(Decision, "raised_at, id")
        return self._models(
            Decision, "SELECT * FROM decisions WHERE week = ? ORDER BY raised_at, id", [week]
        )

    def risks(self) -> list[Risk]:
        return self.all(Risk, "id")

    def snapshot_data(self, week: str) -> dict[str, Any] | None:
        """A frozen week's stored figures (JSON), or None when the week is not frozen."""
        row = self.db.execute("SELECT data FROM snapshots WHERE week = ?", [week]).fetchone()
        return None if row is None else dict(json.loads(clean_json_escapes(row[0])))

    def snapshot_weeks(self) -> list[str]:
        return [row["week"] for row in self._rows("SELECT week FROM snapshots ORDER BY week")]

    # -- the week's checklist ---------------------------------------------------------------

    def set_submission(
        self, week: str, person_id: int, part: SubmissionPart, at: datetime | None
    ) -> None:
        """Record a pre-read part as submitted at `at`, or not submitted (None)."""
        self.upsert(Submission(week=week, person_id=person_id, part=part, submitted_at=at))

    def review_week(self, week: str) -> ReviewWeek | None:
        rows = self._models(ReviewWeek, "SELECT * FROM review_weeks WHERE week = ?", [week])
        return rows[0] if rows else None

    def set_director_acceptance(
        self, week: str, director_id: int | None, at: datetime | None
    ) -> None:
        """The director accepts the week's pre-read at `at` (None takes it back)."""
        current = self.review_week(week) or ReviewWeek(week=week)
        self.upsert(
            current.model_copy(update={"director_id": director_id, "director_accepted_at": at})
        )

    def follow_ups(self, week: str) -> dict[str, datetime]:
        """The week's follow-up checkpoints that are done, by day."""
        rows = self._models(FollowUp, "SELECT * FROM follow_ups WHERE week = ?", [week])
        return {row.day: row.done_at for row in rows}

    def set_follow_up(self, week: str, day: str, at: datetime | None) -> None:
        """Check a follow-up checkpoint off at `at`, or clear it (None)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM follow_ups WHERE week = ? AND day = ?", [week, day])
            if at is not None:
                self._insert(FollowUp(week=week, day=day, done_at=at))

    def meeting_notes(self, week: str) -> dict[str, str]:
        """The week's meeting notes, by agenda section."""
        rows = self._models(MeetingNote, "SELECT * FROM meeting_notes WHERE week = ?", [week])
        return {row.section: row.text for row in rows}

    def save_meeting_note(self, week: str, section: str, text: str) -> None:
        self.upsert(MeetingNote(week=week, section=section, text=text))

    def snapshot_part(self, week: str, key: str) -> Any:
        """One top-level part of a week's stored snapshot, parsed by SQLite's JSON functions."""
        row = self.db.execute(
            "SELECT json_extract(data, '$.' || ?) FROM snapshots WHERE week = ?", [key, week]
        ).fetchone()
        if row is None or row[0] is None:
            return None
        value = row[0]
        if isinstance(value, str) and value[:1] in "[{":
            return json.loads(clean_json_escapes(value))
        return value

    def snapshot_json(self, week: str) -> str | None:
        """A frozen week's figures as the JSON text stored, or None when it is not frozen.

        `SnapshotData.model_validate_json` on this text is several times faster than
        validating `snapshot_data`'s dict, which matters at thousands of customers.
        """
        row = self.db.execute("SELECT data FROM snapshots WHERE week = ?", [week]).fetchone()
        return None if row is None else clean_json_escapes(str(row[0]))

    def snapshot_frozen_at(self, week: str) -> datetime | None:
        """When `week` was frozen, or None when it is not."""
        row = self.db.execute("SELECT frozen_at FROM snapshots WHERE week = ?", [week]).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def freeze_snapshot(
        self,
        week: str,
        version: int,
        frozen_at: datetime,
        data: dict[str, Any],
        *,
        replace: bool = False,
    ) -> bool:
        """Store a week's snapshot unless the week is already frozen (or `replace` is set).

        One statement, so two freezes racing cannot both win. Returns False, having written
        nothing, when the week already has a snapshot and `replace` is False.
        """
        conflict = (
            "DO UPDATE SET version = excluded.version, frozen_at = excluded.frozen_at, "
            "data = excluded.data"
            if replace
            else "DO NOTHING"
        )
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO snapshots (week, version, frozen_at, data) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT(week) {conflict}",
                [
                    week,
                    version,
                    frozen_at.isoformat(),
                    json.dumps(data, sort_keys=True, ensure_ascii=False),
                ],
            )
            return cursor.rowcount == 1

    def delete_snapshot(self, week: str) -> bool:
        """Remove a week's snapshot; False when the week was not frozen."""
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM snapshots WHERE week = ?", [week])
            return cursor.rowcount > 0
