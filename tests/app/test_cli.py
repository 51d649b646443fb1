"""The command line, run in-process: exit codes, one-line errors, no tracebacks, both languages."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import polib
import pytest

from app import cli, paths, settings
from app.context import Context
from app.db import Database
from app.services import auth, users

PROJECT_ROOT = Path(__file__).parents[2]
PASSWORD = "Secret2026x"


@pytest.fixture
def url(home: Path) -> str:
    """A database inside the data folder, whose name has Chinese characters and spaces."""
    return f"sqlite:///{home}/x.sqlite3"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def _assert_one_error(out: str, err: str, prefix: str = "error:") -> str:
    lines = _error_lines(err)
    assert len(lines) == 1, err
    assert lines[0].startswith(prefix)
    assert "Traceback" not in out + err
    return lines[0]


def _zh(msgid: str) -> str:
    catalog = polib.pofile(str(PROJECT_ROOT / "resources" / "translations" / "zh_CN.po"))
    entry = catalog.find(msgid)
    assert entry is not None and entry.msgstr, msgid
    return entry.msgstr


def _migrated(url: str) -> None:
    assert cli.main(["migrate", "--db", url]) == 0


# --- version and usage ------------------------------------------------------------------------


def test_version_prints_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == "aftersales 0.1.0"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["nonsense"], "nonsense"),
        (["demo-data", "--customers", "-5"], "-5 must not be negative"),
        (["demo-data", "--customers", "abc"], "abc is not a whole number"),
    ],
)
def test_bad_usage_is_one_line_and_exit_two(
    capsys: pytest.CaptureFixture[str], url: str, argv: list[str], needle: str
) -> None:
    assert cli.main(["--db", url, *argv]) == 2
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err)
    assert needle in line


# --- demo data, check, users list ---------------------------------------------------------------


def test_demo_data_then_check_and_list(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert cli.main(["--db", url, "demo-data", "--customers", "20", "--seed", "1", "--password", "Demo2026pass"]) == 0
    out = capsys.readouterr().out
    assert "20 merchants, 30 terminals" in out
    assert "Demo2026pass" in out

    assert cli.main(["--db", url, "check"]) == 0
    out = capsys.readouterr().out
    assert "Integrity: ok" in out
    assert out.strip().endswith("Database is fine.")

    assert cli.main(["users", "list", "--db", url]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert {"admin", "clerk", "tech1", "supervisor"} <= set(listed)
    assert listed == sorted(listed)


def test_users_without_an_action_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    assert cli.main(["--db", url, "users"]) == 2
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err)
    assert "required" in line


# --- backup and restore -------------------------------------------------------------------------


def test_backup_then_restore(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, tmp_path: Path
) -> None:
    _migrated(url)
    out_file = tmp_path / "copies" / "b.sqlite3"
    assert cli.main(["backup", "--db", url, "--out", str(out_file)]) == 0
    assert str(out_file) in capsys.readouterr().out
    assert out_file.is_file()
    with closing(sqlite3.connect(out_file)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"app_user", "alembic_version"} <= tables
    assert _add_wangwu(monkeypatch, url) == 0

    capsys.readouterr()
    assert cli.main(["--db", url, "restore", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "Restored from" in out
    assert str(paths.backup_dir()) in out
    assert cli.main(["--db", url, "users", "list"]) == 0
    assert "wangwu" not in capsys.readouterr().out  # the user added after the backup is gone


def test_restore_of_a_text_file_is_one_error_line(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    _migrated(url)
    capsys.readouterr()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n", encoding="utf-8")
    assert cli.main(["restore", str(text_file), "--db", url]) == 1
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err)
    assert "notes.txt" in line and "not a database backup" in line


# --- check and migrate --------------------------------------------------------------------------


def test_check_names_a_wrong_schema_version(
    capsys: pytest.CaptureFixture[str], url: str, home: Path
) -> None:
    _migrated(url)
    with closing(sqlite3.connect(home / "x.sqlite3")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
        conn.commit()
    capsys.readouterr()
    assert cli.main(["check", "--db", url]) == 1
    out = capsys.readouterr().out
    assert "Problem: The schema is at version ffff" in out
    assert "Database has problems." in out


def test_migrate_fresh_file_prints_schema_version(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    assert cli.main(["--db", url, "migrate"]) == 0
    head = Database(url).head_revision()
    assert capsys.readouterr().out.strip() == f"Schema version: {head}"


def test_network_share_database_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", "sqlite://///fileserver/share/a.sqlite3", "check"]) == 1
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err)
    assert "network share" in line and "PostgreSQL" in line


# --- users --------------------------------------------------------------------------------------


def _add_wangwu(monkeypatch: pytest.MonkeyPatch, url: str, password: str = PASSWORD) -> int:
    _stdin(monkeypatch, password + "\n")
    return cli.main(["--db", url, "users", "add", "wangwu", "--name", "王五", "--role", "clerk", "--password-stdin"])


def test_users_add_then_sign_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    assert _add_wangwu(monkeypatch, url) == 0
    assert "User wangwu created." in capsys.readouterr().out
    db = Database(url)
    try:
        actor = auth.sign_in(Context(db=db), "wangwu", PASSWORD)
    finally:
        db.dispose()
    assert actor.display_name == "王五" and actor.role == "clerk"


def test_users_add_twice_is_a_username_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    assert _add_wangwu(monkeypatch, url) == 0
    capsys.readouterr()
    assert _add_wangwu(monkeypatch, url) == 1
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err, "error: The user name wangwu")
    assert "taken" in line


def test_users_add_with_weak_password_names_the_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    assert _add_wangwu(monkeypatch, url, "short") == 1
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err, "error: A password")
    assert "8 characters" in line


def test_users_reset_password_forces_a_change(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    assert _add_wangwu(monkeypatch, url) == 0
    _stdin(monkeypatch, "Other2026pw\r\n")
    assert cli.main(["users", "reset-password", "wangwu", "--password-stdin", "--db", url]) == 0
    assert "must be changed at the next sign-in" in capsys.readouterr().out
    db = Database(url)
    try:
        actor = auth.sign_in(Context(db=db), "wangwu", "Other2026pw")
        assert actor.must_change_password
        [user] = [u for u in users.list_users(Context.system(db)) if u.username == "wangwu"]
        assert user.must_change_password
    finally:
        db.dispose()


def test_users_reset_password_of_unknown_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    _stdin(monkeypatch, PASSWORD + "\n")
    assert cli.main(["--db", url, "users", "reset-password", "nobody", "--password-stdin"]) == 1
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err)
    assert "nobody" in line


# --- language -----------------------------------------------------------------------------------


def test_chinese_messages_and_errors(capsys: pytest.CaptureFixture[str], url: str) -> None:
    _migrated(url)
    settings.put("language", "zh_CN")
    capsys.readouterr()
    assert cli.main(["--db", url, "check"]) == 0
    assert _zh("Database is fine.") in capsys.readouterr().out

    prefix = _zh("error: {message}").split("{message}")[0]
    assert prefix and prefix != "error: "
    assert cli.main(["--db", url, "restore", str(Path(url.removeprefix("sqlite:///")).with_name("missing.sqlite3"))]) == 1
    captured = capsys.readouterr()
    _assert_one_error(captured.out, captured.err, prefix)


# --- the unexpected -----------------------------------------------------------------------------


def test_unexpected_exception_is_logged_not_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, home: Path
) -> None:
    def boom(_args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr("app.commands.database.check", boom)
    assert cli.main(["--db", url, "check"]) == 1
    captured = capsys.readouterr()
    line = _assert_one_error(captured.out, captured.err)
    assert "RuntimeError" in line
    assert str(home / "logs") in line
    log_text = (home / "logs" / "aftersales.log").read_text(encoding="utf-8")
    assert "Traceback" in log_text
    assert "RuntimeError: boom" in log_text


# --- as a process -------------------------------------------------------------------------------


def test_python_dash_m_app_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        check=False,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "aftersales 0.1.0"


def test_core_imports_without_qt() -> None:
    code = (
        "import sys, app.cli, app.services.users, app.services.demo, app.db; "
        "assert not any(m.startswith('PySide6') for m in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
