"""The command line imports only what a command needs: reading it loads no database layer, no
model, no ReportLab and no Qt; printing loads no Qt. Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli

PROJECT_ROOT = Path(__file__).parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "reportlab", "PySide6", "shiboken6", "app.models", "app.db")


def _loaded_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def _heavy(modules: list[str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy)]


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    assert _heavy(_loaded_after("import app.cli")) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["print", "--help"],
        ["print", "work-order", "--help"],
        ["users", "--help"],
        ["nonsense"],
        ["export", "tickets", "--out", "x.csv"],
        ["print", "work-order"],
        ["demo-data", "--customers", "many"],
    ],
)
def test_help_version_and_usage_errors_load_nothing_heavy(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = (
        "import contextlib, io\n"
        "from app import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        code = cli.main({argv!r})\n"
        "    except SystemExit as exit:\n"
        "        code = exit.code\n"
        "assert code in (0, 2), code\n"
    )
    env = {"AFTERSALES_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"}
    assert _heavy(_loaded_after(code, env)) == []


def test_every_command_is_declared_with_a_function_that_exists() -> None:
    """Each declared command's module imports and holds its function (so a typo fails here, not
    in front of a user), and every group has at least one command under it."""
    for command in cli.COMMANDS:
        if command.run:
            assert callable(cli.handler(command.run)), command.name
        else:
            assert any(c.words[: len(command.words)] == command.words and c.run for c in cli.COMMANDS)


def test_printing_loads_no_qt(tmp_path: Path) -> None:
    """A work order written from the command line never loads the GUI toolkit."""
    url = f"sqlite:///{tmp_path / 'print.sqlite3'}"
    out = tmp_path / "order.pdf"
    code = (
        "import contextlib, io\n"
        "from app import cli\n"
        "from app.context import Context\n"
        "from app.db import Database\n"
        "from app.models.terminal import TerminalFilter\n"
        "from app.models.ticket import TicketIntake\n"
        "from app.services import demo, terminals, tickets\n"
        f"db = Database({url!r}); db.migrate(backup=False)\n"
        "ctx = Context.system(db)\n"
        "demo.generate_demo_data(ctx, customers=3, password='Demo2026pass')\n"
        "held = [t for t in terminals.list_terminals(ctx, TerminalFilter()).items if t.merchant_id]\n"
        "fault = tickets.list_fault_categories(ctx)[0]\n"
        "ticket = tickets.open_ticket(ctx, TicketIntake(terminal_id=held[0].id, fault_category_id=fault.id,"
        " description='屏幕不亮', contact_name='王先生'))\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert cli.main(['--db', {url!r}, 'print', 'work-order', ticket.ticket_no, '--out', {str(out)!r}]) == 0\n"
    )
    loaded = _loaded_after(code, {"AFTERSALES_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert out.stat().st_size > 0
    assert "reportlab" in loaded
    assert _heavy(loaded, ("PySide6", "shiboken6", "ui")) == []
