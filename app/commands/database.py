"""`aftersales backup | restore | check | migrate`: looking after the database itself."""

from __future__ import annotations

import argparse

from app.commands.common import open_database
from app.context import Context
from app.i18n import _
from app.services import maintenance


def backup(args: argparse.Namespace) -> int:
    result = maintenance.backup_database(Context.system(open_database(args, migrate=False)), args.out)
    print(_("Backup written: {path} ({size} bytes)").format(path=result.path, size=result.size_bytes))
    return 0


def restore(args: argparse.Namespace) -> int:
    db = open_database(args, migrate=False)
    safety = maintenance.restore_database(Context.system(db), args.file)
    print(_("Restored from {path}.").format(path=args.file.resolve()))
    print(_("The data it replaced was saved to {path}.").format(path=safety.path))
    return 0


def check(args: argparse.Namespace) -> int:
    result = maintenance.check_database(Context.system(open_database(args, migrate=False)))
    print(_("Integrity: {value}").format(value=result.integrity))
    print(_("Schema version: {revision} (this program: {head})").format(
        revision=result.revision or "-", head=result.head
    ))
    for problem in result.problems:
        print(_("Problem: {problem}").format(problem=problem))
    print(_("Database is fine.") if result.ok else _("Database has problems."))
    return 0 if result.ok else 1


def migrate(args: argparse.Namespace) -> int:
    db = open_database(args)
    print(_("Schema version: {revision}").format(revision=db.current_revision()))
    return 0
