"""Work orders and service reports, rendered through their services on a real database."""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from app import i18n
from app.context import Context
from app.errors import InvalidTransition, NotFound, ValidationError
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import MerchantCreate
from app.models.terminal import TerminalCreate, TerminalType
from app.models.ticket import (
    ActivityKind,
    Priority,
    TicketIntake,
    TicketPartLine,
    TicketRead,
    TicketStep,
    TicketWork,
    WorkAction,
)
from app.models.user import Role
from app.models.warranty import WarrantyPolicyCreate
from app.reports import fonts
from app.reports.work_order import SHEETS, work_order_pdf
from app.services import (
    catalogue,
    merchants,
    terminals,
    ticket_documents,
    tickets,
    warranty,
)
from app.services.setup import current_branch
from app.services.ticket_documents import (
    service_report,
    technician_day_work_orders,
    work_orders,
)
from tests.conftest import FixedClock, make_user

MERCHANT_NAME = "张记便利店"
LONG_NAME = "深圳市南山区粤海街道科技园社区张记便利店连锁经营有限公司高新南七道第一百二十八号分店"
LONG_ADDRESS = "粤海街道科技园社区高新南七道第一百二十八号深圳湾科技生态园二期十栋A座一楼大堂东侧商铺零零一号至零零三号"
PHONE = "13800138000"
MASKED_PHONE = "138****8000"
# The clock stands at 2026-11-20 02:00 UTC, 10:00 in China.
REPORTED = "2026-11-20 10:00"


class Desk:
    """A branch with a warranty policy, a model, a merchant holding a terminal out of warranty,
    and a technician; opens tickets and works them through."""

    def __init__(self, ctx: Context, *, merchant_name: str = MERCHANT_NAME, address: str = "科技园南区高新南一道9号") -> None:
        self.ctx = ctx
        policy = warranty.create_warranty_policy(ctx, WarrantyPolicyCreate(name="标准保修", months=12))
        self.model_id = catalogue.create_device_model(
            ctx,
            DeviceModelCreate(brand="新大陆", model="N910", terminal_type=TerminalType.SMART, warranty_policy_id=policy.id),
        ).id
        self.merchant_id = merchants.create_merchant(
            ctx,
            MerchantCreate(
                merchant_no="822584053990001", legal_name="深圳市南山区张记便利店", shop_name=merchant_name, address=address
            ),
        ).id
        # Bought two years ago: out of warranty, so parts and labour are charged.
        self.terminal_ids = [self.add_terminal(n) for n in range(1, 3)]
        self.fault_id = next(f.id for f in tickets.list_fault_categories(ctx) if f.code == "card_reader")
        self.tech = make_user(ctx, "tech", Role.TECHNICIAN)
        self.tech_ctx = ctx.as_user(self.tech)

    def add_terminal(self, n: int) -> uuid.UUID:
        t = terminals.create_terminal(
            self.ctx,
            TerminalCreate(
                serial_no=f"NL{n:010d}", terminal_no=f"{10000000 + n}", model_id=self.model_id, purchase_date=date(2024, 11, 1)
            ),
        )
        return terminals.bind_terminal(self.ctx, t.id, self.merchant_id, expected_version=t.version).id

    def open(self, description: str = "刷卡无反应，插卡提示读卡失败", terminal: int = 0) -> TicketRead:
        return tickets.open_ticket(
            self.ctx,
            TicketIntake(
                terminal_id=self.terminal_ids[terminal],
                fault_category_id=self.fault_id,
                description=description,
                priority=Priority.P2,
                contact_name="张三",
                contact_phone=PHONE,
            ),
        )

    def assign(self, ticket: TicketRead) -> TicketRead:
        return tickets.take_step(
            self.ctx, ticket.id, TicketStep.ASSIGN, expected_version=ticket.version, assignee_id=self.tech.id
        )

    def work(self, ticket: TicketRead) -> TicketRead:
        """Assign, start, record a part of ¥80.00 and labour of ¥50.00: ¥130.00 to charge."""
        ticket = self.assign(ticket)
        ticket = tickets.take_step(self.tech_ctx, ticket.id, TicketStep.START, expected_version=ticket.version)
        return tickets.update_work(
            self.tech_ctx,
            ticket.id,
            TicketWork(
                diagnosis="读卡器排线松动",
                resolution="更换读卡器模组，交易测试正常",
                actions=[WorkAction.REPLACE_PART],
                parts=[TicketPartLine(part_name="读卡器模组", quantity=1, unit_price_fen=8000)],
                labour_fee_fen=5000,
                expected_version=ticket.version,
            ),
        )

    def resolve(self, ticket: TicketRead) -> TicketRead:
        ticket = self.work(ticket)
        return tickets.take_step(self.tech_ctx, ticket.id, TicketStep.RESOLVE, expected_version=ticket.version)

    def close(self, ticket: TicketRead) -> TicketRead:
        ticket = self.resolve(ticket)
        return tickets.take_step(
            self.ctx, ticket.id, TicketStep.CLOSE, expected_version=ticket.version, confirmed_by="张三"
        )


