"""`aftersales [--demo]` without a command: the workstation's window."""

from __future__ import annotations

import argparse
import importlib


def open_workstation(args: argparse.Namespace) -> int:
    # The only place the core reaches the GUI package, by name: app stays importable without Qt.
    gui = importlib.import_module("ui.app")
    result: int = gui.main(db_url=getattr(args, "db", None), demo=args.demo)
    return result
