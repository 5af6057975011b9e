"""Faults get the right words and leave nothing behind: a read-only workspace, a full disk,
days and settings beyond the calendar, a config file that is not UTF-8, a closed stdout,
and keymap entries that cannot be used.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from opstui import cli
from opstui.cli import main
from opstui.data.config import CONFIG_ENV, Config
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.keymap import keys_problem
from opstui.screens.portfolio import PortfolioScreen
from tests.app_harness import SIZE, demo_app, settle

SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"
AS_OF = ("--as-of", DEMO_TODAY.isoformat())
FREEZE = ("freeze", "--week", DEMO_WEEK, "--replace", *AS_OF)
DOCUMENT_START = "# Weekly product operations review"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert re.match(r"opstui( [a-z]+)?: error: ", lines[0]), lines[0]
    assert "internal error" not in lines[0] and "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    copy = folder / "W.db"
    shutil.copyfile(SAMPLE, copy)
    return copy


# -- class 7: a read-only workspace ----------------------------------------------------------


@contextmanager
def really_read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders read-only for whoever runs the tests. Root ignores permission
    bits, so for root the immutable attribute is set instead, which binds root too."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        return
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in paths}
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


READ_ONLY_PARTS = ["file", "folder", "file-and-folder"]


def read_only_parts(workspace: Path, which: str) -> list[Path]:
    return {
        "file": [workspace],
        "folder": [workspace.parent],
        "file-and-folder": [workspace, workspace.parent],
    }[which]


@pytest.mark.parametrize("which", READ_ONLY_PARTS)
def test_freezing_a_read_only_workspace_says_it_is_read_only_and_leaves_no_sidecar(
    workspace: Path, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(workspace)

    with really_read_only(*read_only_parts(workspace, which)):
        code = main([FREEZE[0], str(workspace), *FREEZE[1:]])

    assert code == 1
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"opstui: error: {workspace}: the workspace is read-only (")
    assert line.endswith("; nothing was changed")
    assert "damaged" not in line
    assert digest(workspace) == before
    assert listing(workspace.parent) == ["W.db"]


@pytest.mark.parametrize("which", READ_ONLY_PARTS)
def test_exporting_a_read_only_workspace_works_and_leaves_no_sidecar(
    workspace: Path, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with really_read_only(*read_only_parts(workspace, which)):
        code = main(["export", str(workspace), *AS_OF])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.startswith(DOCUMENT_START)
    assert listing(workspace.parent) == ["W.db"]


def test_a_workspace_sqlite_can_only_open_read_only_is_reported_as_read_only(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What SQLite does on a file it may not write (a read-only mount, a lost permission):
    it opens the file read-only without a word and refuses the first change."""
    connecting = sqlite3.connect

    def read_only_mount(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        return connecting(str(database).replace("mode=rw", "mode=ro"), *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_mount)
    before = digest(workspace)

    code = main([FREEZE[0], str(workspace), *FREEZE[1:]])

    assert code == 1
    assert one_error_line(capsys.readouterr().err) == (
        f"opstui: error: {workspace}: the workspace is read-only (it cannot be written); "
        "nothing was changed"
    )
    assert digest(workspace) == before


# -- class 8: a full disk --------------------------------------------------------------------


@dataclass
class SmallDisk:
    """A folder on a device with little room: its own 1 MiB tmpfs where mounting is
    allowed; else a workspace that may not grow by a page (SQLite's page limit gives the
    same "database or disk is full" error) and a flush that finds no space."""

    folder: Path
    mounted: bool
    monkeypatch: pytest.MonkeyPatch

    def leave_room(self, kib: int) -> None:
        if self.mounted:
            filler = self.folder / "filler"
            filler.unlink(missing_ok=True)
            free = shutil.disk_usage(self.folder).free
            with filler.open("wb") as handle:
                handle.write(b"\0" * max(0, free - kib * 1024))
            return
        connecting = sqlite3.connect
        folder = str(self.folder)

        def with_page_limit(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = connecting(database, *args, **kwargs)
            if folder in str(database):
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                conn.execute(f"PRAGMA max_page_count = {max(1, pages)}")
            return conn

        def no_space(_: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        self.monkeypatch.setattr(sqlite3, "connect", with_page_limit)
        self.monkeypatch.setattr(os, "fsync", no_space)


@pytest.fixture(params=["tmpfs", "page-limit"])
def small_disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SmallDisk]:
    folder = tmp_path / "device"
    folder.mkdir()
    mounted = False
    if request.param == "tmpfs" and os.geteuid() == 0:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )
    try:
        yield SmallDisk(folder, mounted, monkeypatch)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def files_of(disk: SmallDisk) -> list[str]:
    return [name for name in listing(disk.folder) if name != "filler"]


@pytest.mark.parametrize("room_kib", [0, 16, 48])
def test_freezing_on_a_full_disk_says_so_and_changes_nothing(
    small_disk: SmallDisk, room_kib: int, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = small_disk.folder / "W.db"
    shutil.copyfile(SAMPLE, workspace)
    before = digest(workspace)
    small_disk.leave_room(room_kib)

    code = main([FREEZE[0], str(workspace), *FREEZE[1:]])

    assert code == 1
    assert one_error_line(capsys.readouterr().err) == (
        f"opstui: error: {workspace}: no space left on the device holding W.db; nothing was changed"
    )
    assert digest(workspace) == before
    assert files_of(small_disk) == ["W.db"]


@pytest.mark.parametrize("command", ["init", "sample"])
def test_creating_a_workspace_on_a_full_disk_says_so_and_leaves_nothing(
    small_disk: SmallDisk, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = small_disk.folder / "new.db"
    small_disk.leave_room(0)

    code = main([command, str(target)] if command == "init" else [command, "--out", str(target)])

    assert code == 1
    assert one_error_line(capsys.readouterr().err) == (
        f"opstui: error: {target}: no space left on the device holding new.db; nothing was created"
    )
    assert files_of(small_disk) == []


def test_exporting_onto_a_full_disk_says_so_and_leaves_no_partial_file(
    small_disk: SmallDisk, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = small_disk.folder / "review.md"
    small_disk.leave_room(0)

    code = main(["export", str(workspace), "-o", str(output), *AS_OF])

    assert code == 1
    assert one_error_line(capsys.readouterr().err) == (
        f"opstui: error: {output}: no space left on the device; nothing was written"
    )
    assert files_of(small_disk) == []


# -- class 9: days and settings beyond the calendar, unreadable config, closed stdout -------


def app_must_not_start(*_: object, **__: object) -> int:
    raise AssertionError("the app started despite a bad option")


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["export", "W.db", "--as-of", "9999-12-31"], "--as-of"),
        (["export", "W.db", "--week", "9999-W52"], "--week"),
        (["export", "W.db", "--week", "0001-W01"], "--week"),
        (["freeze", "W.db", "--as-of", "0001-01-01"], "--as-of"),
        (["W.db", "--as-of", "9999-12-31"], "--as-of"),
    ],
    ids=["export-as-of-year-9999", "export-week-9999", "export-week-1", "freeze-year-1", "open"],
)
def test_days_at_the_ends_of_the_calendar_are_usage_errors_naming_the_option(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    option: str,
) -> None:
    monkeypatch.chdir(workspace.parent)
    monkeypatch.setattr(cli, "_run_app", app_must_not_start)
    before = digest(workspace)

    with pytest.raises(SystemExit) as exited:
        main(arguments)

    assert exited.value.code == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"argument {option}:" in line and "outside the supported days" in line
    assert digest(workspace) == before


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[targets]\nresolution_window_days = 100000000\n", "targets.resolution_window_days"),
        ("[health.weights]\nnps = inf\n", "health.weights.nps"),
    ],
    ids=["window-of-a-million-years", "infinite-weight"],
)
def test_settings_too_large_for_the_figures_are_usage_errors_naming_the_key(
    workspace: Path,
    private_config: Path,
    capsys: pytest.CaptureFixture[str],
    toml: str,
    key: str,
) -> None:
    private_config.parent.mkdir(parents=True, exist_ok=True)
    private_config.write_text(toml, encoding="utf-8")

    code = main(["export", str(workspace), *AS_OF])

    assert code == 2
    assert one_error_line(capsys.readouterr().err).startswith(
        f"opstui: error: {private_config}: {key}: "
    )


