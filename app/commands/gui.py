"""`aftersales [--demo]` without a command: the workstation's window."""

from __future__ import annotations

import argparse
import importlib


def open_workstation(args: argparse.Namespace) -> int:
    # The only place the core reaches the GUI package, by name: app stays importable without Qt.
    gui = importlib.import_module("ui.app")
    result: int = gui.main(db_url=getattr(args, "db", None), demo=args.demo)
    return result


def self_test(args: argparse.Namespace) -> int:
    """`aftersales self-test`: does this installation work on this PC (ui.self_test)?"""
    checks = importlib.import_module("ui.self_test")
    result: int = checks.run(seconds=max(0.0, min(args.seconds, 60.0)))
    return result
