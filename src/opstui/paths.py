"""Where opstui keeps files by default, and where the demo workspace comes from."""

from __future__ import annotations

from pathlib import Path

DEFAULT_WORKSPACE_NAME = "workspace.db"
DEMO_FILE_NAME = "sample.db"


def default_workspace() -> Path:
    """The workspace opened when none is named: in the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path("opstui", appauthor=False) / DEFAULT_WORKSPACE_NAME


def checked_in_demo() -> Path | None:
    """The demo workspace: bundled beside the package in the single binary, or checked in at
    the root of a source checkout when running from one."""
    package = Path(__file__).resolve().parent
    for candidate in (package / DEMO_FILE_NAME, package.parents[1] / DEMO_FILE_NAME):
        if candidate.is_file():
            return candidate
    return None
