"""What every screen works with: the open workspace, the configuration and "today"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.domain.weeks import iso_week


@dataclass(slots=True)
class Session:
    """The open workspace, its settings and the clock the app runs on."""

    repo: Repository
    config: Config
    as_of: date | None = None
    """The app's fixed "today" (`--as-of`); None follows the clock."""
    clock: Callable[[], datetime] | None = None
    """Where "now" comes from (tests fix it); None: the system clock."""

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
    def week(self) -> str:
        """The review week: the ISO week of today."""
        return iso_week(self.today)
