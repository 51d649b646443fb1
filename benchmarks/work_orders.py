"""How fast work orders are made: one, and a batch of 500 in one PDF.

    python benchmarks/work_orders.py [--repeat 20] [--batch-repeat 3] [--fresh]

Builds (once) a small database of its own, benchmarks/.data/work-orders.sqlite3: demo merchants
and terminals from the demo generator, and 500 repair tickets opened, assigned and partly worked
through the services. Then times, at the service layer (reading the tickets, rendering, logging
the print on each ticket), one A4 work order and 500 A4 work orders in one PDF, and prints
min / median / max in milliseconds and the size of the PDF.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, PASSWORD, ROOT, bench_env

sys.path.insert(0, str(ROOT))

DATABASE = DATA / "work-orders.sqlite3"
TICKETS = 500
CUSTOMERS = 300

DESCRIPTIONS = (
    "刷卡无反应，插卡提示读卡失败。",
    "屏幕碎裂，触摸失灵，商户称不慎跌落。",
    "打印机不出纸，纸仓盖合不上。",
    "开机后停在启动画面，反复重启。",
    "无法联网，SIM 卡显示无服务，已更换网络位置仍然不行。",
    "交易时提示密钥错误，无法签到。商户急用，请尽快上门处理。" * 3,
)


def _ms(fn: Callable[[], object], repeat: int) -> tuple[float, float, float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), max(times), result


def _fill(ctx: object, wanted: int) -> list[uuid.UUID]:
    """The first `wanted` tickets by number, opening (and working on) as many as are missing."""
    from app.context import Context
    from app.models.terminal import TerminalFilter
    from app.models.ticket import (
        Priority,
        TicketFilter,
        TicketIntake,
        TicketPartLine,
        TicketStep,
        TicketWork,
        WorkAction,
    )
    from app.services import terminals, tickets

    assert isinstance(ctx, Context)
    page = tickets.list_tickets(ctx, TicketFilter(sort="ticket_no"), limit=wanted)
    missing = wanted - len(page.items)
    if missing > 0:
        print(f"opening {missing} tickets…", file=sys.stderr)
        rng = random.Random(5)
        faults = [f.id for f in tickets.list_fault_categories(ctx)]
        technicians = [user_id for user_id, _name in tickets.list_assignees(ctx)]
        held = [t for t in terminals.list_terminals(ctx, TerminalFilter(), limit=500).items if t.merchant_id]
        for n in range(missing):
            terminal = held[n % len(held)]
            ticket = tickets.open_ticket(
                ctx,
                TicketIntake(
                    terminal_id=terminal.id,
                    fault_category_id=rng.choice(faults),
                    description=rng.choice(DESCRIPTIONS),
                    priority=rng.choice(list(Priority)),
                    contact_name="张先生",
                    contact_phone=f"139{rng.randrange(10**8):08d}",
                ),
            )
            if n % 4 == 3:
                continue  # left unassigned
            ticket = tickets.take_step(
                ctx, ticket.id, TicketStep.ASSIGN, expected_version=ticket.version,
                assignee_id=rng.choice(technicians),
            )
            if n % 2 == 0:
                ticket = tickets.take_step(ctx, ticket.id, TicketStep.START, expected_version=ticket.version)
                tickets.update_work(
                    ctx,
                    ticket.id,
                    TicketWork(
                        diagnosis="读卡器排线松动，磁头磨损。",
                        actions=[WorkAction.REPLACE_PART],
                        parts=[
                            TicketPartLine(part_name="读卡器模组", quantity=1, unit_price_fen=8000),
                            TicketPartLine(part_name="电池", quantity=1, unit_price_fen=6500, covered=True),
                        ],
                        labour_fee_fen=5000,
                        expected_version=ticket.version,
                    ),
                )
        page = tickets.list_tickets(ctx, TicketFilter(sort="ticket_no"), limit=wanted)
    return [t.id for t in page.items]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of the single work order")
    parser.add_argument("--batch-repeat", type=int, default=3, help="runs of the batch of 500")
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    args = parser.parse_args()
    os.environ.update(bench_env())
    DATA.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)

    from app.context import Context
    from app.db import Database, sqlite_url
    from app.services import auth
    from app.services.demo import generate_demo_data
    from app.services.ticket_documents import work_orders

    db = Database(sqlite_url(DATABASE))
    db.migrate()
    if not _has_users(db):
        print(f"building {DATABASE} ({CUSTOMERS} merchants)…", file=sys.stderr)
        generate_demo_data(Context.system(db), customers=CUSTOMERS, password=PASSWORD)
    ctx = Context(db=db)
    ctx = ctx.as_user(auth.sign_in(ctx, "admin", PASSWORD))
    ids = _fill(ctx, TICKETS)
    assert len(ids) == TICKETS, len(ids)

    print(f"{TICKETS} tickets; ms min / median / max")
    low, mid, high, one = _ms(lambda: work_orders(ctx, ids[:1]), args.repeat)
    assert isinstance(one, bytes)
    print(f"  one work order, A4 ({args.repeat} runs)        {low:8.1f} {mid:8.1f} {high:8.1f}   {len(one) / 1024:7.1f} KiB")
    low, mid, high, batch = _ms(lambda: work_orders(ctx, ids), args.batch_repeat)
    assert isinstance(batch, bytes)
    per_page = mid / TICKETS
    print(
        f"  {TICKETS} work orders, A4, one PDF ({args.batch_repeat} runs) {low:8.1f} {mid:8.1f} {high:8.1f}"
        f"   {len(batch) / 1024 / 1024:7.2f} MiB ({per_page:.1f} ms a page)"
    )
    db.dispose()
    return 0


def _has_users(db: object) -> bool:
    from sqlalchemy import text

    from app.db import Database

    assert isinstance(db, Database)
    with db.engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM app_user")).scalar_one())


if __name__ == "__main__":
    sys.exit(main())
