"""Shared by the benchmarks: the large demo database they all measure against."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
PASSWORD = "Bench2026pos"


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["AFTERSALES_HOME"] = str(DATA / "home")
    return env


def ensure_database(customers: int) -> str:
    """The URL of a demo database with `customers` merchants and 1.5 terminals each, built once."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{customers}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"building {path} ({customers} customers)…", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "app", "--db", url, "demo-data", "--customers", str(customers),
             "--password", PASSWORD],
            check=True, cwd=ROOT, env=bench_env(),
        )
    return url
