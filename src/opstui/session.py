"""What every screen works with: the open workspace, the configuration and "today"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

    @property
    def today(self) -> date:
        return self.as_of or date.today()

    @property
    def week(self) -> str:
        """The review week: the ISO week of today."""
        return iso_week(self.today)
