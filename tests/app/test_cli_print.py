"""`aftersales print ...`: work orders and service reports written to a file, errors in one line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import cli, settings
from app.context import Context
from app.db import sqlite_url
from app.models.ticket import ActivityKind, TicketRead
from app.services import tickets
from tests.app.reports.test_ticket_docs import Desk


@pytest.fixture
def desk(admin_ctx: Context) -> Desk:
    return Desk(admin_ctx)


@pytest.fixture
def url(tmp_path: Path, desk: Desk) -> str:
    """The address of the database the desk works in (the `db` fixture's file)."""
    return sqlite_url(tmp_path / "test.sqlite3")


def _pdf(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.out + captured.err
    return lines[0]


def _prints(ticket: TicketRead, desk: Desk) -> list[str]:
    return [a.summary for a in tickets.ticket_activity(desk.ctx, ticket.id) if a.kind == ActivityKind.PRINT]


def test_work_orders_of_two_tickets(
    capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path
) -> None:
    first, second = desk.open(), desk.open(terminal=1)
    out = tmp_path / "orders.pdf"
    # Numbers are found whatever their case and spacing.
    code = cli.main(["--db", url, "print", "work-order", first.ticket_no, f" {second.ticket_no.lower()} ", "--out", str(out)])
    assert code == 0
    assert "2 work orders written to" in capsys.readouterr().out
    pdf = _pdf(out)
    assert len(pdf.pages) == 2
    assert first.ticket_no in pdf.pages[0].extract_text() and second.ticket_no in pdf.pages[1].extract_text()
    assert float(pdf.pages[0].mediabox.width) == pytest.approx(595.3, abs=0.5)
    assert _prints(first, desk) == ["Printed: work order."]
    assert not list(tmp_path.glob("*.part"))


def test_a5_with_customer_and_shop_copies(
    capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path
) -> None:
    ticket = desk.open()
    out = tmp_path / "a5.pdf"
    out.write_bytes(b"an older file")  # replaced
    argv = ["print", "work-order", ticket.ticket_no, "--out", str(out), "--a5", "--copies", "customer,shop", "--db", url]
    assert cli.main(argv) == 0
    assert "1 work order written to" in capsys.readouterr().out
    pages = _pdf(out).pages
    assert len(pages) == 2
    assert "Customer copy" in pages[0].extract_text() and "Shop copy" in pages[1].extract_text()
    assert float(pages[0].mediabox.height) == pytest.approx(595.3, abs=0.5)
    assert not list(tmp_path.glob("*.part"))


def test_service_report(capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path) -> None:
    ticket = desk.close(desk.open())
    out = tmp_path / "report.pdf"
    assert cli.main(["--db", url, "print", "service-report", ticket.ticket_no, "--out", str(out)]) == 0
    assert "Service report written to" in capsys.readouterr().out
    text = _pdf(out).pages[0].extract_text()
    assert ticket.ticket_no in text and "¥130.00" in text
    assert _prints(ticket, desk) == ["Printed: service report."]


def test_an_unknown_ticket_number_is_one_sentence(
    capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path
) -> None:
    ticket = desk.open()
    out = tmp_path / "x.pdf"
    assert cli.main(["--db", url, "print", "work-order", ticket.ticket_no, "WX-SZ01-20991231-999", "--out", str(out)]) == 1
    assert "WX-SZ01-20991231-999" in _one_error(capsys)
    assert not out.exists()
    assert _prints(ticket, desk) == []


def test_service_report_of_an_open_ticket_is_refused(
    capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path
) -> None:
    ticket = desk.open()
    out = tmp_path / "r.pdf"
    assert cli.main(["--db", url, "print", "service-report", ticket.ticket_no, "--out", str(out)]) == 1
    line = _one_error(capsys)
    assert ticket.ticket_no in line and "resolved" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["print"], "required"),
        (["print", "work-order", "--out", "x.pdf"], "required"),
        (["print", "work-order", "WX-1", "--out", "x.pdf", "--copies", "office"], "office"),
        (["print", "service-report", "WX-1"], "--out"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_two(
    capsys: pytest.CaptureFixture[str], url: str, argv: list[str], needle: str
) -> None:
    assert cli.main(["--db", url, *argv]) == 2
    assert needle in _one_error(capsys)


def test_a_missing_folder_is_one_sentence(
    capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path
) -> None:
    ticket = desk.open()
    out = tmp_path / "no such folder" / "x.pdf"
    assert cli.main(["--db", url, "print", "work-order", ticket.ticket_no, "--out", str(out)]) == 1
    assert "no such folder" in _one_error(capsys)


def test_in_chinese(capsys: pytest.CaptureFixture[str], desk: Desk, url: str, tmp_path: Path) -> None:
    ticket = desk.open()
    settings.put("language", "zh_CN")
    out = tmp_path / "zh.pdf"
    assert cli.main(["--db", url, "print", "work-order", ticket.ticket_no, "--out", str(out)]) == 0
    text = _pdf(out).pages[0].extract_text()
    assert ticket.ticket_no in text and "商户编号" in text
    capsys.readouterr()
    assert cli.main(["--db", url, "print", "work-order", "WX-NONE", "--out", str(out)]) == 1
    assert "WX-NONE" in _one_error(capsys)


def test_the_help_lists_both_documents(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["print", "--help"])
    out = capsys.readouterr().out
    assert "work-order" in out and "service-report" in out
