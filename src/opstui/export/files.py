"""Writing an exported document to a file, without ever destroying what was there.

One writer for the command line and the app's preview. A regular file (or a new one) is
written beside itself and renamed into place only once the whole document is on disk, so a
reader never sees half a document and a failed write leaves the old file as it was. A
symlink is followed and its target replaced the same way. What is not a regular file — a
device, a FIFO, `/dev/stdout` and the other descriptor paths — is written in place: renaming
over it would replace the device itself (as root, `/dev/null` would become a Markdown file).
A SQLite database, its `-wal`/`-shm`/`-journal` files and, when named, the workspace being
exported are refused: a document must never take the place of stored data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
DATABASE_SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database; they are part of the database."""

# Paths that name an open descriptor rather than a file in a folder: writing beside them is
# wrong (`/dev/stdout` may be a shell's `>>` append, or a pipe).
_DESCRIPTOR_PATH = re.compile(
    r"^/dev/(stdin|stdout|stderr|fd/\d+)$|^/proc/(self|thread-self|\d+)/fd/\d+$"
)
_SYMLINK_HOPS = 40
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class OutputError(OSError):
    """The document was not written; the message is one line for the user.

    An `OSError`, so every caller that already handles a failed write handles a refused
    target the same way; `errno` is the system's error behind it, when there was one.
    """

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.errno = code


def workspace_files(workspace: Path) -> list[Path]:
    """The workspace file and the sidecar files SQLite keeps beside it."""
    return [workspace] + [Path(f"{workspace}{suffix}") for suffix in DATABASE_SIDECAR_SUFFIXES]


def refuse_workspace_files(output: Path, workspace: Path) -> None:
    """Raise `OutputError` when `output` is the workspace or one of its sidecar files —
    by name, through a symlink, or as a hard link to the same file."""
    real_output = Path(os.path.realpath(output))
    for own in workspace_files(workspace):
        if real_output == Path(os.path.realpath(own)) or _same_file(output, own):
            raise OutputError(
                f"{output}: is the workspace {workspace.name}"
                + ("" if own == workspace else f" (its {own.name} file)")
                + "; not replacing it with the export"
            )


def refuse_workspace_stream(descriptor: int, workspace: Path) -> None:
    """Raise `OutputError` when an open descriptor (stdout redirected by a shell) is the
    workspace or one of its sidecar files."""
    try:
        opened = os.fstat(descriptor)
    except OSError:
        return  # A closed descriptor is reported by the write itself.
    for own in workspace_files(workspace):
        try:
            own_stat = os.stat(own)
        except OSError:
            continue
        if (opened.st_dev, opened.st_ino) == (own_stat.st_dev, own_stat.st_ino):
            raise OutputError(
                f"standard output is the workspace {workspace.name}; not writing the export there"
            )


def write_atomically(path: Path, document: bytes, *, workspace: Path | None = None) -> None:
    """Write `document` to `path` whole or not at all.

    Raises `OutputError` (one line) when the folder does not exist, the target is a
    database (or `workspace`'s own file), or the write fails; the target is then untouched.
    """
    if workspace is not None:
        refuse_workspace_files(path, workspace)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _failed(path, error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a directory")
    if _is_stream(path) or (mode is not None and not stat.S_ISREG(mode)):
        _write_in_place(path, document)
        return
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise OutputError(f"{path.parent}: no such directory")
    _refuse_database(path, target)
    _replace(path, target, document)


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _is_stream(path: Path) -> bool:
    """Whether `path`, or a symlink on the way to its target, names an open descriptor."""
    current = os.path.abspath(path)
    for _ in range(_SYMLINK_HOPS):
        if _DESCRIPTOR_PATH.match(current):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return False


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _refuse_database(path: Path, target: Path) -> None:
    """A document never replaces a SQLite database, nor a file SQLite keeps beside one."""
    if _starts_like_sqlite(target):
        raise OutputError(f"{path}: is a SQLite database; not replacing it with the export")
    for suffix in DATABASE_SIDECAR_SUFFIXES:
        if target.name.endswith(suffix) and _starts_like_sqlite(
            target.with_name(target.name.removesuffix(suffix))
        ):
            raise OutputError(
                f"{path}: belongs to the SQLite database beside it; not writing the export there"
            )


def _write_in_place(path: Path, document: bytes) -> None:
    """Devices, FIFOs and descriptor paths: open and write, never create or rename.

    Appending, so `/dev/stdout` behind a shell's `>>` keeps what it held (a `>` redirect
    has emptied it already); a device or FIFO ignores the flag.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
    except OSError as error:
        raise _failed(path, error) from None
    try:
        with os.fdopen(descriptor, "wb", closefd=True) as handle:
            handle.write(document)
    except OSError as error:
        raise _failed(path, error) from None


def _replace(path: Path, target: Path, document: bytes) -> None:
    """Write a temporary file beside `target`, make it durable, then rename it over."""
    try:
        descriptor, temporary = _create_beside(target)
    except OSError as error:
        raise _failed(path, error) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(document)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_permissions(target, temporary)
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _failed(path, error) from None
        raise
    _sync_folder(target.parent)


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, uniquely named hidden file in the target's folder, with the mode a new file
    gets from the umask (as the target would if written directly)."""
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue


def _keep_permissions(target: Path, temporary: Path) -> None:
    """A replaced file keeps its mode (and owner, where allowed)."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        # Only root may give a file away; the content matters more than the owner.
        with contextlib.suppress(PermissionError):
            os.chown(temporary, old.st_uid, old.st_gid)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _failed(path: Path, error: OSError) -> OutputError:
    if error.errno in _NO_SPACE:
        return OutputError(f"{path}: no space left on the device; nothing was written", error.errno)
    reason = error.strerror or str(error)
    return OutputError(f"{path}: {reason}; nothing was written", error.errno)
