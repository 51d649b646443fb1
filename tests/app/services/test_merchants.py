"""Merchants: China's formats checked, contacts, optimistic locking, closing, masking."""

from __future__ import annotations

import pytest

from app.context import Context
from app.errors import Conflict, InvalidTransition, ValidationError
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import (
    MerchantContactBase,
    MerchantCreate,
    MerchantFilter,
    MerchantStatus,
    MerchantUpdate,
    RiskLevel,
)
from app.models.terminal import TerminalCreate
from app.models.user import Role
from app.services import catalogue, merchants, terminals
from tests.conftest import make_user

VALID = dict(
    merchant_no="822584053990001",
    legal_name="深圳市南山区张记便利店",
    shop_name="张记便利店",
    uscc="91350100M000100Y43",
    legal_rep="张三",
    legal_rep_id_no="11010519491231002X",
    mobile="13800138000",
    landline="0755-26881234",
    province="广东省",
    city="深圳市",
    district="南山区",
)


def _create(ctx: Context, **overrides: object) -> merchants.MerchantRead:
    return merchants.create_merchant(ctx, MerchantCreate(**(VALID | overrides)))  # type: ignore[arg-type]


def test_create_normalises_full_width_and_spaces(any_admin_ctx: Context) -> None:
    m = _create(
        any_admin_ctx,
        merchant_no="８２２５８４０５３９９０００１",
        mobile="+86 138 0013 8000",
        uscc="91350100m000100y43",
        contacts=[MerchantContactBase(name="李四", role="店长", phone="139 0000 1111")],
    )
    assert m.merchant_no == "822584053990001" and m.mobile == "13800138000"
    assert m.uscc == "91350100M000100Y43"
    assert [(c.name, c.phone) for c in m.contacts] == [("李四", "13900001111")]
    assert not m.masked


