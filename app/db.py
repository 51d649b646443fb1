"""Engine, unit of work, SQLite pragmas, migrations, backups.

SQLite is the embedded default: WAL, synchronous=FULL, foreign keys and a busy timeout are set and
asserted on every connection, and write transactions start with BEGIN IMMEDIATE so two desks never
deadlock half-way. PostgreSQL works through any SQLAlchemy URL.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from app import audit, paths, search_index
from app.errors import AppError, Conflict, DatabaseLocationError
from app.i18n import _
from app.models.base import utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
BUSY_TIMEOUT_MS = 5000
WRITE_ATTEMPTS = 5
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ncpfs"}
APP_TABLES = {"app_user", "branch", "audit_entry"}


class AppSession(Session):
    """The session class the audit hook listens on."""


audit.install(AppSession)
search_index.install(AppSession)


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """For migrations: the search index is made by hand per database (FTS5 or tsvector), so
    comparing the models with the schema leaves its tables out."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))


def resolve_url(url: str | None = None) -> str:
    """The URL to use: the argument, else AFTERSALES_DB_URL, else the default SQLite file."""
    return url or os.environ.get("AFTERSALES_DB_URL") or sqlite_url(paths.default_db_path())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _fs_type(path: Path, mounts: str) -> str:
    """The filesystem type of the longest mount point that holds `path` (Linux /proc/mounts)."""
    best, fs = "", ""
    target = str(path)
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, fs = mount_point, parts[2]
    return fs


