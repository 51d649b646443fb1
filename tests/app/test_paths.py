"""Where the program finds its own files (source tree or frozen bundle) and keeps the user's."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import platformdirs.windows
import pytest

from app import paths

ROOT = Path(__file__).resolve().parents[2]


def test_resources_are_found_from_the_source_tree() -> None:
    assert not paths.is_frozen()
    assert paths.bundle_root() == ROOT
    for parts in (
        ("translations", "zh_CN.po"),
        ("fonts", "wqy-microhei.ttc"),
        ("icons", "app.svg"),
        ("icons", "app.ico"),
        ("styles", "app.qss"),
    ):
        assert paths.resource(*parts).is_file(), parts
    assert (paths.migrations_dir() / "env.py").is_file()
    assert paths.font_file() == paths.resource("fonts", "wqy-microhei.ttc")


def test_no_module_but_paths_reckons_from_its_own_file() -> None:
    """Every lookup of a shipped file goes through app.paths, so the frozen build finds it too."""
    offenders = []
    for folder in ("app", "ui"):
        for source in sorted((ROOT / folder).rglob("*.py")):
            if source == ROOT / "app" / "paths.py":
                continue
            tree = ast.parse(source.read_text(encoding="utf-8"))
            if any(isinstance(node, ast.Name) and node.id == "__file__" for node in ast.walk(tree)):
                offenders.append(str(source.relative_to(ROOT)))
    assert offenders == []


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to run from a one-folder build in `tmp_path/售后 工作站` (PyInstaller's attributes)."""
    folder = tmp_path / "售后 工作站"
    (folder / "_internal").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(folder / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "aftersales.exe"))
    monkeypatch.delenv("AFTERSALES_HOME")
    return folder


def test_frozen_build_finds_resources_in_its_bundle(frozen: Path) -> None:
    assert paths.is_frozen()
    assert paths.resource("styles", "app.qss") == frozen / "_internal" / "resources" / "styles" / "app.qss"
    assert paths.migrations_dir() == frozen / "_internal" / "app" / "migrations"
    assert paths.executable_dir() == frozen


def test_a_portable_marker_keeps_the_data_beside_the_program(frozen: Path) -> None:
    (frozen / "portable").write_bytes(b"")
    assert paths.data_dir() == frozen / "data"
    assert paths.default_db_path() == frozen / "data" / "aftersales.sqlite3"
    assert paths.backup_dir() == frozen / "data" / "backups"
    assert paths.log_dir() == frozen / "data" / "logs"


def test_without_the_marker_the_data_goes_to_the_user_folder(
    frozen: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "aftersales"
    assert not (frozen / "data").exists()


def test_aftersales_home_wins_over_the_portable_marker(
    frozen: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (frozen / "portable").write_bytes(b"")
    monkeypatch.setenv("AFTERSALES_HOME", str(tmp_path / "elsewhere"))
    assert paths.data_dir() == tmp_path / "elsewhere"


def test_from_source_a_marker_means_nothing(home: Path) -> None:
    assert paths.portable_data_dir() is None
    assert paths.data_dir() == home


def test_on_windows_the_data_lives_in_the_local_not_the_roaming_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local, roaming = r"C:\Users\王芳\AppData\Local", r"C:\Users\王芳\AppData\Roaming"
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", local)
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", roaming)
    folder = platformdirs.windows.Windows(**paths.PLATFORM_DIRS).user_data_dir
    # No vendor folder between the profile and the program's own.
    assert folder.replace("\\", "/") == local.replace("\\", "/") + "/aftersales"
