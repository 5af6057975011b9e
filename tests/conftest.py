"""Shared fixtures: a scratch copy of the demo workspace, and the app opened on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opstui.data.config import CONFIG_ENV
from opstui.data.identity import USER_ENV
from opstui.data.repository import Repository

SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"


@pytest.fixture(autouse=True)
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test reads and writes its own config file, never the user's."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv(CONFIG_ENV, str(path))
    monkeypatch.delenv(USER_ENV, raising=False)  # who you are comes from each test
    return path


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A scratch copy of the checked-in demo workspace."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(SAMPLE, copy)
    return copy


@pytest.fixture
def demo_repo(demo_path: Path) -> Iterator[Repository]:
    repo = Repository.open(demo_path)
    yield repo
    repo.close()
