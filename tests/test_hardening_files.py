"""Files are never lost or left half-written: an export never takes the workspace's place,
never replaces what is not a regular file, and a killed `init` or `sample` leaves nothing
that blocks running it again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from opstui.cli import main
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.export.files import write_atomically

SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"
AS_OF = ("--as-of", DEMO_TODAY.isoformat())
DOCUMENT_START = "# Weekly product operations review"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The demo workspace alone in a folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    copy = folder / "W.db"
    shutil.copyfile(SAMPLE, copy)
    return copy


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("opstui: error: ")
    assert "internal error" not in lines[0]
    return lines[0]


def opstui_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "opstui", *args]


# -- class 4: the export never takes the workspace's place ----------------------------------


def _same_name(workspace: Path) -> Path:
    return workspace


def _symlink(workspace: Path) -> Path:
    link = workspace.parent / "review.md"
    link.symlink_to(workspace.name)
    return link


def _hard_link(workspace: Path) -> Path:
    link = workspace.parent / "review.md"
    os.link(workspace, link)
    return link


def _roundabout(workspace: Path) -> Path:
    (workspace.parent / "sub").mkdir()
    return workspace.parent / "sub" / ".." / workspace.name


def _wal(workspace: Path) -> Path:
    return Path(f"{workspace}-wal")


def _shm(workspace: Path) -> Path:
    return Path(f"{workspace}-shm")


def _another_workspace(workspace: Path) -> Path:
    other = workspace.parent / "other.db"
    shutil.copyfile(workspace, other)
    return other


@pytest.mark.parametrize(
    "name_it",
    [_same_name, _symlink, _hard_link, _roundabout, _wal, _shm, _another_workspace],
    ids=["same-name", "symlink", "hard-link", "dot-dot", "its-wal", "its-shm", "other-database"],
)
def test_exporting_over_the_workspace_by_any_name_is_refused_and_changes_nothing(
    workspace: Path,
    name_it: Callable[[Path], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = name_it(workspace)
    before = {
        name: digest(workspace.parent / name)
        for name in listing(workspace.parent)
        if (workspace.parent / name).is_file()
    }
    names_before = listing(workspace.parent)

    code = main(["export", str(workspace), "-o", str(output), *AS_OF])

    assert code == 1
    line = one_error_line(capsys.readouterr().err)
    assert "not replacing it" in line or "not writing the export there" in line
    assert listing(workspace.parent) == names_before
    assert {name: digest(workspace.parent / name) for name in before} == before
    repo = Repository.open(workspace)
    repo.close()


def test_redirecting_stdout_into_the_workspace_is_refused_and_changes_nothing(
    workspace: Path,
) -> None:
    before = digest(workspace)

    with workspace.open("ab") as appending:
        result = subprocess.run(
            opstui_command("export", str(workspace), *AS_OF),
            stdout=appending,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )

    assert result.returncode == 1
    assert "standard output is the workspace" in one_error_line(result.stderr)
    assert digest(workspace) == before


def test_the_preview_writer_refuses_any_sqlite_database_as_its_target(workspace: Path) -> None:
    before = digest(workspace)

    with pytest.raises(OSError, match="is a SQLite database"):
        write_atomically(workspace, b"# not a workspace\n")

    assert digest(workspace) == before


# -- class 4: what is not a regular file is written in place, never replaced -----------------


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A FIFO with a reader that collects what is written to it."""
    path = tmp_path / "review.fifo"
    os.mkfifo(path)
    received: list[bytes] = []

    def read() -> None:
        with path.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield path, received
    reader.join(timeout=10)


def test_exporting_into_a_fifo_writes_through_it_and_leaves_it_a_fifo(
    workspace: Path, fifo: tuple[Path, list[bytes]]
) -> None:
    path, received = fifo

    assert main(["export", str(workspace), "-o", str(path), *AS_OF]) == 0

    assert stat.S_ISFIFO(path.lstat().st_mode)
    for _ in range(100):
        if received:
            break
        threading.Event().wait(0.05)
    assert received[0].decode("utf-8").startswith(DOCUMENT_START)
    assert listing(path.parent) == sorted(["review.fifo", "work"])


def _null_device_or_fifo(folder: Path) -> tuple[Path, Callable[[os.stat_result], bool]]:
    """A private copy of the null device (root may make one); elsewhere a FIFO with a
    reader, the other kind of file that is not a regular one."""
    path = folder / "null"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        os.mkfifo(path)
        threading.Thread(target=lambda: path.read_bytes(), daemon=True).start()
        return path, lambda status: stat.S_ISFIFO(status.st_mode)
    return path, lambda status: stat.S_ISCHR(status.st_mode)