def test_every_bad_field_is_named_with_a_reason(any_admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        _create(
            any_admin_ctx,
            merchant_no="12345",
            legal_name=" ",
            uscc="91350100M000100Y44",
            legal_rep_id_no="110105194912310021",
            mobile="12345678901",
            contacts=[MerchantContactBase(name="", phone="1")],
        )
    assert set(err.value.fields) == {"merchant_no", "legal_name", "uscc", "legal_rep_id_no", "mobile", "contacts"}
    assert "last character" in err.value.fields["uscc"]


def test_duplicate_merchant_no_is_refused(any_admin_ctx: Context) -> None:
    _create(any_admin_ctx)
    with pytest.raises(ValidationError, match="already registered"):
        _create(any_admin_ctx, legal_name="另一家")


def test_edit_with_stale_version_is_a_conflict(any_admin_ctx: Context) -> None:
    m = _create(any_admin_ctx)
    edited = merchants.update_merchant(
        any_admin_ctx, m.id, MerchantUpdate(shop_name="张记超市", risk_level=RiskLevel.HIGH, expected_version=m.version)
    )
    assert edited.shop_name == "张记超市" and edited.version == m.version + 1
    with pytest.raises(Conflict):
        merchants.update_merchant(any_admin_ctx, m.id, MerchantUpdate(shop_name="覆盖", expected_version=m.version))
    assert merchants.get_merchant(any_admin_ctx, m.id).shop_name == "张记超市"


def test_contacts_are_replaced_as_a_list(any_admin_ctx: Context) -> None:
    m = _create(any_admin_ctx, contacts=[MerchantContactBase(name="李四"), MerchantContactBase(name="王五")])
    edited = merchants.update_merchant(
        any_admin_ctx, m.id, MerchantUpdate(contacts=[MerchantContactBase(name="赵六", role="收银员")], expected_version=m.version)
    )
    assert [(c.name, c.role) for c in edited.contacts] == [("赵六", "收银员")]


def test_close_needs_a_reason_and_no_terminals(any_admin_ctx: Context) -> None:
    m = _create(any_admin_ctx)
    model = catalogue.create_device_model(any_admin_ctx, DeviceModelCreate(brand="百富", model="A920"))
    t = terminals.create_terminal(any_admin_ctx, TerminalCreate(serial_no="PX01", model_id=model.id))
    terminals.bind_terminal(any_admin_ctx, t.id, m.id, expected_version=t.version)
    with pytest.raises(ValidationError):
        merchants.close_merchant(any_admin_ctx, m.id, expected_version=m.version, reason="")
    with pytest.raises(InvalidTransition, match="1 terminal"):
        merchants.close_merchant(any_admin_ctx, m.id, expected_version=m.version, reason="停业")
    with pytest.raises(InvalidTransition):
        merchants.update_merchant(any_admin_ctx, m.id, MerchantUpdate(status=MerchantStatus.CLOSED, expected_version=m.version))


def test_merchant_with_history_is_closed_never_deleted(any_admin_ctx: Context) -> None:
    m = _create(any_admin_ctx)
    model = catalogue.create_device_model(any_admin_ctx, DeviceModelCreate(brand="百富", model="A920"))
    t = terminals.create_terminal(any_admin_ctx, TerminalCreate(serial_no="PX01", model_id=model.id))
    t = terminals.bind_terminal(any_admin_ctx, t.id, m.id, expected_version=t.version)
    terminals.unbind_terminal(any_admin_ctx, t.id, expected_version=t.version, reason="退机")
    with pytest.raises(Conflict, match="close it instead"):
        merchants.delete_merchant(any_admin_ctx, m.id)
    m = merchants.get_merchant(any_admin_ctx, m.id)
    closed = merchants.close_merchant(any_admin_ctx, m.id, expected_version=m.version, reason="停业")
    assert closed.status == MerchantStatus.CLOSED and closed.closed_reason == "停业" and closed.closed_on


def test_merchant_without_history_can_be_deleted(any_admin_ctx: Context) -> None:
    m = _create(any_admin_ctx, contacts=[MerchantContactBase(name="李四")])
    merchants.delete_merchant(any_admin_ctx, m.id)
    assert merchants.find_merchant_by_no(any_admin_ctx, VALID["merchant_no"]) is None


def test_technician_sees_masked_personal_data(admin_ctx: Context) -> None:
    m = _create(admin_ctx, contacts=[MerchantContactBase(name="李四", phone="13900001111")])
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech1", Role.TECHNICIAN))
    seen = merchants.get_merchant(tech, m.id)
    assert seen.masked
    assert seen.legal_rep_id_no == "1101**********002X"
    assert seen.mobile == "138****8000"
    assert seen.contacts[0].phone == "139****1111"
    listed = merchants.list_merchants(tech, MerchantFilter()).items[0]
    assert listed.legal_rep_id_no == "1101**********002X"


def test_list_filters_and_regions(any_admin_ctx: Context) -> None:
    _create(any_admin_ctx)
    _create(any_admin_ctx, merchant_no="822584053990002", legal_name="广州天河王记餐厅", city="广州市", district="天河区", risk_level=RiskLevel.HIGH)
    assert merchants.list_merchants(any_admin_ctx, MerchantFilter()).total == 2
    assert merchants.list_merchants(any_admin_ctx, MerchantFilter(city="广州市")).total == 1
    assert merchants.list_merchants(any_admin_ctx, MerchantFilter(risk_level=RiskLevel.HIGH)).items[0].city == "广州市"
    assert ("广东省", "广州市", "天河区") in merchants.list_regions(any_admin_ctx)


def test_chinese_punctuation_in_free_text_is_kept(any_admin_ctx: Context) -> None:
    m = _create(any_admin_ctx, legal_name="深圳市南山区张记便利店（分店）", notes="门头有招牌，周日休息。")
    assert m.legal_name == "深圳市南山区张记便利店（分店）"
    assert m.notes == "门头有招牌，周日休息。"
