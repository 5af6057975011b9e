"""The user's configuration: a TOML file in the platform's config directory.

`OPSTUI_CONFIG` names another file. Read with `tomllib`, written with `tomli-w`, validated
by `Config`; a bad file raises `ConfigError` naming the bad key.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from opstui.domain.import_rules import ImportRules
from opstui.domain.settings import BugTargets, HealthModel, PrereadSettings

CONFIG_ENV = "OPSTUI_CONFIG"


class ConfigError(Exception):
    """The configuration file cannot be read or holds a bad value (one-line message)."""

    def __init__(self, message: str, *, usage: bool = True) -> None:
        super().__init__(message)
        self.usage = usage
        """Whether the user wrote something wrong (a usage error), rather than the file
        failing to be read."""


class Config(BaseModel):
    """Everything a user can set in `config.toml`."""

    model_config = ConfigDict(extra="forbid")

    theme: Annotated[str, Field(min_length=1)] = "textual-dark"
    """Name of the colour theme (Textual's built-ins, `opstui-light`, `opstui-projector`)."""
    targets: BugTargets = BugTargets()
    """Open-bug targets per company and priority, and the resolution-rate window."""
    health: HealthModel = HealthModel()
    """The customer health model: weights, bands and factor scales."""
    keymap: dict[str, str] = {}
    """Key overrides: binding id (e.g. `portfolio.filter`) to keys (e.g. `f,/`)."""
    user: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    """Who you are: every change you make is recorded under this name (see `identity`)."""
    imports: ImportRules = ImportRules()
    """How `opstui import` maps other tools' priorities and labels (see README, Importing)."""
    preread: PrereadSettings = PrereadSettings()
    """When the Friday pre-read is due (`due_time`, e.g. `due_time = 16:00:00`)."""


def config_path() -> Path:
    """Where the configuration lives: `$OPSTUI_CONFIG`, or the platform config directory."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("opstui", appauthor=False) / "config.toml"


def _key_of(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(file)"


def load_config(path: Path | None = None) -> Config:
    """Read and validate the configuration; a missing file gives the defaults."""
    path = path or config_path()
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})", usage=False) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError as error:
        # TOML is UTF-8 by definition; a file saved as Latin-1 or UTF-16 is not TOML.
        byte = error.object[error.start]
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{byte:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(f"{path}: {_key_of(first['loc'])}: {first['msg']}") from None


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write the configuration (only values that differ from the defaults)."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = config.model_dump(mode="json", exclude_defaults=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(tomli_w.dumps(data), encoding="utf-8")
    temporary.replace(path)
    return path
