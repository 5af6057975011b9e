"""The repository's part for one aggregate. The weekly review: its weeks, pre-read submissions,
KPIs, action items, decisions, risks, follow-ups, meeting notes and the frozen snapshots."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from opstui.data import history
from opstui.data.store import Store, record_of
from opstui.domain.history import StaleEditError, moment_words, person_words
from opstui.domain.models import (
    ActionItem,
    Decision,
    FollowUp,
    Kpis,
    MeetingNote,
    PrereadSubmission,
    Project,
    ReviewWeek,
    Risk,
    Submission,
)
from opstui.domain.text import clean_json_escapes

TREND_PARTS = (
    "week",
    "taken_on",
    "on_track",
    "total_projects",
    "bugs",
    "targets",
    "nps",
    "requests",
    "escalations",
    "action_items",
    "risks",
    "kpis",
    "support_tickets",
)
"""The top-level parts of a snapshot that the trends read whole."""


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

    def preread_submissions(self, week: str) -> list[PrereadSubmission]:
        """The week's pre-read submissions with their content, by person."""
        return self._models(
            PrereadSubmission,
            "SELECT * FROM preread_submissions WHERE week = ? ORDER BY person_id",
            [week],
        )

    def preread_submission(self, week: str, person_id: int) -> PrereadSubmission | None:
        """One person's pre-read for `week`, or None when they have not started it."""
        rows = self._models(
            PrereadSubmission,
            "SELECT * FROM preread_submissions WHERE week = ? AND person_id = ?",
            [week, person_id],
        )
        return rows[0] if rows else None

    def write_preread(
        self,
        seen: PrereadSubmission,
        updated: PrereadSubmission,
        projects: Sequence[tuple[Project, Project]] = (),
    ) -> PrereadSubmission:
        """Store a step of a pre-read — saved, submitted, returned, accepted — made on
        `seen` (the version the user had in front of them), with the author's edits of
        their projects (`(as seen, as edited)`, stored as `save_changes` does). One
        transaction, begun IMMEDIATE.

        Refused with `StaleEditError` (nothing written) when the stored pre-read is no
        longer the version `seen` — someone else saved, submitted or reviewed it since —
        or when a project field edited here was changed by someone else meanwhile.
        Returns the pre-read as stored, its version one up.
        """
        if (updated.week, updated.person_id) != (seen.week, seen.person_id):
            raise ValueError("a pre-read step must keep its week and person")
        with self.db.atomic():
            stored = self.preread_submission(seen.week, seen.person_id)
            stored_version = 0 if stored is None else stored.version
            if stored_version != seen.version:
                by = history.last_change_of_fields(
                    self.db.conn,
                    "preread_submissions",
                    f"{seen.week}/{seen.person_id}",
                    ("version",),
                )
                who, when = "someone else", ""
                if by is not None:
                    who, when = person_words(by), f" ({moment_words(by.at)})"
                state = "removed it" if stored is None else f"left it {stored.state.value}"
                raise StaleEditError(
                    f"{who} changed this pre-read{when} after you opened it and {state}",
                    stored,
                )
            row = record_of(updated.model_copy(update={"version": stored_version + 1}))
            for name in ("parts", "project_notes"):
                row[name] = json.dumps(row[name], sort_keys=True, ensure_ascii=False)
            if stored is None:
                columns = ", ".join(f"[{name}]" for name in row)
                values = ", ".join(f":{name}" for name in row)
                self.db.execute(
                    f"INSERT INTO preread_submissions ({columns}) VALUES ({values})", row
                )
            else:
                assignments = ", ".join(
                    f"[{name}] = :{name}" for name in row if name not in ("week", "person_id")
                )
                self.db.execute(
                    f"UPDATE preread_submissions SET {assignments} "
                    "WHERE week = :week AND person_id = :person_id AND version = :seen_version",
                    {**row, "seen_version": stored_version},
                )
            for before, after in projects:
                if seen.person_id not in (before.pm_id, before.lead_id):
                    raise ValueError(f"{before.name} is not a project of the pre-read's author")
                self._save_changes(before, after)
            written = self.preread_submission(seen.week, seen.person_id)
            assert written is not None
            return written

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

    def review_week(self, week: str) -> ReviewWeek | None:
        rows = self._models(ReviewWeek, "SELECT * FROM review_weeks WHERE week = ?", [week])
        return rows[0] if rows else None

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

    def snapshot_trend_parts(self, week: str, records: bool = True) -> dict[str, Any] | None:
        """The parts of a frozen week's snapshot its trends read (`TREND_PARTS` whole; of
        each project its phase, status and slip; of each customer its id, name, band and
        ARR), or None when the week is not frozen: a big portfolio's snapshot is not
        decoded whole for a few figures a week. Without `records`, no project or customer
        is read (the bug matrix's rates need neither: 30,000 of them a week at scale)."""
        paths = ", ".join(f"'$.{key}'" for key in TREND_PARTS)
        of_records = (
            ", (SELECT json_group_array(json_array(json_extract(value, '$.phase'), "
            "json_extract(value, '$.status'), json_extract(value, '$.slip_days'))) "
            "FROM json_each(s.data, '$.projects')), "
            "(SELECT json_group_array(json_array(json_extract(value, '$.id'), "
            "json_extract(value, '$.name'), json_extract(value, '$.band'), "
            "json_extract(value, '$.arr'))) FROM json_each(s.data, '$.customers'))"
            if records
            else ""
        )
        row = self.db.execute(
            f"SELECT json_extract(s.data, {paths}){of_records} "
            "FROM snapshots AS s WHERE s.week = ?",
            [week],
        ).fetchone()
        if row is None:
            return None
        values = json.loads(clean_json_escapes(row[0]))
        parts = {key: value for key, value in zip(TREND_PARTS, values, strict=True)}
        if records:
            parts["projects"] = [
                {"phase": phase, "status": status, "slip_days": slip}
                for phase, status, slip in json.loads(clean_json_escapes(row[1]))
            ]
            parts["customers"] = [
                {"id": cid, "name": name, "band": band, "arr": arr}
                for cid, name, band, arr in json.loads(clean_json_escapes(row[2]))
            ]
        return {key: value for key, value in parts.items() if value is not None}

    def snapshot_customer_health(self, week: str) -> list[tuple[object, object]]:
        """(name, health score) of each customer in a frozen week's snapshot, as stored
        (empty when the week is not frozen): the customers screen's trends, without
        decoding the whole snapshot."""
        rows = self.db.execute(
            "SELECT json_extract(value, '$.name'), json_extract(value, '$.health') "
            "FROM snapshots AS s, json_each(s.data, '$.customers') WHERE s.week = ?",
            [week],
        ).fetchall()
        return [(name, score) for name, score in rows]

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
