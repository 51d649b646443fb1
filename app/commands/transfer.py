"""`aftersales import | export`: merchants and terminals from and to XLSX or CSV files."""

from __future__ import annotations

import argparse
import sys

from app.commands.common import open_database, terminal_progress
from app.context import Context
from app.i18n import _, ngettext
from app.models.imports import ImportKind
from app.models.merchant import MerchantFilter
from app.models.terminal import TerminalFilter
from app.services import exports, imports


def import_file(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    kind = ImportKind(args.kind)
    progress = terminal_progress()
    if args.dry_run:
        preview = imports.preview_import(ctx, kind, args.file, progress=progress)
        if progress:
            print(file=sys.stderr)
        counts = preview.counts
        summary = _("Dry run, nothing was written: {new} new, {update} to update, {error} with errors.")
        print(summary.format(new=counts["new"], update=counts["update"], error=counts["error"]))
        errors = preview.error_rows
        error_file = imports.write_error_file(ctx, preview)
    else:
        result = imports.run_import(ctx, args.file, kind=kind, progress=progress)
        if progress:
            print(file=sys.stderr)
        print(
            _("Imported: {new} new, {update} updated, {error} with errors.").format(
                new=result.created, update=result.updated, error=result.failed
            )
        )
        errors, error_file = result.errors, result.error_file
    for row in errors:
        for message in row.messages:
            print(_("row {n}, {message}").format(n=row.row_number, message=message))
    if error_file is not None:
        advice = _("Rows with errors were written to {path}; correct them there and import that file.")
        print(advice.format(path=error_file))
    return 1 if errors else 0


def export_file(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    if args.kind == "merchants":
        count = exports.export_merchants(ctx, MerchantFilter(), args.out)
    else:
        count = exports.export_terminals(ctx, TerminalFilter(), args.out)
    print(
        ngettext("{n} row written to {path}.", "{n} rows written to {path}.", count).format(
            n=count, path=args.out.expanduser().resolve()
        )
    )
    return 0
