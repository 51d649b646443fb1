"""The layering of DESIGN.md: ui -> app.services -> app.models / app.db, never back."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_app_never_imports_qt_or_ui() -> None:
    for path in _files("app"):
        bad = {n for n in _imports(path) if n.split(".")[0] in ("PySide6", "shiboken6", "ui")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_ui_never_touches_the_database_layer() -> None:
    forbidden = {"sqlmodel", "sqlalchemy", "alembic", "sqlite3", "psycopg"}
    # From app.db the UI may name the database and the result types it shows, nothing else.
    allowed_from_db = {"Database", "BackupResult", "CheckResult"}
    for path in _files("ui"):
        where = path.relative_to(ROOT)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in forbidden, f"{where} imports {alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in forbidden, f"{where} imports {node.module}"
                assert node.module != "app.audit", f"{where} imports app.audit"
                if node.module == "app.db":
                    names = {alias.name for alias in node.names}
                    assert names <= allowed_from_db, f"{where} imports {names} from app.db"
        text = path.read_text(encoding="utf-8")
        for needle in ("Session(", ".session(", "ctx.s.", ".engine", "select(", ".migrate("):
            assert needle not in text, f"{where} uses {needle!r}"


def test_core_imports_and_runs_without_qt() -> None:
    code = (
        "import sys, app.cli, app.db, app.services.users, app.services.auth, app.services.demo\n"
        "import app.services.audit, app.services.maintenance, app.services.setup\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui'))]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
