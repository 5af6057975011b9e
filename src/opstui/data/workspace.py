"""Opening, creating, checking and upgrading workspace files.

A workspace is one SQLite file. Opening never creates a file; creating is always on
purpose, and a new workspace is built in a hidden file beside its name and renamed into
place only when complete, so an interrupted `init` or `sample` leaves nothing at the name.
A file that is not a workspace, or is damaged, or was written by a newer opstui is refused
with a one-line `WorkspaceError` before anything is written to it, so the file stays
byte-for-byte as it was; so is a workspace that cannot be written (read-only file, folder
or file system) when it is opened for writing. Pending migrations run after a verified
backup copy, all in one transaction. SQLite's and the system's errors reach the user in
words (`explain_failure`): a full disk, a read-only workspace, a busy one, a damaged one.

The check for damage reads the whole file (most of the time it takes to open a large
workspace). The app opens with it still to run (`check_later`): it shows its first screen
first and runs the check in the background, and until the check has passed nothing is
written to the file (see `WorkspaceDatabase.check_later`); a damaged file is refused at the
first write, and the app says so as soon as the check finds it.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from opstui.data.database import WorkspaceDatabase
from opstui.data.schema import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS_TABLE
from opstui.domain.text import clean_line

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

__all__ = ["DamageCheck", "WorkspaceDatabase", "WorkspaceError"]


BUSY_TIMEOUT_MS = 5000
_MAGIC = b"SQLite format 3\x00"

NEARLY_FULL_BYTES = 1 << 20
"""Below this much free space, a SQLite I/O error is the disk filling up: SQLite reports a
`-shm` file it cannot grow as a plain "disk I/O error"."""

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_AUTH = 23
_SQLITE_NOTADB = 26

_NO_SPACE_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}

NOTHING_CHANGED = "nothing was changed"
NOTHING_CREATED = "nothing was created"


class WorkspaceError(Exception):
    """A workspace cannot be opened or created; the message is one line for the user."""


def _uri(path: Path, mode: str, *, immutable: bool = False) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}" + ("&immutable=1" if immutable else "")


def _sidecars(path: Path) -> tuple[Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _no_space_words(path: Path, outcome: str) -> WorkspaceError:
    return WorkspaceError(f"{path}: no space left on the device holding {path.name}; {outcome}")


def _read_only_words(path: Path, what: str, outcome: str) -> WorkspaceError:
    return WorkspaceError(f"{path}: the workspace is read-only ({what}); {outcome}")


def explain_failure(
    path: Path, error: sqlite3.Error | OSError, outcome: str = NOTHING_CHANGED
) -> WorkspaceError:
    """A SQLite or system error met while using the workspace at `path`, in words.

    `outcome` says what the failure left behind; it must be true of the caller (a failed
    transaction is rolled back, so "nothing was changed").
    """
    if isinstance(error, OSError):
        if error.errno in _NO_SPACE_ERRNOS:
            return _no_space_words(path, outcome)
        if error.errno in _READ_ONLY_ERRNOS:
            return _read_only_words(path, error.strerror or "cannot be written", outcome)
        return WorkspaceError(f"{path}: {error.strerror or error}; {outcome}")
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    free = _free_bytes(path.parent)
    if code == _SQLITE_FULL or (
        code == _SQLITE_IOERR and free is not None and free < NEARLY_FULL_BYTES
    ):
        return _no_space_words(path, outcome)
    if code in (_SQLITE_READONLY, _SQLITE_PERM):
        return _read_only_words(path, "it cannot be written", outcome)
    if code == _SQLITE_CANTOPEN and not os.access(path.parent, os.W_OK | os.X_OK):
        return _read_only_words(path, "its folder cannot be written", outcome)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return WorkspaceError(
            f"{path}: busy (another program is writing to the workspace); {outcome}, try again"
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return WorkspaceError(f"{path}: damaged workspace ({error})")
    if code == _SQLITE_AUTH:  # refused until the check for damage has passed
        return WorkspaceError(
            f"{path}: still being checked for damage after opening; {outcome}, try again"
        )
    return WorkspaceError(f"{path}: cannot use the workspace ({error}); {outcome}")


def _require_writable(path: Path) -> None:
    """Refuse, before anything is written, a workspace that cannot be written: SQLite would
    open it read-only without a word and fail at the first change, after its `-wal` and
    `-shm` files were made.

    Asked with `access(2)`, which also answers for what permission bits do not show
    (root, immutable files, read-only file systems) and, unlike opening and closing the
    file, never drops the locks this process's SQLite connections hold on it.
    """
    for file in (path, *_sidecars(path)):
        if (file == path or file.exists()) and not os.access(file, os.W_OK):
            what = (
                "the file cannot be written" if file == path else f"{file.name} cannot be written"
            )
            raise _read_only_words(path, what, NOTHING_CHANGED)
    if not all(sidecar.exists() for sidecar in _sidecars(path)) and not os.access(
        path.parent, os.W_OK | os.X_OK
    ):
        # Writing needs the `-wal` and `-shm` files beside the workspace.
        raise _read_only_words(path, "its folder cannot be written", NOTHING_CHANGED)


def _check_header(path: Path) -> bytes:
    """Refuse files that are not SQLite, not opstui, or visibly truncated; the header."""
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
    return header


def _in_wal_mode(header: bytes) -> bool:
    """Whether the file is in WAL mode already (its read and write versions are 2), so that
    opening it for writing changes nothing in it."""
    return header[18] == 2 and header[19] == 2


def _remove_created_sidecars(path: Path, existed: set[Path]) -> None:
    """Remove the `-shm` and empty `-wal` files a connection made; never a `-wal` holding
    data, and never one that was there before."""
    for sidecar in _sidecars(path):
        if (
            sidecar not in existed
            and sidecar.exists()
            and (sidecar.name.endswith("-shm") or sidecar.stat().st_size == 0)
        ):
            sidecar.unlink(missing_ok=True)


def _inspect(path: Path, migration_set: str, *, check: bool = True) -> list[str]:
    """Check the whole file for damage (unless `check` is false) and list the migrations
    it has applied.

    Reads only: a read-only connection. Reading a WAL-mode file creates `-wal`/`-shm`
    files beside it; those this check created are removed again.
    """
    existed = {sidecar for sidecar in _sidecars(path) if sidecar.exists()}
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
    except sqlite3.Error as error:
        _remove_created_sidecars(path, existed)
        raise explain_failure(path, error) from None
    try:
        if check:
            found = _damage(conn, "quick_check")
            if found != "ok":
                raise _damaged(path, found)
        return applied_migrations(conn, migration_set)
    except sqlite3.Error as error:
        raise explain_failure(path, error) from None
    finally:
        conn.close()
        _remove_created_sidecars(path, existed)


def _damaged(path: Path, found: str) -> WorkspaceError:
    return WorkspaceError(f"{path}: damaged workspace ({clean_line(found)})")


def applied_migrations(conn: sqlite3.Connection, migration_set: str = MIGRATION_SET) -> list[str]:
    """The names of the migrations of `migration_set` the workspace has applied, in the
    order it applied them (as sqlite-utils' `Migrations.applied` lists them)."""
    recorded = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if recorded is None:
        return []
    rows = conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
        [migration_set],
    )
    return [str(name) for (name,) in rows]


