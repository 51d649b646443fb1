"""The database layer: pragmas on every connection, BEGIN IMMEDIATE, retries, network paths,
migrations with a backup first, backups, restores and checks."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from app import db as db_module
from app import paths
from app.context import Context
from app.db import Database, is_network_path, sqlite_url
from app.errors import AppError, Conflict, DatabaseLocationError
from app.models.user import User
from tests.conftest import make_admin, table_count


def test_every_connection_has_wal_full_sync_foreign_keys_and_busy_timeout(db: Database) -> None:
    for _ in range(3):
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            cur = raw.cursor()
            assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cur.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert cur.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cur.execute("PRAGMA busy_timeout").fetchone()[0] == db_module.BUSY_TIMEOUT_MS
        db.engine.dispose()


def test_write_unit_of_work_takes_the_write_lock_at_begin(db: Database) -> None:
    assert db.path is not None
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    with db.session(write=True) as session:
        session.execute(text("SELECT 1"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_read_unit_of_work_does_not_block_writers(db: Database) -> None:
    assert db.path is not None
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    with db.session() as session:
        session.execute(text("SELECT count(*) FROM app_user"))
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    other.close()


def test_busy_database_retries_the_whole_transaction(db: Database) -> None:
    calls = []

    def work(session: Session) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
        return "done"

    assert db.run(work, write=True) == "done"
    assert len(calls) == 3


def test_stale_version_retries_then_reports_conflict(db: Database) -> None:
    calls = []

    def always_stale(session: Session) -> None:
        calls.append(1)
        raise StaleDataError("UPDATE matched 0 rows")

    with pytest.raises(Conflict):
        db.run(always_stale, write=True)
    assert len(calls) == db_module.WRITE_ATTEMPTS


@pytest.mark.postgres
def test_concurrent_stale_update_is_detected_on_postgresql(pg_db: Database) -> None:
    """On SQLite BEGIN IMMEDIATE serialises writers; on PostgreSQL the version column catches it."""
    admin_ctx = make_admin(pg_db)
    assert admin_ctx.user is not None
    with pg_db.session(write=True) as first:
        user = first.get(User, admin_ctx.user.id)
        assert user is not None
        with pg_db.engine.begin() as conn:  # another desk saves in between
            conn.execute(text("UPDATE app_user SET version = version + 1"))
        user.display_name = "改名"
        with pytest.raises(StaleDataError):
            first.flush()
        first.rollback()


def test_failed_work_rolls_back(db: Database) -> None:
    make_admin(db)

    def work(session: Session) -> None:
        session.execute(text("DELETE FROM app_user"))
        raise AppError("no")

    with pytest.raises(AppError):
        db.run(work, write=True)
    assert table_count(db, "app_user") == 1


@pytest.mark.parametrize(
    "path", [r"\\fileserver\share\aftersales.sqlite3", "//fileserver/share/aftersales.sqlite3"]
)
def test_unc_paths_are_network_paths(path: str) -> None:
    assert is_network_path(Path(path))


def test_network_filesystems_are_detected_from_the_mount_table() -> None:
    mounts = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "//nas/share /mnt/office cifs rw 0 0\n"
        "server:/export /srv/nfs nfs4 rw 0 0\n"
    )
    assert is_network_path(Path("/mnt/office/data/a.sqlite3"), mounts)
    assert is_network_path(Path("/srv/nfs/a.sqlite3"), mounts)
    assert not is_network_path(Path("/home/user/a.sqlite3"), mounts)
    assert not is_network_path(Path("/mnt/officer/a.sqlite3"), mounts)


@pytest.mark.parametrize(
    "url",
    ["sqlite://///fileserver/share/aftersales.sqlite3", r"sqlite:///\\fileserver\share\a.sqlite3"],
)
def test_network_share_database_is_refused_with_a_sentence(url: str) -> None:
    with pytest.raises(DatabaseLocationError, match="network share.*PostgreSQL"):
        Database(url)


def test_bad_urls_are_refused_with_a_sentence() -> None:
    with pytest.raises(DatabaseLocationError):
        Database("not a url")
    with pytest.raises(DatabaseLocationError):
        Database("sqlite://")
    with pytest.raises(DatabaseLocationError):
        Database("nosuchdriver://host/db")


def test_default_location_is_the_data_directory(home: Path) -> None:
    database = Database()
    assert database.path == (home / "aftersales.sqlite3").resolve()
    database.dispose()


def test_env_variable_chooses_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AFTERSALES_DB_URL", sqlite_url(tmp_path / "env.sqlite3"))
    database = Database()
    assert database.path == (tmp_path / "env.sqlite3").resolve()
    database.dispose()


# --- migrations -----------------------------------------------------------------------------------


def test_new_database_migrates_without_backup(tmp_path: Path, home: Path) -> None:
    database = Database(sqlite_url(tmp_path / "new.sqlite3"))
    assert database.migrate() is None
    assert database.current_revision() == database.head_revision()
    assert not list((home / "backups").glob("*"))
    assert database.migrate() is None  # nothing to do the second time
    database.dispose()


def test_migration_of_an_existing_database_takes_a_backup_first(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(sqlite_url(tmp_path / "old.sqlite3"))
    database.migrate()
    make_admin(database)
    # A newer program version brings one more migration.
    scripts = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), scripts)
    (scripts / "versions" / "9999_add_note.py").write_text(
        '"""add a note column"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        "revision = '9999'\ndown_revision = '" + database.head_revision() + "'\n"
        "branch_labels = None\ndepends_on = None\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('app_meta') as batch:\n"
        "        batch.add_column(sa.Column('note', sa.String(50), nullable=True))\n\n"
        "def downgrade():\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "migrations_dir", lambda: scripts)
    before = database.current_revision()
    backup = database.migrate()
    assert backup is not None and backup.exists()
    assert database.current_revision() == "9999"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == before
        assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == 1
    database.dispose()


