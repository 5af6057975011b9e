"""What every screen works with: the open workspace, the configuration and "today"."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.domain.models import Person
from opstui.domain.weeks import iso_week


class ReadConnections:
    """Read-only connections for background work: each worker borrows one for the length
    of its job, so no two threads ever use one connection at once (SQLite's connections
    are not safe to share), and a connection is kept for the next job instead of opened
    again."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo
        self._idle: list[Repository] = []
        self._lock = threading.Lock()

    @contextmanager
    def borrowed(self) -> Iterator[Repository]:
        if self._repo.path is None:  # no file to open again (never the case in the app)
            yield self._repo
            return
        with self._lock:
            reader = self._idle.pop() if self._idle else None
        if reader is None:
            reader = self._repo.reader()
        try:
            yield reader
        finally:
            with self._lock:
                self._idle.append(reader)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close()


@dataclass(slots=True)
class Session:
    """The open workspace, its settings and the clock the app runs on."""

    repo: Repository
    config: Config
    as_of: date | None = None
    """The app's fixed "today" (`--as-of`); None follows the clock."""
    clock: Callable[[], datetime] | None = None
    """Where "now" comes from (tests fix it); None: the system clock."""
    signed_in: Person | None = None
    """Who signed in with their access code, in a served session (`opstui serve`); None in
    the terminal app, where `repo.person` is the name changes are recorded under."""
    readers: ReadConnections = field(init=False)

    def __post_init__(self) -> None:
        self.readers = ReadConnections(self.repo)

    def reading(self) -> contextlib.AbstractContextManager[Repository]:
        """A read-only repository of this thread's own for background work (in a worker:
        never the UI thread's `repo`)."""
        return self.readers.borrowed()

    def now(self) -> datetime:
        """The current moment: the clock's time of day on the app's today."""
        moment = self.clock() if self.clock is not None else datetime.now()
        if self.as_of is not None and self.clock is None:
            return datetime.combine(self.as_of, moment.time().replace(microsecond=0))
        return moment.replace(microsecond=0)

    @property
    def today(self) -> date:
        if self.as_of is not None:
            return self.as_of
        return self.clock().date() if self.clock is not None else date.today()

    @property
    def day_shift(self) -> int:
        """Days from the system's date to the app's today (`--as-of`): what it records is
        stamped on its own today."""
        return (self.today - date.today()).days

    @property
    def week(self) -> str:
        """The review week: the ISO week of today."""
        return iso_week(self.today)
