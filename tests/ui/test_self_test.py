"""`aftersales self-test`, the installation check an IT person runs on a branch PC."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import cli, paths
from ui import app as gui
from ui import self_test


@pytest.fixture
def restored_app(qapp: QApplication) -> Iterator[QApplication]:
    font, sheet, icon = qapp.font(), qapp.styleSheet(), qapp.windowIcon()
    yield qapp
    gui.apply_language("en")
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
    qapp.setWindowIcon(icon)


def test_every_check_passes_from_the_source_tree(restored_app: QApplication, home: Path) -> None:
    lines: list[str] = []
    assert self_test.run(seconds=0.2, report=lines.append) == 0
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "ok      Font", "ok      Translations", "ok      Stylesheet", "ok      PDF documents", "ok      Main window",
    ]
    assert lines[-1] == "This installation works."
    assert "1200×760 px" in lines[-2]
    # The scratch database lived in a temporary folder: the user's data folder has no database.
    assert not list(home.glob("*.sqlite3"))


def test_a_missing_resource_is_one_failed_line_and_a_non_zero_exit(
    restored_app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = paths.resource
    monkeypatch.setattr(
        paths, "resource", lambda *parts: tmp_path / "nothing" / Path(*parts) if parts[0] == "styles" else real(*parts)
    )
    lines: list[str] = []
    assert self_test.run(seconds=0.1, report=lines.append) == 1
    assert "FAILED  Stylesheet: the stylesheet did not load" in lines
    assert lines[-1] == "This installation has problems."


def test_the_command_line_runs_it(restored_app: QApplication, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["self-test", "--seconds", "0.1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "This installation works."
