"""The frozen program's start: the workstation, or one command (`aftersales-cli backup`)."""

from __future__ import annotations

import os
import sys


def main() -> int:
    # The windowed Windows executable has no console: its standard streams are None, and a
    # message printed by a command must go nowhere rather than fail.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from app.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
