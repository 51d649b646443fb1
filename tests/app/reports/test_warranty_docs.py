"""The warranty certificate and the contract summary, rendered through their services."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics

from app import i18n
from app.context import Context
from app.errors import NotFound
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import MerchantCreate
from app.models.terminal import TerminalCreate, TerminalRead, TerminalType
from app.models.user import Role
from app.models.warranty import (
    ExclusionCause,
    ServiceContractCreate,
    ServiceContractRead,
    WarrantyPolicyCreate,
    WarrantyPolicyRead,
    WarrantyPolicyUpdate,
)
from app.reports import fonts
from app.reports.warranty_docs import MARGIN_X, contract_summary_pdf
from app.services import catalogue, merchants, terminals, warranty
from app.services.warranty_documents import contract_summary, warranty_certificate
from tests.conftest import make_user

# The clock fixture stands on 2026-11-20 in China.
TODAY = date(2026, 11, 20)
PURCHASED = date(2026, 3, 15)
WARRANTY_END = "2027-03-14"  # twelve months from the purchase date, that day included
CONTRACT_END = date(2027, 11, 19)
MERCHANT_NAME = "张记便利店"
BRANCH = "深圳南山服务网点"
LONG_NAME = "深圳市南山区粤海街道科技园社区张记便利店连锁经营有限公司高新南七道第一百二十八号分店"
MERCHANT = {
    "merchant_no": "822584053990001",
    "legal_name": "深圳市南山区张记便利店",
    "shop_name": MERCHANT_NAME,
    "uscc": "91350100M000100Y43",
    "legal_rep": "张三",
    "legal_rep_id_no": "11010519491231002X",
    "mobile": "13800138000",
    "province": "广东省",
    "city": "深圳市",
    "district": "南山区",
}


@dataclass
class Setup:
    policy: WarrantyPolicyRead
    model_id: uuid.UUID
    merchant_id: uuid.UUID
    terminals: list[TerminalRead]
    contract: ServiceContractRead


def _terminal(
    ctx: Context, model_id: uuid.UUID, n: int, *, purchased: date | None = PURCHASED
) -> TerminalRead:
    return terminals.create_terminal(
        ctx,
        TerminalCreate(
            serial_no=f"N7NL{n:08d}",
            terminal_no=f"{30000000 + n}",
            model_id=model_id,
            purchase_date=purchased,
        ),
    )


def _setup(ctx: Context, count: int = 1, *, shop_name: str = MERCHANT_NAME, **contract: Any) -> Setup:
    """A policy, a model under it, a merchant holding `count` terminals and an active contract."""
    policy = warranty.create_warranty_policy(
        ctx,
        WarrantyPolicyCreate(
            name="标准保修12个月",
            months=12,
            exclusions=[ExclusionCause.LIQUID_DAMAGE, ExclusionCause.PHYSICAL_DAMAGE],
            document_text="凭本卡在保修期内免费维修。Keep this card with the terminal.",
        ),
    )
    model = catalogue.create_device_model(
        ctx,
        DeviceModelCreate(
            brand="新大陆", model="ME31", terminal_type=TerminalType.SMART, warranty_policy_id=policy.id
        ),
    )
    merchant = merchants.create_merchant(
        ctx, MerchantCreate(**(MERCHANT | {"shop_name": shop_name}))  # type: ignore[arg-type]
    )
    bound = []
    for n in range(count):
        made = _terminal(ctx, model.id, n)
        bound.append(terminals.bind_terminal(ctx, made.id, merchant.id, expected_version=made.version))
    fields: dict[str, Any] = {
        "merchant_id": merchant.id,
        "start_date": TODAY,
        "end_date": CONTRACT_END,
        "terminal_ids": [t.id for t in bound],
        "fee_fen": 128000,
        "notes": "每季度上门巡检一次。",
    }
    draft = warranty.create_contract(ctx, ServiceContractCreate(**(fields | contract)))
    active = warranty.activate_contract(ctx, draft.id, draft.version)
    return Setup(policy, model.id, merchant.id, bound, active)


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(data).pages)


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


def _only_wenquanyi_embedded(data: bytes) -> bool:
    fonts_used = _fonts(data)
    return bool(fonts_used) and all(
        "WenQuanYiMicroHei" in name and embedded for name, embedded in fonts_used.items()
    )


def _right_edges(data: bytes) -> list[tuple[str, float]]:
    """Each piece of text on every page with the x where it ends, in page points."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        scale = (tm[0] * cm[0]) or 1.0
        width = pdfmetrics.stringWidth(text.strip("\n"), fonts.register_fonts(), size * scale)
        pieces.append((text.strip(), x + width))

    for page in _reader(data).pages:
        page.extract_text(visitor_text=visit)
    return pieces


@pytest.fixture
def chinese() -> Iterator[None]:
    """The documents in Chinese, then back to English."""
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


