"""`aftersales print <document> ... --out FILE`: documents written to a PDF file."""

from __future__ import annotations

import argparse
import uuid

from app.commands.common import open_database, write_file
from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.services import ticket_documents, tickets


def _ticket_ids(ctx: Context, numbers: list[str]) -> list[uuid.UUID]:
    ids = []
    for number in dict.fromkeys(n.strip().upper() for n in numbers):
        found = tickets.find_ticket_by_number(ctx, number)
        if found is None:
            raise AppError(_("There is no ticket {number}.").format(number=number))
        ids.append(found.id)
    return ids


def work_order(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    ids = _ticket_ids(ctx, args.tickets)
    data = ticket_documents.work_orders(ctx, ids, page_size="A5" if args.a5 else "A4", copies=args.copies)
    path = write_file(args.out, data)
    message = ngettext("{n} work order written to {path}.", "{n} work orders written to {path}.", len(ids))
    print(message.format(n=len(ids), path=path))
    return 0


def service_report(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    ids = _ticket_ids(ctx, [args.ticket])
    path = write_file(args.out, ticket_documents.service_report(ctx, ids[0]))
    print(_("Service report written to {path}.").format(path=path))
    return 0