class DamageCheck:
    """The check of a whole workspace file for damage (`PRAGMA quick_check`), for a workspace
    opened before it ran: run once, on a read-only connection of its own, by the first
    thread that asks (the app's background worker, or the first write); a thread that asks
    meanwhile waits for its outcome."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ran = False
        self._damage: WorkspaceError | None = None

    @property
    def passed(self) -> bool:
        """The file was checked and is not damaged."""
        return self._ran and self._damage is None

    @property
    def damaged(self) -> bool:
        """The file was checked and is damaged: nothing is ever written to it."""
        return self._damage is not None

    def run(self) -> None:
        """Check the file, unless that was done; raise `WorkspaceError` if it is damaged
        (each time it is asked), or if it could not be checked this time (busy, say)."""
        with self._lock:
            if not self._ran:
                self._damage = _find_damage(self.path)
                self._ran = True
        if self._damage is not None:
            raise WorkspaceError(f"{self._damage}; nothing is written to it")


def _find_damage(path: Path) -> WorkspaceError | None:
    """The damage `PRAGMA quick_check` finds in the file, as the error that refuses it, or
    None; a failure to read the file that is not damage is raised."""
    existed = {sidecar for sidecar in _sidecars(path) if sidecar.exists()}
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
    except sqlite3.Error as error:
        _remove_created_sidecars(path, existed)
        raise explain_failure(path, error) from None
    try:
        found = _damage(conn, "quick_check")
    except sqlite3.Error as error:
        explained = explain_failure(path, error)
        if getattr(error, "sqlite_errorcode", 0) & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return explained
        raise explained from None
    finally:
        conn.close()
        _remove_created_sidecars(path, existed)
    return None if found == "ok" else _damaged(path, found)


def _damage(conn: sqlite3.Connection, pragma: str) -> str:
    """The first damage `PRAGMA quick_check` or `integrity_check` finds in the file, or "ok".

    A row that breaks a CHECK or NOT NULL constraint (another tool wrote it) is not damage
    to the file: the repository reads it and `opstui check` names it.
    """
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        found = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}(100)")]
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")
    damage = [message for message in found if not message.startswith("NULL value in ")]
    return damage[0] if damage else "ok"


def _known_migrations(migrations: Migrations | None) -> tuple[str, ...]:
    """Every migration name of a set (None: this opstui's), in order."""
    if migrations is None:
        return MIGRATION_NAMES
    from opstui.data.schema import migration_names

    return migration_names(migrations)


def _migrations(migrations: Migrations | None) -> Migrations:
    """The migration set to apply: this opstui's unless another is given (tests)."""
    if migrations is not None:
        return migrations
    from opstui.data.schema import MIGRATIONS

    return MIGRATIONS


def _connect(path: Path, mode: str, *, building_for: Path | None = None) -> WorkspaceDatabase:
    """A read-write connection with the workspace's settings. A failure to open leaves no
    sidecar file behind and is explained in words — as a failure to create `building_for`
    when `path` is the hidden file a new workspace is built in."""
    existed = {sidecar for sidecar in _sidecars(path) if sidecar.exists()}
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        if conn is not None:
            conn.close()
        _remove_created_sidecars(path, existed)
        if building_for is not None:
            raise explain_failure(building_for, error, NOTHING_CREATED) from None
        raise explain_failure(path, error) from None
    return WorkspaceDatabase(conn)


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    return {
        name: int(conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]) for name in names
    }