# --- the warranty certificate ---------------------------------------------------------------------


def test_certificate_shows_sn_end_date_policy_and_contract(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    t = made.terminals[0]
    data = warranty_certificate(admin_ctx, t.id)
    pdf = _reader(data)
    assert len(pdf.pages) == 1
    text = _text(data)
    assert t.serial_no in text and t.terminal_no in text
    assert WARRANTY_END in text
    assert PURCHASED.isoformat() in text
    assert "Warranty certificate" in text
    assert "标准保修12个月" in text
    assert "新大陆 ME31" in text
    assert MERCHANT_NAME in text
    assert "parts, labour" in text
    assert "physical damage" in text and "liquid damage" in text
    assert "凭本卡在保修期内免费维修" in text
    assert made.contract.contract_no in text and CONTRACT_END.isoformat() in text
    assert f"In warranty (标准保修12个月) until {WARRANTY_END}." in text
    assert "Service center seal" in text
    assert f"Printed on {TODAY.isoformat()}" in text
    assert "Page 1 of 1" in text
    assert BRANCH in text and "0755-26881234" in text and "深圳市南山区科技园" in text


def test_certificate_metadata_and_paper(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    pdf = _reader(warranty_certificate(admin_ctx, made.terminals[0].id))
    assert pdf.metadata is not None
    assert pdf.metadata.title == "Warranty certificate"
    assert pdf.metadata.author == BRANCH
    assert pdf.metadata.creator == "POS After-Sales Workstation"
    assert float(pdf.pages[0].mediabox.width) == pytest.approx(A4[0], abs=0.1)
    assert float(pdf.pages[0].mediabox.height) == pytest.approx(A4[1], abs=0.1)


def test_certificate_embeds_the_chinese_font(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    data = warranty_certificate(admin_ctx, made.terminals[0].id)
    assert _only_wenquanyi_embedded(data), _fonts(data)


@pytest.mark.usefixtures("chinese")
def test_certificate_in_chinese(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    data = warranty_certificate(admin_ctx, made.terminals[0].id)
    text = _text(data)
    assert "保修卡" in text and "Warranty certificate" not in text
    assert "终端号" in text and "购买日期" in text and "服务中心盖章" in text
    assert "第 1 页，共 1 页" in text
    assert made.terminals[0].serial_no in text and WARRANTY_END in text
    assert MERCHANT_NAME in text
    assert _only_wenquanyi_embedded(data), _fonts(data)
    meta = _reader(data).metadata
    assert meta is not None and meta.title == "保修卡"


def test_a_terminal_without_purchase_date_says_why_it_is_not_covered(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    loose = _terminal(admin_ctx, made.model_id, 99, purchased=None)
    text = _text(warranty_certificate(admin_ctx, loose.id))
    assert loose.serial_no in text
    assert "Not covered: The purchase date is not recorded." in text
    assert "No service contract is in force for this terminal." in text
    assert "Page 1 of 1" in text


def test_a_terminal_without_any_policy_still_renders(admin_ctx: Context) -> None:
    model = catalogue.create_device_model(admin_ctx, DeviceModelCreate(brand="联迪", model="A8"))
    loose = _terminal(admin_ctx, model.id, 7)
    text = _text(warranty_certificate(admin_ctx, loose.id))
    assert loose.serial_no in text
    assert "No warranty policy is set for this terminal or its model." in text


def test_a_long_merchant_name_stays_on_the_page(admin_ctx: Context) -> None:
    made = _setup(admin_ctx, shop_name=LONG_NAME)
    for data in (
        warranty_certificate(admin_ctx, made.terminals[0].id),
        contract_summary(admin_ctx, made.contract.id),
    ):
        # Wrapped, the name comes out in pieces; all of it is there.
        assert LONG_NAME in _text(data).replace("\n", "")
        for text, right in _right_edges(data):
            assert right <= A4[0] - MARGIN_X + 1, text


def test_a_40_character_sn_and_a_long_model_stay_on_the_page(admin_ctx: Context) -> None:
    long_sn = "ABCDEFGHIJ0123456789ABCDEFGHIJ0123456789"
    model = catalogue.create_device_model(
        admin_ctx, DeviceModelCreate(brand="福建新大陆支付技术有限公司智能终端事业部", model="M" * 40)
    )
    made = terminals.create_terminal(admin_ctx, TerminalCreate(serial_no=long_sn, model_id=model.id))
    data = warranty_certificate(admin_ctx, made.id)
    assert long_sn in _text(data).replace("\n", "")
    for text, right in _right_edges(data):
        assert right <= A4[0] - MARGIN_X + 1, text


def test_a_long_policy_text_flows_on_and_keeps_the_end_date(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    long_text = ("保修期内凭本卡免费维修，人为损坏、进液、私自拆机不在保修范围。" * 70)[:2000]
    warranty.update_warranty_policy(
        admin_ctx,
        made.policy.id,
        WarrantyPolicyUpdate(document_text=long_text, expected_version=made.policy.version),
    )
    data = warranty_certificate(admin_ctx, made.terminals[0].id)
    text = _text(data)
    # The footer of the first page comes between its first and its last lines.
    flat = text.replace("\n", "")
    assert long_text[:300] in flat and long_text[-300:] in flat
    assert WARRANTY_END in text and "Service center seal" in text
    pages = len(_reader(data).pages)
    assert f"Page {pages} of {pages}" in text


def test_an_unknown_terminal_is_not_found(admin_ctx: Context) -> None:
    with pytest.raises(NotFound):
        warranty_certificate(admin_ctx, uuid.uuid4())


def test_a_technician_may_print_both(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech", Role.TECHNICIAN))
    assert made.terminals[0].serial_no in _text(warranty_certificate(tech, made.terminals[0].id))
    assert made.contract.contract_no in _text(contract_summary(tech, made.contract.id))


# --- the service contract summary -----------------------------------------------------------------


def test_summary_shows_number_merchant_terminals_and_terms(admin_ctx: Context) -> None:
    made = _setup(admin_ctx, 2)
    data = contract_summary(admin_ctx, made.contract.id)
    text = _text(data)
    assert made.contract.contract_no in text
    assert MERCHANT_NAME in text and MERCHANT["merchant_no"] in text
    assert TODAY.isoformat() in text and CONTRACT_END.isoformat() in text
    for t in made.terminals:
        assert t.serial_no in text and t.terminal_no in text
    assert "No terminals are listed." not in text
    assert "Service contract summary" in text
    assert "active" in text
    assert "24 hours" in text and "72 hours" in text
    assert "working hours, China working calendar" in text
    assert "¥1,280.00" in text
    assert "parts, labour, on-site visit" in text
    assert "每季度上门巡检一次。" in text
    assert "Merchant (signature and seal)" in text and "Service center (signature and seal)" in text
    assert "Page 1 of 1" in text
    assert _only_wenquanyi_embedded(data), _fonts(data)
    meta = _reader(data).metadata
    assert meta is not None and meta.title == "Service contract summary"


@pytest.mark.usefixtures("chinese")
def test_summary_in_chinese(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    data = contract_summary(admin_ctx, made.contract.id)
    text = _text(data)
    assert "服务合同摘要" in text
    assert made.contract.contract_no in text and MERCHANT_NAME in text
    assert made.terminals[0].serial_no in text and CONTRACT_END.isoformat() in text
    assert "商户编号" in text and "终端号" in text
    assert _only_wenquanyi_embedded(data), _fonts(data)


def test_sixty_terminals_flow_onto_more_pages(admin_ctx: Context) -> None:
    made = _setup(admin_ctx, 60)
    pdf = _reader(contract_summary(admin_ctx, made.contract.id))
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) > 1
    text = "\n".join(pages)
    for t in made.terminals:
        assert t.serial_no in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        if "N7NL" in page:  # the header row repeats on every page the table reaches
            assert "Serial no. (SN)" in page
    # Each terminal is listed once.
    assert sum(text.count(t.serial_no) for t in made.terminals) == 60


def test_summary_of_a_contract_for_all_terminals(admin_ctx: Context) -> None:
    made = _setup(admin_ctx, 3, all_terminals=True, terminal_ids=[])
    text = _text(contract_summary(admin_ctx, made.contract.id))
    assert "covers every terminal the merchant holds" in text
    for t in made.terminals:
        assert t.serial_no in text


def test_summary_of_a_terminated_renewed_contract(admin_ctx: Context) -> None:
    made = _setup(admin_ctx)
    renewal = warranty.renew_contract(admin_ctx, made.contract.id)
    ended = warranty.terminate_contract(
        admin_ctx, made.contract.id, date(2026, 12, 1), "商户停业", made.contract.version
    )
    text = _text(contract_summary(admin_ctx, ended.id))
    assert "terminated" in text
    assert "2026-12-01" in text and "商户停业" in text
    assert renewal.contract_no in text
    assert made.contract.contract_no in _text(contract_summary(admin_ctx, renewal.id))


def test_terminals_left_out_are_counted(admin_ctx: Context) -> None:
    made = _setup(admin_ctx, 2)
    data = contract_summary_pdf(
        made.contract,
        branch_name=BRANCH,
        printed_on=TODAY,
        terminals=made.terminals,
        more_terminals=3,
    )
    assert "… and 3 more terminals, not listed here." in _text(data)


def test_an_unknown_contract_is_not_found(admin_ctx: Context) -> None:
    with pytest.raises(NotFound):
        contract_summary(admin_ctx, uuid.uuid4())
