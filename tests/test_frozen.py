"""The frozen one-folder build, run as a branch PC runs it: no Python, no venv, nothing on PATH.

Build it first (`python bundle/build.py`), then point AFTERSALES_FROZEN at the folder:

    AFTERSALES_FROZEN=dist/aftersales pytest -m frozen tests/test_frozen.py

`.ci/run` does both. Without AFTERSALES_FROZEN these tests are skipped; with it, a missing or
broken build fails them.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import __version__

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parents[1]
FROZEN = os.environ.get("AFTERSALES_FROZEN", "")
SUFFIX = ".exe" if sys.platform == "win32" else ""
DEMO_PASSWORD = "Demo2026pos"


@pytest.fixture(scope="module")
def folder() -> Path:
    if not FROZEN:
        pytest.skip("no frozen build: python bundle/build.py, then AFTERSALES_FROZEN=dist/aftersales")
    path = Path(FROZEN).resolve()
    assert (path / f"aftersales-cli{SUFFIX}").is_file(), f"{path} holds no frozen build"
    return path


def clean_env(home: Path, data: Path | None) -> dict[str, str]:
    """What a branch PC's session has: a system PATH without any venv, no Python variables."""
    env = {
        "PATH": os.pathsep.join(p for p in ("/usr/bin", "/bin") if Path(p).is_dir()) or os.defpath,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    if sys.platform == "win32":  # pragma: no cover - the Windows build is smoke-tested by hand
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "TEMP", "TMP", "LOCALAPPDATA") if k in os.environ})
    if data is not None:
        env["AFTERSALES_HOME"] = str(data)
    return env


def run(program: Path, *args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args], env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, cwd=env["HOME"],
    )


@pytest.fixture(scope="module")
def desk(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh data folder (Chinese characters and spaces in its name) filled by `demo-data`."""
    base = tmp_path_factory.mktemp("frozen")
    (base / "home").mkdir()
    data = base / "售后 数据"
    env = clean_env(base / "home", data)
    result = run(folder / f"aftersales-cli{SUFFIX}", "demo-data", "--customers", "20",
                 "--password", DEMO_PASSWORD, env=env)
    assert result.returncode == 0, result.stderr
    assert "20 merchants" in result.stdout
    yield data, env


def test_version(folder: Path, tmp_path: Path) -> None:
    result = run(folder / f"aftersales-cli{SUFFIX}", "--version", env=clean_env(tmp_path, tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"aftersales {__version__}"


def test_demo_data_then_check(folder: Path, desk: tuple[Path, dict[str, str]]) -> None:
    data, env = desk
    assert (data / "aftersales.sqlite3").is_file()
    result = run(folder / f"aftersales-cli{SUFFIX}", "check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Integrity: ok" in result.stdout
    assert result.stdout.strip().endswith("Database is fine.")


def test_a_work_order_prints_to_pdf(folder: Path, desk: tuple[Path, dict[str, str]]) -> None:
    data, env = desk
    with closing(sqlite3.connect(data / "aftersales.sqlite3")) as conn:
        number = conn.execute("SELECT ticket_no FROM ticket ORDER BY ticket_no LIMIT 1").fetchone()[0]
    out = data / "工单 1.pdf"
    result = run(folder / f"aftersales-cli{SUFFIX}", "print", "work-order", number, "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert number in text
    assert "Work order" in text
    assert "深圳南山服务网点" in text  # the demo branch: the bundled Chinese font, embedded, reads back


def test_the_main_window_opens_for_a_second(folder: Path, desk: tuple[Path, dict[str, str]]) -> None:
    _data, env = desk
    result = run(folder / f"aftersales{SUFFIX}", "self-test", "--seconds", "1", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "This installation works."
    assert any(line.startswith("ok      Main window: 1200×760 px") for line in lines)
    # Qt's translations and plugins come from the bundle, not from any PySide6 on this machine.
    translations = next(line for line in lines if line.startswith("ok      Translations"))
    assert str(folder) in translations


@pytest.fixture
def portable(folder: Path, tmp_path: Path) -> Path:
    """A copy of the build in a folder with Chinese characters and spaces, marked portable."""
    target = tmp_path / "U盘 售后 工作站"
    try:
        shutil.copytree(folder, target, symlinks=True, copy_function=os.link)  # same disk: instant
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(folder, target, symlinks=True)
    (target / "portable").write_bytes(b"")
    return target


def test_portable_mode_keeps_every_file_beside_the_program(portable: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(home, None)
    program = portable / f"aftersales-cli{SUFFIX}"
    result = run(program, "demo-data", "--customers", "3", "--password", DEMO_PASSWORD, env=env)
    assert result.returncode == 0, result.stderr
    data = portable / "data"
    assert f"Demo data in {data / 'aftersales.sqlite3'}:" in result.stdout
    result = run(program, "backup", env=env)
    assert result.returncode == 0, result.stderr
    assert (data / "aftersales.sqlite3").is_file()
    assert (data / "logs" / "aftersales.log").is_file()
    assert len(list((data / "backups").glob("*.sqlite3"))) == 1
    # Nothing went to the user's own data folder.
    assert not (home / "xdg-data" / "aftersales").exists()


@pytest.mark.skipif(not shutil.which("makensis") and not os.environ.get("CI"), reason="NSIS is not installed")
def test_the_windows_installer_script_compiles(folder: Path, tmp_path: Path) -> None:
    """makensis compiles bundle/aftersales.nsi against this folder (the Linux layout here)."""
    out = tmp_path / "安装 程序.exe"
    command = [shutil.which("makensis") or "makensis", "-V2", f"-DDIST={folder}", f"-DOUTFILE={out}",
               "-DNOCOMPRESS", str(ROOT / "bundle" / "aftersales.nsi")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    assert out.stat().st_size > 0.9 * sum(p.stat().st_size for p in files)  # all of it, uncompressed