def backup_workspace(db: WorkspaceDatabase, path: Path, label: str) -> Path:
    """Copy the workspace beside itself and prove the copy is whole; returns its path."""
    target = path.with_name(f"{path.name}.{label}.bak")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.{label}.{number}.bak")
    copy = sqlite3.connect(str(target))
    try:
        db.conn.backup(copy)
        check = _damage(copy, "integrity_check")
        if check != "ok" or _table_counts(copy) != _table_counts(db.conn):
            raise WorkspaceError(f"{path}: backup before upgrade failed verification")
    except BaseException:
        copy.close()
        # A half-written backup (a full disk) is no backup: do not leave it looking like one.
        _remove_with_sidecars(target)
        raise
    copy.close()
    return target


def open_workspace(
    path: str | os.PathLike[str],
    migrations: Migrations | None = None,
    *,
    check_later: bool = False,
) -> WorkspaceDatabase:
    """Open an existing workspace for reading and writing, upgrading it if needed.

    Raises `WorkspaceError` with a one-line message, and leaves the file untouched, when
    the file is missing, is not a SQLite database, is not an opstui workspace, is damaged,
    or was written by a newer opstui.

    With `check_later`, a workspace that needs no upgrade opens before the whole file is
    checked for damage: the check is left to the connection (`check_later` there), which
    refuses every write until it has passed.
    """
    path = Path(path)
    header = _check_header(path)
    _require_writable(path)
    migration_set = MIGRATION_SET if migrations is None else migrations.name
    check_now = not check_later or not _in_wal_mode(header)
    applied = _inspect(path, migration_set, check=check_now)
    known = _known_migrations(migrations)
    newer = [name for name in applied if name not in known]
    if newer:
        raise WorkspaceError(
            f"{path}: written by a newer opstui (schema {newer[-1]}); upgrade opstui to open it"
        )
    pending = [name for name in known if name not in applied]
    if pending and not check_now:  # an upgrade writes: the file is checked first
        _inspect(path, migration_set)
        check_now = True
    db = _connect(path, "rw")
    if not check_now:
        db.check_later(DamageCheck(path))
    if pending:
        label = f"pre-{pending[0]}"
        try:
            backup_workspace(db, path, label)
            with db.atomic():
                _migrations(migrations).apply(db.utils)
        except WorkspaceError:
            db.close()
            raise
        except (sqlite3.Error, OSError) as error:
            db.close()
            raise explain_failure(path, error, "workspace left as it was") from None
        except Exception as error:
            db.close()
            raise WorkspaceError(
                f"{path}: upgrade failed, workspace left as it was ({error})"
            ) from None
    return db


