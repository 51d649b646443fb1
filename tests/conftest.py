"""Fixtures: a private data directory per test, real SQLite files, a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import text

from app import i18n
from app.context import Context
from app.db import Database, sqlite_url
from app.models.branch import BranchCreate
from app.models.user import Actor, Role, UserCreate
from app.services import auth, setup, users
from tests.pg_server import PostgresServer

ADMIN_PASSWORD = "Admin2026pos"
USER_PASSWORD = "Staff2026pos"


class FixedClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data directory and starts in English.

    The folder's name has Chinese characters and spaces, as the profile folder of a Windows user
    named 王芳 has, so every test of the command line and the services runs with such a path.
    """
    path = tmp_path / "售后 数据 home"
    path.mkdir()
    monkeypatch.setenv("AFTERSALES_HOME", str(path))
    monkeypatch.delenv("AFTERSALES_DB_URL", raising=False)
    i18n.set_language("en")
    yield path
    i18n.set_language("en")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    server = PostgresServer()
    if not server.available:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run must install it")
        yield None
        return
    server.start()
    try:
        yield server
    finally:
        server.stop()


_pg_databases = itertools.count(1)


def _open_sqlite(path: Path) -> Database:
    db = Database(sqlite_url(path))
    db.migrate()
    return db


@pytest.fixture
def db(tmp_path: Path, home: Path) -> Iterator[Database]:
    """A migrated SQLite database in a real file."""
    database = _open_sqlite(tmp_path / "test.sqlite3")
    yield database
    database.dispose()


def _open_postgres(request: pytest.FixtureRequest) -> Database:
    server: PostgresServer | None = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip("PostgreSQL server binaries are not installed here")
    database = Database(server.create_database(f"t{os.getpid()}_{next(_pg_databases)}"))
    database.migrate()
    return database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(
    request: pytest.FixtureRequest, tmp_path: Path, home: Path
) -> Iterator[Database]:
    """The same test on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        database = _open_sqlite(tmp_path / "test.sqlite3")
    else:
        database = _open_postgres(request)
    yield database
    database.dispose()


@pytest.fixture
def pg_db(request: pytest.FixtureRequest, home: Path) -> Iterator[Database]:
    """A migrated database on the test session's PostgreSQL server."""
    database = _open_postgres(request)
    yield database
    database.dispose()


def make_admin(database: Database, clock: FixedClock | None = None) -> Context:
    """Run the first-run setup and sign the administrator in."""
    ctx = Context(db=database, clock=clock or FixedClock())
    setup.create_branch_and_admin(
        ctx,
        BranchCreate(code="SZ01", name="深圳南山服务网点", address="深圳市南山区科技园", phone="0755-26881234"),
        UserCreate(username="admin", display_name="王芳", role=Role.ADMIN, password=ADMIN_PASSWORD),
    )
    return ctx.as_user(auth.sign_in(ctx, "admin", ADMIN_PASSWORD))


def make_user(admin_ctx: Context, username: str, role: Role, name: str = "李娜") -> Actor:
    users.create_user(
        admin_ctx, UserCreate(username=username, display_name=name, role=role, password=USER_PASSWORD)
    )
    return auth.sign_in(admin_ctx.as_user(None), username, USER_PASSWORD)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def admin_ctx(db: Database, clock: FixedClock) -> Context:
    return make_admin(db, clock)


@pytest.fixture
def any_admin_ctx(any_db: Database, clock: FixedClock) -> Context:
    return make_admin(any_db, clock)


def table_count(database: Database, table: str) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
