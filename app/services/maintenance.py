"""Backups, restores, checks and migrations, for the menu and the command line."""

from __future__ import annotations

from pathlib import Path

from app import paths
from app.context import Context
from app.db import BackupResult, CheckResult, Database, sqlite_url
from app.rules.permissions import Action
from app.services.base import checked


@checked(Action.DATABASE_BACKUP)
def backup_database(ctx: Context, out: Path | None = None) -> BackupResult:
    """Write a verified copy of the live database (SQLite's online backup API)."""
    return ctx.db.backup(out)


@checked(Action.DATABASE_RESTORE)
def restore_database(ctx: Context, backup_file: Path) -> BackupResult:
    """Replace the data with a backup; returns the safety copy taken of the data replaced."""
    result = ctx.db.restore(backup_file)
    ctx.db.migrate()
    return result


@checked(Action.DATABASE_CHECK)
def check_database(ctx: Context) -> CheckResult:
    return ctx.db.check()


def open_database(url: str | None = None, *, demo: bool = False) -> Database:
    """Open the workstation's database at start-up: migrate it (backing it up first when it
    holds data) and, for the demo, fill an empty one with demo data (the demo database in the
    data directory unless `url` names another)."""
    if demo and url is None:
        url = sqlite_url(paths.demo_db_path())
    db = Database(url)
    db.migrate()
    if demo:
        from app.services.demo import generate_demo_data
        from app.services.setup import needs_first_run

        if needs_first_run(Context(db=db)):
            generate_demo_data(Context.system(db))
    return db