def test_a_config_file_that_is_not_utf8_is_one_line_naming_the_file(
    workspace: Path, private_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private_config.parent.mkdir(parents=True, exist_ok=True)
    private_config.write_bytes('theme = "café"\n'.encode("latin-1"))

    code = main(["export", str(workspace), *AS_OF])

    assert code == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"opstui: error: {private_config}: not UTF-8 text (byte 0xe9 at offset 12); "
        "save it as UTF-8"
    )


def test_exporting_to_a_closed_stdout_is_one_clear_line(workspace: Path) -> None:
    result = subprocess.run(
        [
            "sh",
            "-c",
            'exec "$@" >&-',
            "sh",
            sys.executable,
            "-m",
            "opstui",
            "export",
            str(workspace),
            *AS_OF,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, CONFIG_ENV: str(workspace.parent / "none.toml")},
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert one_error_line(result.stderr) == (
        "opstui: error: standard output is closed; nothing was written (use -o FILE)"
    )


# -- class 10: keymap entries that cannot be used ---------------------------------------------


def keymap_warnings(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Keymap"]


@pytest.mark.parametrize(
    ("entry", "keys", "why"),
    [
        ("portfolio.filtre", "f", "opstui has no binding 'portfolio.filtre'"),
        ("portfolio.filter", "ctrl+", "has no key after its modifiers"),
        ("portfolio.filter", "ctlr+f", "'ctlr' is not a modifier"),
        ("portfolio.filter", "Escape", "'Escape' is not a key"),
        ("portfolio.filter", "f,", "an empty key"),
    ],
    ids=["unknown-binding", "modifier-only", "misspelt-modifier", "unknown-key", "empty-key"],
)
async def test_a_keymap_entry_that_cannot_be_used_is_reported_at_start_naming_it(
    demo_repo: Repository, entry: str, keys: str, why: str
) -> None:
    app = demo_app(demo_repo, config=Config(keymap={entry: keys}))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warnings = keymap_warnings(app)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        # The binding keeps its own key: `/` still filters.
        await pilot.press("slash", *"Boleta")
        await pilot.pause()
        assert screen.filter_input.value == "Boleta"

    assert len(warnings) == 1
    assert warnings[0].startswith(f"keymap entry {entry} = {keys!r}: ")
    assert why in warnings[0]


async def test_keymap_entries_for_screens_not_yet_shown_are_accepted_silently(
    demo_repo: Repository,
) -> None:
    keymap = {"bugs.priority_0": "0,exclamation_mark", "weekly.freeze": "ctrl+f", "app.quit": "q"}
    app = demo_app(demo_repo, config=Config(keymap=keymap))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert keymap_warnings(app) == []


@pytest.mark.parametrize("keys", ["f", "?", "question_mark", "ctrl+s", "shift+f5", "pageup,j"])
def test_keys_textual_understands_are_accepted(keys: str) -> None:
    assert keys_problem(keys) is None
