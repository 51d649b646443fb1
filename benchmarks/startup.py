"""How long the workstation takes to open its main window on a large demo database.

    python benchmarks/startup.py [--customers 100000] [--runs 5]

Builds the demo database once (kept in benchmarks/.data), then starts a fresh Python process per
run that does what a person's start does: Qt application, font, translations, open and check the
database schema, sign in (argon2id), build the main window and show it (offscreen). Prints the
whole-process time of each run and the median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PASSWORD, ROOT, bench_env, ensure_database  # noqa: E402


def child(db_url: str) -> None:
    """One start, timed from interpreter start to the main window being shown."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.context import Context
    from app.services import auth, maintenance
    from ui import app as gui

    qapp = gui.create_application()
    db = maintenance.open_database(db_url)
    station = gui.Workstation(db)
    station.ctx = station.ctx.as_user(auth.sign_in(Context(db=db), "admin", PASSWORD))
    window = station.open_main_window()
    while not window.isVisible():
        QApplication.processEvents()
    QApplication.processEvents()
    print(f"shown {time.perf_counter():.3f}")
    qapp.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    url = ensure_database(args.customers)
    times = []
    for _ in range(args.runs + 1):  # the first run warms the disk cache and is not counted
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child", url], check=True, env=bench_env(),
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    counted = times[1:]
    print(f"database: {args.customers} merchants, {round(args.customers * 1.5)} terminals")
    print("process start to main window shown and closed, seconds: "
          + " ".join(f"{t:.2f}" for t in counted))
    print(f"median {statistics.median(counted):.2f} s, max {max(counted):.2f} s (goal: under 3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
