"""`aftersales import ...` and `aftersales export ...`, run in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.context import Context
from app.db import Database
from tests.app.services.test_imports import (
    MERCHANT_HEADERS_ZH,
    TERMINAL_HEADERS,
    add_catalogue,
    bad_uscc,
    merchant_no,
    merchant_row,
    read_csv,
    write_csv,
    write_xlsx,
)
from tests.conftest import table_count


@pytest.fixture
def url(home: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[str]:
    url = f"sqlite:///{home}/x.sqlite3"  # Chinese characters and spaces in the path
    assert cli.main(["migrate", "--db", url]) == 0
    capsys.readouterr()
    yield url


def _db(url: str) -> Database:
    return Database(url)


def _count(url: str, table: str) -> int:
    db = _db(url)
    try:
        return table_count(db, table)
    finally:
        db.dispose()


def test_dry_run_writes_nothing_and_prints_the_errors(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    rows = [merchant_row(1), merchant_row(2, 统一社会信用代码=bad_uscc(2)), merchant_row(1)]
    path = write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, rows, encoding="gbk")
    capsys.readouterr()
    assert cli.main(["--db", url, "import", "merchants", str(path), "--dry-run"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "Dry run, nothing was written: 1 new, 0 to update, 2 with errors."
    assert "row 3, 统一社会信用代码: The last character of this unified social credit code is wrong." in lines
    assert f"row 4, 商户编号: Merchant no. {merchant_no(1)} appears again; the first is in row 2." in lines
    assert str(tmp_path / "m.errors.csv") in lines[-1]
    assert captured.err == ""
    assert _count(url, "merchant") == 0
    assert len(read_csv(tmp_path / "m.errors.csv")) == 3


def test_import_then_export_round_trip(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", MERCHANT_HEADERS_ZH, [merchant_row(n) for n in range(1, 6)])
    assert cli.main(["--db", url, "import", "merchants", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "Imported: 5 new, 0 updated, 0 with errors."
    assert _count(url, "merchant") == 5

    out = tmp_path / "export.xlsx"
    assert cli.main(["--db", url, "export", "merchants", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"5 rows written to {out}."
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "Merchant no." and sheet["A2"].value == merchant_no(1)

    # The export imports again: every row is an update, nothing new.
    assert cli.main(["--db", url, "import", "merchants", str(out)]) == 0
    assert capsys.readouterr().out.strip() == "Imported: 0 new, 5 updated, 0 with errors."
    assert _count(url, "merchant") == 5


def test_terminals_import_and_csv_export(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path) -> None:
    db = _db(url)
    try:
        add_catalogue(Context.system(db))
    finally:
        db.dispose()
    assert cli.main(["--db", url, "import", "merchants", str(write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, [merchant_row(1)]))]) == 0
    rows = [
        ["SN1", "10000001", "新大陆", "N910", "银联商务", "", "", "", "", merchant_no(1), "", "100", "已收取"],
        ["SN2", "10000002", "新大陆", "Z1", "", "", "", "", "", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "t.csv", TERMINAL_HEADERS, rows)
    capsys.readouterr()
    assert cli.main(["--db", url, "import", "terminals", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Imported: 1 new, 0 updated, 1 with errors."
    assert out[1] == "row 3, 型号: 新大陆 Z1 is not in the model catalogue."
    export = tmp_path / "t-out.csv"
    assert cli.main(["--db", url, "export", "terminals", "--out", str(export)]) == 0
    table = read_csv(export)
    assert len(table) == 2 and table[1][0] == "SN1"
    assert dict(zip(table[0], table[1]))["Status"] == "deployed"


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p / "missing.csv", "does not exist"),
        (lambda p: (p / "b.xlsx", (p / "b.xlsx").write_bytes(b"garbage"))[0], "cannot be read as an Excel workbook"),
        (lambda p: (p / "c.csv", (p / "c.csv").write_text("foo,bar\n1,2\n"))[0], "has no Merchant no. column"),
    ],
)
def test_bad_file_is_one_error_line(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, make: object, needle: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    capsys.readouterr()
    assert cli.main(["--db", url, "import", "merchants", str(path)]) == 1
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert "Traceback" not in captured.out + captured.err


def test_export_to_an_unknown_format_and_a_bad_kind(capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path) -> None:
    capsys.readouterr()
    assert cli.main(["--db", url, "export", "merchants", "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and ".xlsx or .csv" in err
    assert cli.main(["--db", url, "export", "tickets", "--out", str(tmp_path / "x.csv")]) == 2
    assert capsys.readouterr().err.strip().startswith("error:")
