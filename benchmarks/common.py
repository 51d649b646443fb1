"""Shared by the benchmarks: the large demo database they all measure against."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
PASSWORD = "Bench2026pos"


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["AFTERSALES_HOME"] = str(DATA / "home")
    return env


def database_path(customers: int) -> Path:
    return DATA / f"demo-{customers}.sqlite3"


def build_database(customers: int, *, fresh: bool = False) -> float | None:
    """Build the demo database with `customers` merchants (1.5 terminals each) unless it exists;
    returns how long building took, or None when it was there."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = database_path(customers)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if path.exists():
        return None
    print(f"building {path} ({customers} customers)…", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "--db", f"sqlite:///{path}", "demo-data", "--customers",
         str(customers), "--password", PASSWORD],
        check=True, cwd=ROOT, env=bench_env(), stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def ensure_database(customers: int) -> str:
    """The URL of the demo database with `customers` merchants, built once."""
    build_database(customers)
    return f"sqlite:///{database_path(customers)}"