def test_exporting_to_a_device_writes_to_the_device_and_never_replaces_it(
    workspace: Path, tmp_path: Path
) -> None:
    device, still_the_device = _null_device_or_fifo(tmp_path)

    assert main(["export", str(workspace), "-o", str(device), *AS_OF]) == 0

    assert still_the_device(device.lstat())
    assert listing(tmp_path) == ["null", "work"]


def test_exporting_to_a_descriptor_path_appends_to_what_the_shell_opened(
    workspace: Path,
) -> None:
    log = workspace.parent / "log.md"
    log.write_text("earlier line\n", encoding="utf-8")
    inode = log.stat().st_ino

    with log.open("ab") as appending:
        result = subprocess.run(
            opstui_command("export", str(workspace), "-o", "/dev/fd/1", *AS_OF),
            stdout=appending,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )

    assert result.returncode == 0, result.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith(f"earlier line\n{DOCUMENT_START}")
    assert "wrote " not in text
    assert log.stat().st_ino == inode


def test_exporting_through_a_symlink_replaces_its_target_and_keeps_the_link(
    workspace: Path,
) -> None:
    (workspace.parent / "reports").mkdir()
    target = workspace.parent / "reports" / "latest.md"
    target.write_text("last week\n", encoding="utf-8")
    target.chmod(0o640)
    link = workspace.parent / "review.md"
    link.symlink_to(Path("reports") / "latest.md")

    assert main(["export", str(workspace), "-o", str(link), *AS_OF]) == 0

    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith(DOCUMENT_START)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(target.parent) == ["latest.md"]


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "review.md"
    target.write_text("last week\n", encoding="utf-8")

    def disk_fails(_: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", disk_fails)

    with pytest.raises(OSError, match="nothing was written"):
        write_atomically(target, b"# this week\n")

    assert target.read_text(encoding="utf-8") == "last week\n"
    assert listing(tmp_path) == ["review.md"]


# -- class 5: a killed init or sample leaves nothing in the way ------------------------------

_KILL_DURING_INIT = """
import os, signal, sys
from sqlite_utils.migrations import Migrations
from opstui.cli import main

applying = Migrations.apply

def apply_then_die(self, db):
    applying(self, db)
    os.kill(os.getpid(), signal.SIGKILL)  # the power goes out with the schema half-stored

Migrations.apply = apply_then_die
main(sys.argv[1:])
"""

_KILL_DURING_SAMPLE = """
import os, signal, sys
from opstui.cli import main
from opstui.data import sample

def die(self, weeks):
    os.kill(os.getpid(), signal.SIGKILL)  # killed with most of the demo written

sample._Generator._snapshots = die
main(sys.argv[1:])
"""


@pytest.mark.parametrize(
    ("crash", "command"),
    [(_KILL_DURING_INIT, "init"), (_KILL_DURING_SAMPLE, "sample")],
    ids=["init", "sample"],
)
def test_a_killed_create_leaves_nothing_at_the_name_and_running_it_again_works(
    tmp_path: Path, crash: str, command: str
) -> None:
    target = tmp_path / "team.db"
    arguments = [str(target)] if command == "init" else ["--out", str(target)]

    killed = subprocess.run(
        [sys.executable, "-c", crash, command, *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not target.exists()
    assert main([command, *arguments]) == 0
    assert listing(tmp_path) == ["team.db"]
    repo = Repository.open(target)
    repo.close()


def test_an_interrupted_init_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlite_utils.migrations import Migrations

    def interrupted(self: Migrations, db: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Migrations, "apply", interrupted)
    target = tmp_path / "team.db"

    assert main(["init", str(target)]) == 130

    assert listing(tmp_path) == []


def test_a_failing_sample_leaves_nothing_behind_and_running_it_again_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from opstui.data import sample

    target = tmp_path / "demo.db"
    writing_snapshots = sample._Generator._snapshots

    def fails(self: object, weeks: list[str]) -> None:
        raise RuntimeError("generator broke")

    monkeypatch.setattr(sample._Generator, "_snapshots", fails)
    assert main(["sample", "--out", str(target)]) == 1
    assert "generator broke" in one_error_line_or_internal(capsys.readouterr().err)
    assert listing(tmp_path) == []

    monkeypatch.setattr(sample._Generator, "_snapshots", writing_snapshots)
    assert main(["sample", "--out", str(target)]) == 0
    assert listing(tmp_path) == ["demo.db"]


def one_error_line_or_internal(stderr: str) -> str:
    """The one line of an unexpected failure (a broken generator is an internal error)."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]