# --- backups, restores, checks ----------------------------------------------------------------------


def test_backup_is_complete_verified_and_renamed_into_place(db: Database, tmp_path: Path) -> None:
    make_admin(db)
    result = db.backup(tmp_path / "out" / "b.sqlite3")
    assert result.path.exists() and result.size_bytes > 0
    assert not list(result.path.parent.glob("*.part"))
    assert db_module.integrity_problem(result.path) is None
    with sqlite3.connect(result.path) as conn:
        assert conn.execute("SELECT username FROM app_user").fetchall() == [("admin",)]


def test_backup_while_another_desk_holds_a_read_transaction(db: Database, tmp_path: Path) -> None:
    make_admin(db)
    with db.session() as reader:
        reader.execute(text("SELECT count(*) FROM app_user"))
        result = db.backup(tmp_path / "b.sqlite3")
    assert db_module.integrity_problem(result.path) is None


def test_restore_brings_back_the_data_and_saves_what_it_replaced(db: Database, tmp_path: Path) -> None:
    make_admin(db)
    backup = db.backup(tmp_path / "b.sqlite3").path
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry"))
        conn.execute(text("DELETE FROM app_user"))
    safety = db.restore(backup)
    assert table_count(db, "app_user") == 1
    with sqlite3.connect(safety.path) as conn:
        assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == 0


def test_restore_refuses_files_that_are_not_our_backups(db: Database, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    damaged = tmp_path / "damaged.sqlite3"
    good = db.backup(tmp_path / "good.sqlite3").path
    data = bytearray(good.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    for bad, reason in (
        (tmp_path / "missing.sqlite3", "does not exist"),
        (text_file, "not a database backup"),
        (foreign, "not a database backup"),
        (damaged, "damaged|not a database backup"),
    ):
        with pytest.raises(AppError, match=reason):
            db.restore(bad)


def test_check_reports_integrity_and_schema(db: Database) -> None:
    result = db.check()
    assert result.ok and result.integrity == "ok" and result.revision == result.head
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    result = db.check()
    assert not result.ok and any("schema" in p for p in result.problems)


@pytest.mark.postgres
def test_backup_of_postgresql_is_refused_with_a_sentence(pg_db: Database, tmp_path: Path) -> None:
    with pytest.raises(AppError, match="pg_dump"):
        pg_db.backup(tmp_path / "x.sqlite3")


def test_query_counter_counts_statements(db: Database) -> None:
    ctx = Context(db=db)
    before = db.query_count
    with db.session() as s:
        s.execute(text("SELECT 1"))
        s.execute(text("SELECT 2"))
    assert db.query_count - before >= 2
    assert ctx.db is db


def test_migrations_build_exactly_the_models(any_db: Database) -> None:
    """A model change without its migration (or the reverse) fails here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import app.models  # noqa: F401
    from app.db import include_name

    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_type": True}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