def open_workspace_readonly(
    path: str | os.PathLike[str], migrations: Migrations | None = None
) -> tuple[WorkspaceDatabase, list[Path]]:
    """Open an existing, up-to-date workspace for reading only (exports, scripts).

    Nothing is written: no upgrade, no journal-mode change. A workspace that needs an
    upgrade is refused (open it in opstui once). Damage is found when a read hits it, and
    reported as a one-line `WorkspaceError` by the caller. Returns the database and the
    `-wal`/`-shm` files the read-only connection created, for `close_readonly` to remove.
    """
    path = Path(path)
    _check_header(path)
    existed = {sidecar for sidecar in _sidecars(path) if sidecar.exists()}
    migration_set = MIGRATION_SET if migrations is None else migrations.name
    try:
        conn = _read_connection(path)
        db = WorkspaceDatabase(conn, recursive_triggers=False)
        try:
            applied = applied_migrations(conn, migration_set)
        except sqlite3.Error:
            db.close()
            raise
    except sqlite3.Error as error:
        _remove_created_sidecars(path, existed)
        raise explain_failure(path, error) from None
    created = [sidecar for sidecar in _sidecars(path) if sidecar not in existed]
    known = _known_migrations(migrations)
    if any(name not in known for name in applied):
        close_readonly(db, created)
        raise WorkspaceError(f"{path}: written by a newer opstui; upgrade opstui to read it")
    if set(applied) != set(known):
        close_readonly(db, created)
        raise WorkspaceError(f"{path}: needs an upgrade; open it in opstui once, then retry")
    return db, created


def open_reader(path: str | os.PathLike[str]) -> WorkspaceDatabase:
    """Another, read-only connection to a workspace this process already has open (and so
    checked and upgraded): for work in a background thread, which never shares the
    connection of another thread."""
    path = Path(path)
    try:
        conn = _read_connection(path)
    except sqlite3.Error as error:
        raise explain_failure(path, error) from None
    return WorkspaceDatabase(conn, recursive_triggers=False)


