"""What every mode screen shares: the header, the footer and the session."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual.screen import Screen
from textual.worker import Worker

from opstui.data.workspace import NOTHING_CHANGED, explain_failure
from opstui.domain.history import StaleEditError
from opstui.widgets.header import WorkspaceHeader
from opstui.widgets.privacy import PRIVACY

if TYPE_CHECKING:
    from opstui.app import OpsApp
    from opstui.session import Session


def not_saved_words(error: Exception, workspace: Path | None) -> str:
    """Why a write from a screen stored nothing, in words: who changed the record meanwhile,
    or that the workspace stayed busy past the wait, or the error itself."""
    if isinstance(error, StaleEditError):
        return f"Not saved: {error}. The screen shows the latest."
    if isinstance(error, sqlite3.Error):
        return (
            f"Not saved: {explain_failure(workspace or Path('workspace'), error, NOTHING_CHANGED)}"
        )
    return f"Not saved: {error}"


class OpsScreen(Screen[None]):
    """A mode of the app. Subclasses compose their body after `WorkspaceHeader`."""

    SCREEN_TITLE: ClassVar[str] = ""

    @property
    def ops(self) -> OpsApp:
        return cast("OpsApp", self.app)

    @property
    def session(self) -> Session:
        return self.ops.session

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Background work of this screen reports to the app (failures get one dialog)."""
        self.ops.worker_changed(event)

    seen_revision = -1
    """The app's revision this screen's data is from (see `OpsApp.revision`)."""

    def on_screen_resume(self) -> None:
        self.refresh_header()
        self.reload_if_behind()

    def reload_if_behind(self) -> None:
        """Reload (keeping cursor and filter) when the workspace changed since the screen
        last loaded. A screen still loading for the first time will show fresh data."""
        if self.seen_revision >= self.ops.revision:
            return
        first = self.seen_revision < 0
        self.seen_revision = self.ops.revision
        if not first and self.is_loaded:
            self.data_changed()

    def refresh_header(self) -> None:
        for header in self.query(WorkspaceHeader):
            header.workspace = self.ops.workspace_name
            header.week = self.session.week
            header.screen_title = self.SCREEN_TITLE
            header.escalations = self.ops.escalation_count
            header.private = PRIVACY.active

    pending_entity: int | None = None
    """An entity to select once the screen's data has loaded (a jump to a new screen)."""

    def show_entity(self, entity_id: int) -> None:
        """Select the entity with `entity_id` (command palette jumps).

        Until the screen has shown its data the jump waits in `pending_entity`.
        """
        if not self.is_loaded:
            self.pending_entity = entity_id
            return
        self.select_entity(entity_id)

    @property
    def is_loaded(self) -> bool:
        """Whether the screen shows its data; screens that load in the background override."""
        return True

    def select_entity(self, entity_id: int) -> None:
        """Move the cursor to the entity; screens override."""

    def apply_pending_entity(self) -> None:
        """Screens call this once their data is on screen."""
        self.ops.screen_ready()
        if self.pending_entity is not None:
            entity_id, self.pending_entity = self.pending_entity, None
            self.select_entity(entity_id)

    def data_changed(self) -> None:
        """The workspace changed (elsewhere); screens reload what they show."""
