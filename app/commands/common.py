"""Helpers the commands share: opening the database, progress on a terminal, writing a file."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.db import Database
from app.errors import AppError
from app.i18n import _
from app.rules.accounts import check_repeat


def open_database(args: argparse.Namespace, *, migrate: bool = True) -> Database:
    """The database named by --db (or the default one), brought up to date unless told not to."""
    db = Database(getattr(args, "db", None))
    if migrate:
        backup = db.migrate()
        if backup:
            print(_("Backup before migration: {path}").format(path=backup))
    return db


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("New password: "))
    check_repeat(first, getpass.getpass(_("Repeat the password: ")), "password")
    return first


def print_progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def terminal_progress() -> Callable[[int, int], None] | None:
    """A done/total counter on stderr, when a person watches it."""
    return print_progress if sys.stderr.isatty() else None


def write_file(path: Path, data: bytes) -> Path:
    """Write `data` through a temporary file beside `path`, so a reader never sees half a file."""
    target = path.expanduser()
    if not target.parent.is_dir():
        raise AppError(_("The folder {path} does not exist.").format(path=target.parent))
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AppError(
            _("Cannot write {path} ({reason}); if it is open in a PDF viewer, close it and try again.").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target.resolve()
