"""`aftersales demo-data`: fill the database with demo data."""

from __future__ import annotations

import argparse
import sys

from app.commands.common import open_database, print_progress
from app.context import Context
from app.i18n import _
from app.services.demo import generate_demo_data


def demo_data(args: argparse.Namespace) -> int:
    db = open_database(args)
    summary = generate_demo_data(
        Context.system(db),
        customers=args.customers,
        terminals_per_customer=args.terminals_per_customer,
        seed=args.seed,
        password=args.password,
        progress=print_progress,
    )
    print(file=sys.stderr)
    print(
        _("Demo data in {location}: {merchants} merchants, {terminals} terminals.").format(
            location=db.display_location(), merchants=summary.merchants, terminals=summary.terminals
        )
    )
    print(
        _("Demo users {users}, password: {password}").format(
            users=", ".join(summary.usernames), password=summary.password
        )
    )
    return 0
