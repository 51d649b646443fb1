"""Backups, restores, checks and migrations, for the menu and the command line."""

from __future__ import annotations

from pathlib import Path

from app.context import Context
from app.db import BackupResult, CheckResult
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