def is_network_path(path: Path, mounts: str | None = None) -> bool:
    """True for a UNC path, a mapped network drive (Windows) or a network filesystem (Linux)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            drive_remote = 4
            return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)
        return False
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    return _fs_type(path.resolve(), mounts) in NETWORK_FILESYSTEMS


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own is deferred and too late).
    dbapi_connection.isolation_level = None
    with closing(dbapi_connection.cursor()) as cur:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        for name, expected in SQLITE_PRAGMAS.items():
            value = cur.execute(f"PRAGMA {name}").fetchone()[0]
            if str(value).lower() != str(expected):
                raise DatabaseLocationError(
                    _("The database file does not support {setting}; store it on a local disk.").format(
                        setting=f"{name}={expected}"
                    )
                )
        if cur.execute("PRAGMA busy_timeout").fetchone()[0] != BUSY_TIMEOUT_MS:
            raise DatabaseLocationError(_("The database did not accept its busy timeout setting."))


def _begin_sqlite(conn: Any) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("aftersales_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return "locked" in text or "busy" in text
    if isinstance(exc, DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None)
        return sqlstate in ("40001", "40P01")  # serialization failure, deadlock
    return False


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    integrity: str
    revision: str | None
    head: str
    problems: list[str]


class Database:
    """One database: its engine, units of work, schema and backups."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url_text = resolve_url(url)
        try:
            self.url: URL = make_url(self.url_text)
        except ArgumentError as exc:
            raise DatabaseLocationError(
                _("This is not a database address: {url}").format(url=self.url_text)
            ) from exc
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.path: Path | None = None
        if self.is_sqlite:
            if not self.url.database or self.url.database == ":memory:":
                raise DatabaseLocationError(_("The SQLite database needs a file name."))
            self.path = Path(self.url.database).expanduser().resolve()
            if is_network_path(self.path) or is_network_path(Path(self.url.database)):
                raise DatabaseLocationError(
                    _(
                        "The database {path} is on a network share. SQLite's file locking does not "
                        "work there and data would be lost; keep the file on this PC's own disk, or "
                        "use a shared PostgreSQL server (--db postgresql+psycopg://...)."
                    ).format(path=self.path)
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
            )
            event.listen(self.engine, "connect", _set_sqlite_pragmas)
            event.listen(self.engine, "begin", _begin_sqlite)
        else:
            try:
                self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True)
            except Exception as exc:  # noqa: BLE001 - unknown driver names end here
                raise DatabaseLocationError(
                    _("Cannot use the database {url}: {reason}").format(
                        url=self.display_location(), reason=exc
                    )
                ) from exc
        self.query_count = 0
        event.listen(self.engine, "before_cursor_execute", self._count_query)

    def _count_query(self, *_args: Any) -> None:
        self.query_count += 1

    def display_location(self) -> str:
        """Where the data lives, for the status bar (no password)."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- units of work -----------------------------------------------------------------------

    @contextmanager
    def session(self, *, write: bool = False, info: dict[str, Any] | None = None) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back otherwise."""
        with self.engine.connect() as conn:
            if write:
                conn = conn.execution_options(aftersales_write=True)
            session = AppSession(bind=conn, expire_on_commit=False)
            session.info.update(info or {})
            try:
                yield session
                if write:
                    session.commit()
                else:
                    session.rollback()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def run(
        self,
        work: Callable[[Session], T],
        *,
        write: bool,
        user_id: Any = None,
        username: str = "",
        clock: Callable[[], datetime] = utcnow,
    ) -> T:
        """Run `work` in one transaction; a busy database or a stale version retries it whole."""
        info = {"user_id": user_id, "username": username, "clock": clock}
        attempts = WRITE_ATTEMPTS if write else 1
        for attempt in range(1, attempts + 1):
            try:
                with self.session(write=write, info=info) as session:
                    return work(session)
            except (OperationalError, DBAPIError, StaleDataError) as exc:
                if not (write and _is_retryable(exc)):
                    raise
                log.warning("write attempt %d failed (%s); retrying", attempt, exc)
                if attempt == attempts:
                    if isinstance(exc, StaleDataError):
                        raise Conflict(
                            _("Someone else changed this record at the same time; please reload it.")
                        ) from exc
                    raise AppError(
                        _("The database is busy at another desk; please try again in a moment.")
                    ) from exc
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    # --- schema --------------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        cfg = Config()
        # A "%" in the folder (a Windows user name) would read as configparser interpolation.
        cfg.set_main_option("script_location", str(paths.migrations_dir()).replace("%", "%%"))
        cfg.set_main_option("sqlalchemy.url", self.url_text.replace("%", "%%"))
        return cfg

    def head_revision(self) -> str:
        head = ScriptDirectory.from_config(self.alembic_config()).get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def table_names(self) -> set[str]:
        from sqlalchemy import inspect

        return set(inspect(self.engine).get_table_names())

    def needs_migration(self) -> bool:
        return self.current_revision() != self.head_revision()

    def migrate(self, *, backup: bool = True) -> Path | None:
        """Bring the schema to the newest revision; back up an existing database first."""
        if not self.needs_migration():
            return None
        backup_path: Path | None = None
        has_data = bool(self.table_names() & APP_TABLES)
        if backup and has_data and self.is_sqlite:
            backup_path = self.backup(
                paths.backup_dir() / f"before-migration-{utcnow():%Y%m%d-%H%M%S}.sqlite3"
            ).path
            log.info("backup before migration written to %s", backup_path)
        cfg = self.alembic_config()
        with self.schema_change() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return backup_path

    @contextmanager
    def schema_change(self) -> Iterator[Connection]:
        """One transaction for schema changes.

        On SQLite, Alembic changes a table by copying it and dropping the old one; with foreign
        keys enforced the drop would fail (or cascade) as soon as rows refer to the table. The
        checks are off for this transaction only, and the whole database is checked before commit.
        """
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection if self.is_sqlite else None
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, as SQLite needs
            try:
                with conn.begin():
                    yield conn
                    if raw is not None:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            raise AppError(
                                _("The schema change would break {count} links between records.").format(
                                    count=len(broken)
                                )
                            )
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys = ON")

    # --- backups and checks (SQLite) -------------------------------------------------------------

    def _require_sqlite(self) -> Path:
        if self.path is None:
            raise AppError(
                _("Backups of a PostgreSQL database are made on the server (pg_dump), not here.")
            )
        return self.path

    def backup(self, out: Path | None = None) -> BackupResult:
        """Copy the live database with SQLite's online backup API in one step, then verify it."""
        source = self._require_sqlite()
        if out is None:
            out = paths.backup_dir() / f"aftersales-{utcnow():%Y%m%d-%H%M%S-%f}.sqlite3"
        out = out.expanduser().resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.unlink(missing_ok=True)
        with closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as src:
            with closing(sqlite3.connect(tmp)) as dst:
                # pages=-1 copies everything in one step: a stepwise backup restarts whenever
                # another desk writes and might never finish.
                src.backup(dst, pages=-1)
                dst.execute("PRAGMA journal_mode = DELETE")
        problem = integrity_problem(tmp)
        if problem:
            tmp.unlink(missing_ok=True)
            raise AppError(_("The backup failed its integrity check: {problem}").format(problem=problem))
        os.replace(tmp, out)
        return BackupResult(path=out, size_bytes=out.stat().st_size)

    def restore(self, backup_file: Path) -> BackupResult:
        """Replace this database's contents with a verified backup; the current state is saved first."""
        target = self._require_sqlite()
        backup_file = backup_file.expanduser().resolve()
        reason = self.backup_problem(backup_file)
        if reason:
            raise AppError(reason)
        safety = self.backup(paths.backup_dir() / f"before-restore-{utcnow():%Y%m%d-%H%M%S}.sqlite3")
        self.engine.dispose()
        with closing(sqlite3.connect(backup_file)) as src:
            with closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)) as dst:
                src.backup(dst, pages=-1)
        self.engine.dispose()
        return safety

    def backup_problem(self, backup_file: Path) -> str | None:
        """Why `backup_file` is not a backup this program can restore, or None."""
        if not backup_file.is_file():
            return _("The file {path} does not exist.").format(path=backup_file)
        with open(backup_file, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return _("{path} is not a database backup of this program.").format(path=backup_file)
        problem = integrity_problem(backup_file)
        if problem:
            return _("The backup {path} is damaged: {problem}").format(path=backup_file, problem=problem)
        with closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not APP_TABLES <= tables or "alembic_version" not in tables:
                return _("{path} is not a database backup of this program.").format(path=backup_file)
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        script = ScriptDirectory.from_config(self.alembic_config())
        if revision is None or script.get_revision(revision[0]) is None:
            return _("{path} comes from a newer version of this program.").format(path=backup_file)
        return None

    def check(self) -> CheckResult:
        """Integrity check and schema version."""
        problems: list[str] = []
        integrity = "ok"
        if self.path is not None:
            integrity = integrity_problem(self.path) or "ok"
            if integrity != "ok":
                problems.append(_("Integrity check failed: {detail}").format(detail=integrity))
            with closing(sqlite3.connect(self.path)) as conn:
                fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(_("{n} rows point to missing records.").format(n=len(fk)))
        revision = self.current_revision()
        head = self.head_revision()
        if revision != head:
            problems.append(
                _("The schema is at version {revision}; this program needs {head}.").format(
                    revision=revision or "-", head=head
                )
            )
        return CheckResult(not problems, integrity, revision, head, problems)


def integrity_problem(path: Path) -> str | None:
    """SQLite's integrity_check of a file: None when it says ok."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    text = "; ".join(str(r[0]) for r in rows)
    return None if text == "ok" else text