@pytest.fixture
def desk(admin_ctx: Context) -> Desk:
    return Desk(admin_ctx)


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in _reader(data).pages]


def _text(data: bytes) -> str:
    return "\n".join(_pages(data))


def _fonts(data: bytes) -> dict[str, bool]:
    """Every font the pages use, by base name: is its program in the file (a /FontFile2)?"""
    found: dict[str, bool] = {}
    for page in _reader(data).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
            embedded = any(d is not None and "/FontFile2" in d.get_object() for d in descriptors)
            name = str(font["/BaseFont"])
            found[name] = found.get(name, True) and embedded
    return found


def _placed_text(page: Any) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its start x and its width, in page points."""
    pieces: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        scale = (tm[0] * cm[0]) or 1.0
        width = pdfmetrics.stringWidth(text.strip("\n"), fonts.register_fonts(), size * scale)
        pieces.append((text.strip(), x, width))

    page.extract_text(visitor_text=visit)
    return pieces


# --- the work order -------------------------------------------------------------------------------


def test_work_order_shows_ticket_terminal_merchant_and_charges(desk: Desk) -> None:
    ticket = desk.work(desk.open())
    assert ticket.total_charge_fen == 13000
    data = work_orders(desk.ctx, [ticket.id])
    [page] = _pages(data)
    for needle in (ticket.ticket_no, "NL0000000001", "10000001", "新大陆 N910", MERCHANT_NAME, "822584053990001"):
        assert needle in page
    assert "¥80.00" in page and "¥50.00" in page and "¥130.00" in page
    assert "读卡器模组" in page and "charged" in page
    assert "张三" in page and PHONE in page  # the administrator may see the phone
    assert REPORTED in page  # China time
    assert "Shop copy" in page and "Customer copy" not in page
    assert "Transaction test" in page and "Technician (signature)" in page
    info = _reader(data).metadata
    assert info is not None and info.title == "Work order" and info.subject == ticket.ticket_no


def test_the_font_is_embedded_and_no_other(desk: Desk) -> None:
    ticket = desk.close(desk.open())
    for data in (work_orders(desk.ctx, [ticket.id], page_size="A5"), service_report(desk.ctx, ticket.id)):
        used = _fonts(data)
        assert used and all("WenQuanYiMicroHei" in name and embedded for name, embedded in used.items()), used


def test_a5_pages_are_a5(desk: Desk) -> None:
    ticket = desk.open()
    pdf = _reader(work_orders(desk.ctx, [ticket.id], page_size="A5"))
    [page] = pdf.pages
    assert float(page.mediabox.width) == pytest.approx(419.5, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(595.3, abs=0.5)
    assert ticket.ticket_no in page.extract_text()


def test_two_copies_give_two_labelled_pages_per_ticket(desk: Desk) -> None:
    first, second = desk.open(), desk.open(terminal=1)
    pages = _pages(work_orders(desk.ctx, [first.id, second.id], copies=("customer", "shop")))
    assert len(pages) == 4
    for page, number, copy in zip(
        pages,
        [first.ticket_no, first.ticket_no, second.ticket_no, second.ticket_no],
        ["Customer copy", "Shop copy", "Customer copy", "Shop copy"],
        strict=True,
    ):
        assert number in page and copy in page


def test_a_batch_of_30_takes_30_pages_in_order(desk: Desk) -> None:
    opened = [desk.open(terminal=n % 2) for n in range(30)]
    pages = _pages(work_orders(desk.ctx, [t.id for t in opened]))
    assert len(pages) == 30
    for page, ticket in zip(pages, opened, strict=True):
        assert ticket.ticket_no in page


def test_wrong_layouts_and_unknown_tickets_are_refused(desk: Desk) -> None:
    ticket = desk.open()
    with pytest.raises(ValidationError) as err:
        work_orders(desk.ctx, [ticket.id], page_size="A3", copies=("office",))
    assert set(err.value.fields) == {"page_size", "copies"}
    with pytest.raises(ValidationError):
        work_orders(desk.ctx, [])
    with pytest.raises(NotFound):
        work_orders(desk.ctx, [ticket.id, uuid.uuid4()])


def test_the_phone_shows_to_the_technician_on_the_job_only(desk: Desk) -> None:
    ticket = desk.open()
    page = _text(work_orders(desk.tech_ctx, [ticket.id]))  # not assigned to this technician yet
    assert MASKED_PHONE in page and PHONE not in page
    ticket = desk.assign(ticket)
    page = _text(work_orders(desk.tech_ctx, [ticket.id]))  # the technician going on site calls
    assert PHONE in page


@pytest.mark.parametrize("page_size", ["A4", "A5"])
def test_long_texts_stay_on_one_page_and_inside_it(admin_ctx: Context, page_size: str) -> None:
    desk = Desk(admin_ctx, merchant_name=LONG_NAME, address=LONG_ADDRESS)
    ticket = desk.open("商户反映终端刷卡时经常提示读卡失败，插卡和挥卡均无反应，重启后仍然存在问题。" * 50)
    ticket = desk.assign(ticket)
    ticket = tickets.take_step(desk.tech_ctx, ticket.id, TicketStep.START, expected_version=ticket.version)
    ticket = tickets.update_work(
        desk.tech_ctx,
        ticket.id,
        TicketWork(
            diagnosis="读卡器排线松动，磁头磨损。" * 100,
            resolution="更换读卡器模组，重新固定排线。" * 100,
            actions=list(WorkAction),
            parts=[TicketPartLine(part_name="读卡器模组（磁条+IC 一体）" * 2, quantity=2, unit_price_fen=4500) for _n in range(20)],
            labour_fee_fen=5000,
            onsite_fee_fen=3000,
            expected_version=ticket.version,
        ),
    )
    pdf = _reader(work_orders(desk.ctx, [ticket.id], page_size=page_size, copies=("customer", "shop")))
    assert len(pdf.pages) == 2
    sheet = SHEETS["A4" if page_size == "A4" else "A5"]
    for page in pdf.pages:
        text = page.extract_text()
        assert ticket.ticket_no in text and "…" in text
        assert money_total(ticket) in text
        for piece, x, width in _placed_text(page):
            assert x >= sheet.margin_x - 0.5, piece
            assert x + width <= sheet.width - sheet.margin_x + 1, piece


def money_total(ticket: TicketRead) -> str:
    yuan, fen = divmod(ticket.total_charge_fen, 100)
    return f"¥{yuan:,}.{fen:02d}"


def test_work_orders_in_chinese(desk: Desk) -> None:
    ticket = desk.work(desk.open())
    i18n.set_language("zh_CN")
    try:
        data = work_orders(desk.ctx, [ticket.id], copies=("customer",))
    finally:
        i18n.set_language("en")
    page = _text(data)
    assert ticket.ticket_no in page and MERCHANT_NAME in page and "¥130.00" in page
    assert "商户编号" in page and "Merchant no." not in page


def test_rendering_without_a_branch_or_tickets_still_makes_a_pdf(desk: Desk) -> None:
    ticket = desk.open()
    data = work_order_pdf([ticket], branch=None, printed_at=desk.ctx.now())
    assert ticket.ticket_no in _text(data)
    assert len(_reader(work_order_pdf([], branch=current_branch_of(desk), printed_at=desk.ctx.now())).pages) == 1


def current_branch_of(desk: Desk) -> Any:
    return desk.ctx.db.run(lambda s: current_branch(desk.ctx.with_session(s)), write=False)


# --- the service report ---------------------------------------------------------------------------


def test_service_report_of_a_closed_ticket(desk: Desk, clock: FixedClock) -> None:
    ticket = desk.open()
    clock.advance(hours=1)
    ticket = desk.close(ticket)
    data = service_report(desk.ctx, ticket.id)
    pdf = _reader(data)
    assert len(pdf.pages) == 1
    page = pdf.pages[0].extract_text()
    for needle in (
        ticket.ticket_no,
        "NL0000000001",
        MERCHANT_NAME,
        "读卡器排线松动",  # what was found
        "更换读卡器模组，交易测试正常",  # what was done
        "replace part",
        "¥130.00",
        REPORTED,
        "2026-11-20 11:00",  # responded and resolved an hour later, China time
        "met",
        "5 Very satisfied",
        "Customer (signature)",
        "Page 1 of 1",
    ):
        assert needle in page, needle
    assert ticket.coverage_reason.split(":")[0] in page


def test_service_report_refuses_an_open_ticket(desk: Desk) -> None:
    ticket = desk.work(desk.open())
    with pytest.raises(InvalidTransition, match="resolved"):
        service_report(desk.ctx, ticket.id)
    assert not [a for a in tickets.ticket_activity(desk.ctx, ticket.id) if a.kind == ActivityKind.PRINT]
    with pytest.raises(NotFound):
        service_report(desk.ctx, uuid.uuid4())


def test_service_report_of_a_resolved_ticket_in_chinese(desk: Desk) -> None:
    ticket = desk.resolve(desk.open())
    i18n.set_language("zh_CN")
    try:
        data = service_report(desk.tech_ctx, ticket.id)
    finally:
        i18n.set_language("en")
    page = _text(data)
    assert ticket.ticket_no in page and MERCHANT_NAME in page and "¥130.00" in page
    assert PHONE in page  # the technician who did the job
    assert "商户编号" in page


def test_service_report_with_long_texts_flows_onto_more_pages(admin_ctx: Context) -> None:
    desk = Desk(admin_ctx, merchant_name=LONG_NAME, address=LONG_ADDRESS)
    ticket = desk.work(desk.open("刷卡无反应。" * 300))
    ticket = tickets.update_work(
        desk.tech_ctx,
        ticket.id,
        TicketWork(diagnosis="读卡器排线松动，磁头磨损。" * 150, expected_version=ticket.version),
    )
    ticket = tickets.take_step(desk.tech_ctx, ticket.id, TicketStep.RESOLVE, expected_version=ticket.version)
    pages = _pages(service_report(desk.ctx, ticket.id))
    assert len(pages) >= 2
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Technician (signature)" in pages[-1]


# --- the log and the technician's day -------------------------------------------------------------


def test_every_print_is_logged_on_each_ticket(desk: Desk) -> None:
    first, second = desk.close(desk.open()), desk.open(terminal=1)
    work_orders(desk.ctx, [first.id, second.id], copies=("customer", "shop"))
    service_report(desk.ctx, first.id)
    printed = {
        t.id: [a.summary for a in tickets.ticket_activity(desk.ctx, t.id) if a.kind == ActivityKind.PRINT]
        for t in (first, second)
    }
    assert printed[first.id] == ["Printed: service report.", "Printed: work order."]
    assert printed[second.id] == ["Printed: work order."]


def test_a_technicians_day(desk: Desk, clock: FixedClock) -> None:
    with pytest.raises(ValidationError, match="no open tickets"):
        technician_day_work_orders(desk.ctx, desk.tech.id, date(2026, 11, 20))
    open_today = desk.assign(desk.open())
    resolved_today = desk.resolve(desk.open(terminal=1))
    desk.open()  # not assigned
    clock.advance(days=1)
    tomorrow = desk.assign(desk.open())  # reported the next day

    pages = _pages(technician_day_work_orders(desk.ctx, desk.tech.id, date(2026, 11, 20), page_size="A5"))
    assert len(pages) == 2
    text = "\n".join(pages)
    assert open_today.ticket_no in text and resolved_today.ticket_no in text
    assert tomorrow.ticket_no not in text

    pages = _pages(technician_day_work_orders(desk.ctx, desk.tech.id, date(2026, 11, 21)))
    assert len(pages) == 2  # both open tickets; the one resolved the day before is done
    with pytest.raises(NotFound):
        technician_day_work_orders(desk.ctx, uuid.uuid4(), date(2026, 11, 21))


def test_rendering_holds_no_write_lock(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch takes seconds to render: another desk must be able to save meanwhile."""
    ticket = desk.open()
    render = ticket_documents.work_order_pdf

    def render_while_someone_saves(*args: Any, **kwargs: Any) -> bytes:
        tickets.add_comment(desk.ctx, ticket.id, "saved while the PDF renders")
        return render(*args, **kwargs)

    monkeypatch.setattr(ticket_documents, "work_order_pdf", render_while_someone_saves)
    work_orders(desk.ctx, [ticket.id])
    kinds = [(a.kind, a.summary) for a in tickets.ticket_activity(desk.ctx, ticket.id)]
    assert (ActivityKind.PRINT, "Printed: work order.") in kinds
    assert (ActivityKind.COMMENT, "saved while the PDF renders") in kinds