def _read_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection that has read the schema (which is when a WAL file is opened).

    Reading a WAL-mode file needs a `-shm` file beside it. Where none can be made (a
    read-only folder, a full disk) and the `-wal` is absent or empty — so the file itself
    holds every committed change — the file is read as immutable instead, without the
    `-shm`. Nothing can commit to it meanwhile: a writer would need those same files.
    """
    try:
        return _schema_read(path, immutable=False)
    except sqlite3.OperationalError as error:
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        wal = _sidecars(path)[0]
        wal_empty = not wal.exists() or wal.stat().st_size == 0
        if code not in (_SQLITE_CANTOPEN, _SQLITE_IOERR, _SQLITE_READONLY) or not wal_empty:
            raise
    return _schema_read(path, immutable=True)


def _schema_read(path: Path, *, immutable: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(_uri(path, "ro", immutable=immutable), uri=True, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def close_readonly(db: WorkspaceDatabase, created: list[Path]) -> None:
    """Close a read-only workspace and remove the sidecar files its opening created."""
    db.close()
    for sidecar in created:
        if sidecar.exists() and (sidecar.name.endswith("-shm") or sidecar.stat().st_size == 0):
            sidecar.unlink(missing_ok=True)


# -- creating ---------------------------------------------------------------------------------

_BUILDING_SUFFIX = ".creating"


def _building_name(path: Path, pid: int, number: int) -> Path:
    return path.with_name(f".{path.name}.{pid}-{number}{_BUILDING_SUFFIX}")


def _with_sidecars(path: Path) -> tuple[Path, ...]:
    return (path, *_sidecars(path), Path(f"{path}-journal"))


def _remove_with_sidecars(path: Path) -> None:
    for file in _with_sidecars(path):
        with suppress(OSError):
            file.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # Another user's process: alive, and not ours to judge.
    return True


def _sweep_abandoned(path: Path) -> None:
    """Remove what a killed `init`/`sample` for the same name left: its half-built hidden
    file and sidecars, named after a process that no longer runs."""
    if os.name != "posix":  # `os.kill(pid, 0)` only asks, never kills, on POSIX.
        return
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(\d+)-\d+{re.escape(_BUILDING_SUFFIX)}$")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match is not None and not _process_alive(int(match[1])):
            _remove_with_sidecars(path.parent / name)


def _claim_building_file(path: Path) -> Path:
    """An empty file of our own beside `path` (SQLite takes an empty file as a new
    database), created exclusively with the mode a new file gets from the umask."""
    number = 0
    while True:
        building = _building_name(path, os.getpid(), number)
        try:
            os.close(os.open(building, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            number += 1
            continue
        return building


def _move_into_place(building: Path, path: Path) -> None:
    """Give the finished file its name, never replacing a file that appeared meanwhile."""
    try:
        os.link(building, path)
    except FileExistsError:
        raise WorkspaceError(f"{path}: already exists; not overwriting it") from None
    except OSError:
        # File systems without hard links: check, then rename (no other writer is expected).
        if os.path.lexists(path):
            raise WorkspaceError(f"{path}: already exists; not overwriting it") from None
        os.replace(building, path)
    else:
        building.unlink()
    with suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


@contextmanager
def building_workspace(
    path: str | os.PathLike[str], migrations: Migrations | None = None, *, make_dirs: bool = False
) -> Iterator[WorkspaceDatabase]:
    """Build a new workspace for `path`, which must not exist yet; it appears there only
    when the `with` block ends without an error.

    The block fills the yielded database, which lives in a hidden file beside `path`. On
    any error (or interrupt) that file and its sidecars are removed and `path` never
    exists. What a killed process left is removed by the next build of the same name.
    """
    path = Path(path)
    if os.path.lexists(path):
        raise WorkspaceError(f"{path}: already exists; not overwriting it")
    if not path.parent.exists():
        if not make_dirs:
            raise WorkspaceError(f"{path.parent}: no such directory")
        path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned(path)
    try:
        building = _claim_building_file(path)
    except OSError as error:
        raise explain_failure(path, error, NOTHING_CREATED) from None
    try:
        db = _connect(building, "rw", building_for=path)
        try:
            _apply_first_migrations(db, path, _migrations(migrations))
            yield db
        finally:
            db.close()
        # Closing checkpointed the WAL into the file; a WAL left means it did not finish.
        if any(sidecar.exists() for sidecar in _sidecars(building)):
            raise WorkspaceError(f"{path}: could not finish writing it; {NOTHING_CREATED}")
        _move_into_place(building, path)
    except (sqlite3.Error, OSError) as error:
        _remove_with_sidecars(building)
        raise explain_failure(path, error, NOTHING_CREATED) from None
    except BaseException:
        _remove_with_sidecars(building)
        raise


def _apply_first_migrations(db: WorkspaceDatabase, path: Path, migrations: Migrations) -> None:
    try:
        with db.atomic():
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db.utils)
    except (sqlite3.Error, OSError):
        raise
    except Exception as error:
        raise WorkspaceError(f"{path}: could not create workspace ({error})") from None


def create_workspace(
    path: str | os.PathLike[str], migrations: Migrations | None = None, *, make_dirs: bool = False
) -> WorkspaceDatabase:
    """Create a new, empty workspace at `path`, which must not exist yet."""
    with building_workspace(path, migrations, make_dirs=make_dirs):
        pass
    return _connect(Path(path), "rw")
