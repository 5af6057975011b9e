"""Who is at the keyboard: the name every write of a session is recorded as.

Said once, in order of precedence: `--user NAME`, the `OPSTUI_USER` environment variable,
or `user` in the configuration file (which the app writes when it asks on first run). When
none says, a command is recorded as the system's login name and the app asks.
"""

from __future__ import annotations

import getpass
import os

from opstui.data.config import Config
from opstui.domain.text import clean_line

USER_ENV = "OPSTUI_USER"


def named_user(given: str | None, config: Config) -> str | None:
    """The person named by `--user`, the environment or the configuration, if any."""
    for candidate in (given, os.environ.get(USER_ENV), config.user):
        name = clean_line(candidate or "")
        if name:
            return name
    return None


def login_name() -> str:
    """The system's name for the user, for writes nobody put a name to."""
    try:
        return clean_line(getpass.getuser()) or "unknown"
    except (KeyError, OSError):  # no passwd entry (a container) and no LOGNAME
        return "unknown"
