"""Opening, creating and upgrading workspace files: what a user gets when they point opstui
at a file, and what is left on disk afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from opstui.data.repository import Repository
from opstui.data.schema import APPLICATION_ID, MIGRATION_SET, MIGRATIONS, build_migrations
from opstui.data.workspace import WorkspaceError, create_workspace, open_workspace
from opstui.domain.models import Company, Product

ALL_MIGRATIONS = [
    migration.name for migration in MIGRATIONS.pending(Database(memory=True, execute_plugins=False))
]


# -- helpers ----------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


def _immutable(path: Path) -> sqlite3.Connection:
    """A connection that only reads and never leaves -wal/-shm files behind."""
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?immutable=1", uri=True)


def dump(path: Path) -> list[str]:
    with contextlib.closing(_immutable(path)) as conn:
        return list(conn.iterdump())


def schema(path: Path) -> list[tuple[str, str, str | None]]:
    with contextlib.closing(_immutable(path)) as conn:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        return list(rows)


def applied(path: Path) -> list[str]:
    with contextlib.closing(_immutable(path)) as conn:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET],
        )
        return [name for (name,) in rows]


def workspace_with_data(path: Path) -> Path:
    """A closed workspace holding a company and a product."""
    repo = Repository.create(path)
    company = repo.add(Company(name="Company A"))
    assert company.id is not None
    repo.add(Product(company_id=company.id, name="Boleta"))
    repo.close()
    return path


def first_migration_only(path: Path) -> Path:
    """A workspace as the first release of opstui left it: only 0001 applied."""
    db = create_workspace(path, migrations=Migrations(MIGRATION_SET))
    MIGRATIONS.apply(db, stop_before="0002_triage")
    company_id = db.table("companies").insert({"name": "Company A"}).last_pk
    db.table("products").insert({"company_id": company_id, "name": "Boleta"})
    db.close()
    return path


def assert_refused_untouched(path: Path, expected: str) -> str:
    """Opening `path` fails with a one-line message; the file and its folder are unchanged."""
    directory = path.parent
    before_listing = listing(directory)
    before_hash = sha256(path) if path.is_file() else None
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path)
    message = str(caught.value)
    assert message.strip() and "\n" not in message
    assert expected in message
    assert listing(directory) == before_listing
    if before_hash is not None:
        assert sha256(path) == before_hash
    return message


# -- creating ---------------------------------------------------------------------------------


def test_creating_a_workspace_applies_every_migration_and_marks_the_file_as_opstui(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fresh.db"
    create_workspace(path).close()

    assert applied(path) == ALL_MIGRATIONS
    with contextlib.closing(_immutable(path)) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert {"companies", "projects", "bugs", "snapshots", "saved_filters"} <= tables
    assert listing(tmp_path) == ["fresh.db"]


def test_a_freshly_created_workspace_opens_again_with_nothing_pending(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    create_workspace(path).close()

    db = open_workspace(path)
    try:
        assert MIGRATIONS.pending(db) == []
    finally:
        db.close()
    assert listing(tmp_path) == ["fresh.db"]


def test_creating_over_an_existing_workspace_refuses_and_keeps_its_data(tmp_path: Path) -> None:
    path = workspace_with_data(tmp_path / "team.db")
    before = sha256(path)

    with pytest.raises(WorkspaceError, match="already exists") as caught:
        create_workspace(path)

    assert "\n" not in str(caught.value)
    assert sha256(path) == before
    assert listing(tmp_path) == ["team.db"]


def test_creating_over_a_readme_refuses_and_leaves_the_text_alone(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text("# Our team\n\nNotes.\n", encoding="utf-8")

    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(path)

    assert path.read_text(encoding="utf-8") == "# Our team\n\nNotes.\n"
    assert listing(tmp_path) == ["README.md"]


def test_creating_in_a_missing_folder_refuses_without_making_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "team.db"

    with pytest.raises(WorkspaceError, match="no such directory"):
        create_workspace(path)

    assert listing(tmp_path) == []


# -- connection settings ----------------------------------------------------------------------


def test_an_opened_workspace_uses_wal_foreign_keys_and_waits_when_busy(tmp_path: Path) -> None:
    path = workspace_with_data(tmp_path / "team.db")

    db = open_workspace(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    finally:
        db.close()


def test_a_created_workspace_uses_the_same_connection_settings(tmp_path: Path) -> None:
    db = create_workspace(tmp_path / "team.db")
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    finally:
        db.close()


# -- upgrading --------------------------------------------------------------------------------


def test_opening_an_old_workspace_applies_the_later_migration_and_keeps_the_data(
    tmp_path: Path,
) -> None:
    path = first_migration_only(tmp_path / "team.db")
    assert applied(path) == ["0001_initial"]

    db = open_workspace(path)
    try:
        assert [migration.name for migration in MIGRATIONS.applied(db)] == ALL_MIGRATIONS
        assert "saved_filters" in db.table_names()
        assert [row["name"] for row in db.table("companies").rows] == ["Company A"]
        assert [row["name"] for row in db.table("products").rows] == ["Boleta"]
    finally:
        db.close()


def test_upgrading_leaves_a_verified_backup_of_the_workspace_as_it_was(tmp_path: Path) -> None:
    path = first_migration_only(tmp_path / "team.db")
    before_upgrade = dump(path)

    open_workspace(path).close()

    backup = tmp_path / "team.db.pre-0002_triage.bak"
    assert backup.is_file()
    assert listing(tmp_path) == ["team.db", "team.db.pre-0002_triage.bak"]
    with contextlib.closing(_immutable(backup)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert dump(backup) == before_upgrade
    assert applied(backup) == ["0001_initial"]


def test_a_failing_migration_leaves_schema_data_and_history_as_they_were(tmp_path: Path) -> None:
    path = workspace_with_data(tmp_path / "team.db")
    schema_before, data_before = schema(path), dump(path)
    broken = build_migrations()

    @broken(name="0003_broken")
    def half_done(db: Database) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        db.table("companies").insert({"name": "Written before the failure"})
        raise RuntimeError("disk full")

    with pytest.raises(WorkspaceError, match="upgrade failed") as caught:
        open_workspace(path, migrations=broken)

    assert "\n" not in str(caught.value)
    assert schema(path) == schema_before
    assert dump(path) == data_before
    assert applied(path) == ALL_MIGRATIONS
    assert "0003_broken" not in applied(path)


def test_a_workspace_from_a_newer_opstui_is_refused_byte_for_byte(tmp_path: Path) -> None:
    path = workspace_with_data(tmp_path / "team.db")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [MIGRATION_SET, "0099_from_the_future", "2027-01-01 00:00:00+00:00"],
        )
        conn.commit()
    before = sha256(path)

    with pytest.raises(WorkspaceError, match="newer") as caught:
        open_workspace(path)

    assert "\n" not in str(caught.value)
    assert sha256(path) == before


def test_refusing_a_workspace_from_a_newer_opstui_leaves_no_wal_or_shm_behind(
    tmp_path: Path,
) -> None:
    path = workspace_with_data(tmp_path / "team.db")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [MIGRATION_SET, "0099_from_the_future", "2027-01-01 00:00:00+00:00"],
        )
        conn.commit()

    assert_refused_untouched(path, "newer")


# -- files that are not workspaces ------------------------------------------------------------


def _readme(directory: Path) -> Path:
    path = directory / "README.md"
    path.write_text("# opstui\n\nKeyboard-driven weekly review.\n" * 20, encoding="utf-8")
    return path


def _empty(directory: Path) -> Path:
    path = directory / "empty.db"
    path.write_bytes(b"")
    return path


def _workspace_bytes(directory: Path) -> bytes:
    """The bytes of a real workspace with data, made in a folder that is then removed."""
    source = directory / "source"
    source.mkdir()
    real = workspace_with_data(source / "team.db")
    data = real.read_bytes()
    real.unlink()
    source.rmdir()
    return data


def _half_a_workspace(directory: Path) -> Path:
    data = _workspace_bytes(directory)
    path = directory / "team.db"
    path.write_bytes(data[: len(data) // 2])
    return path


def _workspace_cut_mid_page(directory: Path) -> Path:
    data = _workspace_bytes(directory)
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 4 * page_size
    path = directory / "team.db"
    path.write_bytes(data[: 3 * page_size + page_size // 2])
    return path


def _plain_sqlite(directory: Path) -> Path:
    path = directory / "inventory.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO items (name) VALUES ('stapler')")
        conn.commit()
    return path


@pytest.mark.parametrize(
    ("make_file", "expected"),
    [
        pytest.param(_readme, "not a SQLite database", id="a-readme"),
        pytest.param(_empty, "empty file", id="a-zero-byte-file"),
        pytest.param(_half_a_workspace, "damaged", id="a-workspace-cut-in-half"),
        pytest.param(_workspace_cut_mid_page, "damaged", id="a-workspace-cut-mid-page"),
        pytest.param(_plain_sqlite, "not an opstui workspace", id="someone-elses-sqlite-db"),
    ],
)
def test_opening_a_file_that_is_not_a_workspace_is_refused_and_leaves_it_untouched(
    tmp_path: Path, make_file: Callable[[Path], Path], expected: str
) -> None:
    path = make_file(tmp_path)

    message = assert_refused_untouched(path, expected)

    assert path.name in message


def test_opening_a_mistyped_file_name_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "teem.db"

    message = assert_refused_untouched(path, "no such workspace")

    assert "opstui init" in message
    assert listing(tmp_path) == []


def test_opening_a_file_in_a_mistyped_folder_creates_neither_folder_nor_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no-such-folder" / "team.db"

    with pytest.raises(WorkspaceError, match="no such workspace") as caught:
        open_workspace(path)

    assert "\n" not in str(caught.value)
    assert listing(tmp_path) == []


def test_opening_a_folder_instead_of_a_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "workspaces"
    folder.mkdir()

    assert_refused_untouched(folder, "is a directory")

    assert listing(folder) == []


def test_opening_a_workspace_with_garbage_in_the_middle_is_refused(tmp_path: Path) -> None:
    from opstui.data.sample import generate

    path = generate(tmp_path / "demo.db")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xff" * 8192
    path.write_bytes(bytes(data))

    assert_refused_untouched(path, "damaged")
