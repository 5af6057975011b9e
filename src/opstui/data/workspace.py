"""Opening, creating, checking and upgrading workspace files.

A workspace is one SQLite file. Opening never creates a file; creating is always on
purpose. A file that is not a workspace, or is damaged, or was written by a newer opstui is
refused with a one-line `WorkspaceError` before anything is written to it, so the file
stays byte-for-byte as it was. Pending migrations run after a verified backup copy, all in
one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from opstui.data.schema import APPLICATION_ID, MIGRATIONS
from opstui.domain.text import clean_line

BUSY_TIMEOUT_MS = 5000
_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(Exception):
    """A workspace cannot be opened or created; the message is one line for the user."""


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def _check_header(path: Path) -> None:
    """Refuse files that are not SQLite, not opstui, or visibly truncated."""
    if not path.exists():
        raise WorkspaceError(f"{path}: no such workspace (create one with `opstui init {path}`)")
    if path.is_dir():
        raise WorkspaceError(f"{path}: is a directory, not a workspace file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise WorkspaceError(f"{path}: cannot read ({error.strerror})") from None
    if not header:
        raise WorkspaceError(f"{path}: empty file (0 bytes), not an opstui workspace")
    if not header.startswith(_MAGIC):
        raise WorkspaceError(f"{path}: not a SQLite database, so not an opstui workspace")
    if len(header) < 100:
        raise WorkspaceError(f"{path}: damaged SQLite file (header cut short)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = header[24:28]
    page_count = int.from_bytes(header[28:32], "big")
    size = path.stat().st_size
    wal = Path(f"{path}-wal")
    in_header_valid = change_counter == header[92:96] and page_count > 0
    if not wal.exists() and (
        size % page_size != 0 or (in_header_valid and size < page_count * page_size)
    ):
        raise WorkspaceError(
            f"{path}: damaged workspace (truncated: {size} bytes, "
            f"expected {page_count * page_size})"
        )
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise WorkspaceError(f"{path}: a SQLite database, but not an opstui workspace")


def _sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _inspect(path: Path, migrations: Migrations) -> list[str]:
    """Check the whole file for damage and list the migrations it has applied.

    Reads only: a read-only connection. Reading a WAL-mode file creates `-wal`/`-shm`
    files beside it; those this check created are removed again.
    """
    existed = {sidecar for sidecar in _sidecars(path) if sidecar.exists()}
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
    except sqlite3.Error as error:
        raise WorkspaceError(f"{path}: cannot open ({error})") from None
    try:
        check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise WorkspaceError(f"{path}: damaged workspace ({clean_line(str(check))})")
        db = Database(conn, execute_plugins=False, recursive_triggers=False)
        return [migration.name for migration in migrations.applied(db)]
    except sqlite3.DatabaseError as error:
        raise WorkspaceError(f"{path}: damaged workspace ({error})") from None
    finally:
        conn.close()
        for sidecar in _sidecars(path):
            if (
                sidecar not in existed
                and sidecar.exists()
                and (sidecar.name.endswith("-shm") or sidecar.stat().st_size == 0)
            ):
                sidecar.unlink(missing_ok=True)


def _known_migrations(migrations: Migrations) -> set[str]:
    """Every migration name of a set: all of them are pending on an empty database."""
    empty = Database(memory=True, execute_plugins=False)
    try:
        return {migration.name for migration in migrations.pending(empty)}
    finally:
        empty.close()


def _connect(path: Path, mode: str) -> Database:
    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise WorkspaceError(f"{path}: cannot open for writing ({error})") from None
    return Database(conn, execute_plugins=False)


def _table_counts(db: Database) -> dict[str, int]:
    return {name: db[name].count for name in db.table_names()}


def backup_workspace(db: Database, path: Path, label: str) -> Path:
    """Copy the workspace beside itself and prove the copy is whole; returns its path."""
    target = path.with_name(f"{path.name}.{label}.bak")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.{label}.{number}.bak")
    copy = sqlite3.connect(str(target))
    try:
        db.conn.backup(copy)
        copy_db = Database(copy, execute_plugins=False, recursive_triggers=False)
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok" or _table_counts(copy_db) != _table_counts(db):
            raise WorkspaceError(f"{path}: backup before upgrade failed verification")
    finally:
        copy.close()
    return target


def open_workspace(path: str | os.PathLike[str], migrations: Migrations = MIGRATIONS) -> Database:
    """Open an existing workspace for reading and writing, upgrading it if needed.

    Raises `WorkspaceError` with a one-line message, and leaves the file untouched, when
    the file is missing, is not a SQLite database, is not an opstui workspace, is damaged,
    or was written by a newer opstui.
    """
    path = Path(path)
    _check_header(path)
    applied = _inspect(path, migrations)
    known = _known_migrations(migrations)
    newer = [name for name in applied if name not in known]
    if newer:
        raise WorkspaceError(
            f"{path}: written by a newer opstui (schema {newer[-1]}); upgrade opstui to open it"
        )
    db = _connect(path, "rw")
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        label = f"pre-{pending[0]}"
        try:
            backup_workspace(db, path, label)
            with db.atomic():
                migrations.apply(db)
        except WorkspaceError:
            db.close()
            raise
        except Exception as error:
            db.close()
            raise WorkspaceError(
                f"{path}: upgrade failed, workspace left as it was ({error})"
            ) from None
    return db


def open_workspace_readonly(
    path: str | os.PathLike[str], migrations: Migrations = MIGRATIONS
) -> tuple[Database, list[Path]]:
    """Open an existing, up-to-date workspace for reading only (exports, scripts).

    Nothing is written: no upgrade, no journal-mode change. A workspace that needs an
    upgrade is refused (open it in opstui once). Damage is found when a read hits it, and
    reported as a one-line `WorkspaceError` by the caller. Returns the database and the
    `-wal`/`-shm` files the read-only connection created, for `close_readonly` to remove.
    """
    path = Path(path)
    _check_header(path)
    existed = {sidecar for sidecar in _sidecars(path) if sidecar.exists()}
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = Database(conn, execute_plugins=False, recursive_triggers=False)
        applied = [migration.name for migration in migrations.applied(db)]
    except sqlite3.DatabaseError as error:
        raise WorkspaceError(f"{path}: damaged workspace ({error})") from None
    created = [sidecar for sidecar in _sidecars(path) if sidecar not in existed]
    known = _known_migrations(migrations)
    if any(name not in known for name in applied):
        close_readonly(db, created)
        raise WorkspaceError(f"{path}: written by a newer opstui; upgrade opstui to read it")
    if set(applied) != known:
        close_readonly(db, created)
        raise WorkspaceError(f"{path}: needs an upgrade; open it in opstui once, then retry")
    return db, created


def close_readonly(db: Database, created: list[Path]) -> None:
    """Close a read-only workspace and remove the sidecar files its opening created."""
    db.close()
    for sidecar in created:
        if sidecar.exists() and (sidecar.name.endswith("-shm") or sidecar.stat().st_size == 0):
            sidecar.unlink(missing_ok=True)


def create_workspace(
    path: str | os.PathLike[str], migrations: Migrations = MIGRATIONS, *, make_dirs: bool = False
) -> Database:
    """Create a new, empty workspace at `path`, which must not exist yet."""
    path = Path(path)
    if path.exists():
        raise WorkspaceError(f"{path}: already exists; not overwriting it")
    if not path.parent.exists():
        if not make_dirs:
            raise WorkspaceError(f"{path.parent}: no such directory")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = _connect(path, "rwc")
    except WorkspaceError:
        path.unlink(missing_ok=True)
        raise
    try:
        with db.atomic():
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db)
    except Exception as error:
        db.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise WorkspaceError(f"{path}: could not create workspace ({error})") from None
    return db
