"""How fast the list screens get their rows on a large database.

    python benchmarks/lists.py [--customers 100000] [--repeat 20]

Times, at the service layer, the first page (200 rows) of the merchant and terminal lists with and
without filters, a page deep in the list (what scrolling asks for), the warranty lists and one
terminal's coverage; then, offscreen, how long
the merchant and terminal list screens take from construction to showing their first rows
(filters filled, first page loaded, columns fitted, painted once).
Prints min / median / max in milliseconds. Goal: first rows in under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PASSWORD, ROOT, bench_env, ensure_database  # noqa: E402

sys.path.insert(0, str(ROOT))


def _ms(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = ensure_database(args.customers)
    os.environ.update(bench_env())

    from app.context import Context
    from app.db import Database
    from app.models.merchant import MerchantFilter, MerchantStatus, RiskLevel
    from app.models.terminal import TerminalFilter, TerminalStatus
    from app.models.warranty import ContractFilter
    from app.services import auth, merchants, terminals, warranty

    db = Database(url)
    ctx = Context(db=db)
    ctx = ctx.as_user(auth.sign_in(ctx, "admin", PASSWORD))
    sample_terminal = terminals.list_terminals(ctx, TerminalFilter(), offset=75_000, limit=1).items[0].id
    cases: list[tuple[str, Callable[[], object]]] = [
        ("merchants, first page", lambda: merchants.list_merchants(ctx, MerchantFilter())),
        ("merchants, status + risk filter", lambda: merchants.list_merchants(
            ctx, MerchantFilter(status=MerchantStatus.ACTIVE, risk_level=RiskLevel.HIGH))),
        ("merchants, city filter", lambda: merchants.list_merchants(ctx, MerchantFilter(city="深圳市"))),
        ("merchants, page at row 50,000", lambda: merchants.list_merchants(
            ctx, MerchantFilter(), offset=50_000)),
        ("terminals, first page", lambda: terminals.list_terminals(ctx, TerminalFilter())),
        ("terminals, status filter", lambda: terminals.list_terminals(
            ctx, TerminalFilter(status=TerminalStatus.IN_REPAIR))),
        ("terminals, page at row 100,000", lambda: terminals.list_terminals(
            ctx, TerminalFilter(), offset=100_000)),
        ("warranties ending in 30 days", lambda: warranty.list_expiring_warranties(ctx, 30)),
        ("contracts ending in 30 days", lambda: warranty.list_contracts(
            ctx, ContractFilter(ending_within_days=30))),
        ("out of warranty, no contract", lambda: warranty.list_uncovered_terminals(ctx)),
        ("coverage of one terminal", lambda: warranty.coverage(ctx, sample_terminal)),
    ]
    print(f"database: {args.customers} merchants; {args.repeat} runs each; ms min / median / max")
    for name, fn in cases:
        low, mid, high = _ms(fn, args.repeat)
        print(f"  service  {name:<34} {low:7.1f} {mid:7.1f} {high:7.1f}")

    screens = _screens(ctx)
    for name, build in screens:
        low, mid, high = _ms(build, max(3, args.repeat // 4))
        print(f"  screen   {name:<34} {low:7.1f} {mid:7.1f} {high:7.1f}")
    return 0


def _screens(ctx: object) -> list[tuple[str, Callable[[], object]]]:
    """The list screens, from construction to their first rows (offscreen)."""
    try:
        from ui.customers.merchant_list_page import MerchantListPage
        from ui.devices.terminal_list_page import TerminalListPage
    except ImportError:
        return []
    from ui import app as gui

    qapp = gui.create_application()

    def build(cls: type) -> Callable[[], object]:
        def run() -> object:
            page = cls(ctx)
            page.resize(1200, 700)
            page.show()  # a list loads its first page as it appears
            qapp.processEvents()
            assert page.model.rowCount() > 0
            page.close()
            page.deleteLater()
            return page

        return run

    return [("merchant list", build(MerchantListPage)), ("terminal list", build(TerminalListPage))]


if __name__ == "__main__":
    sys.exit(main())
