"""Terminals: registration, binding, unbinding, swapping, status changes and the timeline."""

from __future__ import annotations

import uuid

import pytest

from app.context import Context
from app.errors import Conflict, InvalidTransition, ValidationError
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import MerchantCreate
from app.models.terminal import (
    TerminalCreate,
    TerminalFilter,
    TerminalStatus,
    TerminalType,
    TerminalUpdate,
)
from app.models.user import Role
from app.services import catalogue, merchants, terminals
from tests.conftest import make_user


def _model(ctx: Context) -> uuid.UUID:
    return catalogue.create_device_model(
        ctx, DeviceModelCreate(brand="新大陆", model="N910", terminal_type=TerminalType.SMART)
    ).id


def _merchant(ctx: Context, no: str = "822584053990001", name: str = "深圳市南山区张记便利店") -> uuid.UUID:
    return merchants.create_merchant(ctx, MerchantCreate(merchant_no=no, legal_name=name, shop_name="张记便利店")).id


def _terminal(ctx: Context, model_id: uuid.UUID, sn: str = "NL0000000001", no: str = "10000001") -> terminals.TerminalRead:
    return terminals.create_terminal(ctx, TerminalCreate(serial_no=sn, terminal_no=no, model_id=model_id))


def test_create_normalises_and_fills_catalogue_fields(any_admin_ctx: Context) -> None:
    model_id = _model(any_admin_ctx)
    t = terminals.create_terminal(
        any_admin_ctx,
        TerminalCreate(serial_no=" nl０００１ ", terminal_no="１２３４５６７８", model_id=model_id, firmware_version="V3.4.0"),
    )
    assert t.serial_no == "NL0001" and t.terminal_no == "12345678"
    assert t.status == TerminalStatus.IN_STOCK and t.brand == "新大陆" and t.model == "N910"
    assert [e.kind for e in terminals.terminal_timeline(any_admin_ctx, t.id)] == ["created"]
    assert terminals.find_terminal_by_serial(any_admin_ctx, "nl0001") is not None


def test_bad_fields_are_named(any_admin_ctx: Context) -> None:
    model_id = _model(any_admin_ctx)
    _terminal(any_admin_ctx, model_id)
    with pytest.raises(ValidationError) as err:
        terminals.create_terminal(
            any_admin_ctx,
            TerminalCreate(serial_no="NL0000000001", terminal_no="1234", model_id=uuid.uuid4(), sim_iccid="123"),
        )
    assert set(err.value.fields) == {"serial_no", "terminal_no", "model_id", "sim_iccid"}


def test_bind_unbind_and_timeline(any_admin_ctx: Context, clock: object) -> None:
    model_id = _model(any_admin_ctx)
    merchant_id = _merchant(any_admin_ctx)
    t = _terminal(any_admin_ctx, model_id)
    bound = terminals.bind_terminal(any_admin_ctx, t.id, merchant_id, expected_version=t.version, location="收银台")
    assert bound.status == TerminalStatus.DEPLOYED and bound.merchant_id == merchant_id
    assert bound.merchant_name == "张记便利店" and bound.activation_date is not None
    with pytest.raises(InvalidTransition):
        terminals.bind_terminal(any_admin_ctx, t.id, merchant_id, expected_version=bound.version)
    with pytest.raises(ValidationError):
        terminals.unbind_terminal(any_admin_ctx, t.id, expected_version=bound.version, reason=" ")
    back = terminals.unbind_terminal(any_admin_ctx, t.id, expected_version=bound.version, reason="商户退机", to_status=TerminalStatus.RETURNED)
    assert back.status == TerminalStatus.RETURNED and back.merchant_id is None
    kinds = [e.kind for e in terminals.terminal_timeline(any_admin_ctx, t.id)]
    assert kinds[0] == "unbound" and "bound" in kinds and kinds[-1] == "created"
    assert all(e.username == "王芳" for e in terminals.terminal_timeline(any_admin_ctx, t.id))


def test_stale_version_is_a_conflict(any_admin_ctx: Context) -> None:
    model_id = _model(any_admin_ctx)
    t = _terminal(any_admin_ctx, model_id)
    terminals.update_terminal(any_admin_ctx, t.id, TerminalUpdate(location="仓库A", expected_version=t.version))
    with pytest.raises(Conflict):
        terminals.update_terminal(any_admin_ctx, t.id, TerminalUpdate(location="仓库B", expected_version=t.version))


def test_firmware_change_is_on_the_timeline(any_admin_ctx: Context) -> None:
    t = _terminal(any_admin_ctx, _model(any_admin_ctx))
    terminals.update_terminal(any_admin_ctx, t.id, TerminalUpdate(firmware_version="V3.5.0", expected_version=t.version))
    event = terminals.terminal_timeline(any_admin_ctx, t.id)[0]
    assert event.kind == "firmware_changed" and event.details == {"old": "", "new": "V3.5.0"}


def test_swap_records_both_serial_numbers(any_admin_ctx: Context) -> None:
    model_id = _model(any_admin_ctx)
    merchant_id = _merchant(any_admin_ctx)
    old = _terminal(any_admin_ctx, model_id, "NL0000000001", "10000001")
    spare = _terminal(any_admin_ctx, model_id, "NL0000000002", "10000002")
    old = terminals.bind_terminal(any_admin_ctx, old.id, merchant_id, expected_version=old.version, location="前台")
    out, new = terminals.swap_terminal(any_admin_ctx, old.id, "nl0000000002", expected_version=old.version, reason="屏幕损坏")
    assert out.status == TerminalStatus.IN_REPAIR and out.merchant_id is None
    assert out.replaced_by_serial_no == "NL0000000002"
    assert new.status == TerminalStatus.DEPLOYED and new.merchant_id == merchant_id and new.location == "前台"
    assert new.replaces_serial_no == "NL0000000001"
    for terminal_id in (old.id, spare.id):
        assert terminals.terminal_timeline(any_admin_ctx, terminal_id)[0].kind == "swapped"


def test_swap_needs_a_replacement_in_stock(any_admin_ctx: Context) -> None:
    model_id = _model(any_admin_ctx)
    merchant_id = _merchant(any_admin_ctx)
    old = _terminal(any_admin_ctx, model_id, "NL0000000001", "10000001")
    old = terminals.bind_terminal(any_admin_ctx, old.id, merchant_id, expected_version=old.version)
    with pytest.raises(ValidationError) as err:
        terminals.swap_terminal(any_admin_ctx, old.id, "NOPE", expected_version=old.version, reason="坏了")
    assert "new_serial_no" in err.value.fields
    with pytest.raises(ValidationError):
        terminals.swap_terminal(any_admin_ctx, old.id, old.serial_no, expected_version=old.version, reason="坏了")


def test_status_changes_follow_the_table(any_admin_ctx: Context) -> None:
    t = _terminal(any_admin_ctx, _model(any_admin_ctx))
    with pytest.raises(InvalidTransition, match="Bind"):
        terminals.change_terminal_status(any_admin_ctx, t.id, TerminalStatus.DEPLOYED, expected_version=t.version)
    scrapped = terminals.change_terminal_status(any_admin_ctx, t.id, TerminalStatus.SCRAPPED, expected_version=t.version, reason="主板烧毁")
    assert scrapped.status == TerminalStatus.SCRAPPED
    with pytest.raises(InvalidTransition, match="scrapped"):
        terminals.change_terminal_status(any_admin_ctx, t.id, TerminalStatus.IN_STOCK, expected_version=scrapped.version)
    assert "主板烧毁" in terminals.terminal_timeline(any_admin_ctx, t.id)[0].summary


def test_binding_needs_an_active_merchant(any_admin_ctx: Context) -> None:
    t = _terminal(any_admin_ctx, _model(any_admin_ctx))
    merchant_id = _merchant(any_admin_ctx)
    m = merchants.get_merchant(any_admin_ctx, merchant_id)
    merchants.close_merchant(any_admin_ctx, merchant_id, expected_version=m.version, reason="停业")
    with pytest.raises(InvalidTransition, match="not active"):
        terminals.bind_terminal(any_admin_ctx, t.id, merchant_id, expected_version=t.version)


def test_list_filters_and_pages(any_admin_ctx: Context) -> None:
    model_id = _model(any_admin_ctx)
    merchant_id = _merchant(any_admin_ctx)
    for i in range(5):
        t = _terminal(any_admin_ctx, model_id, f"NL{i:010d}", f"{20000000 + i}")
        if i % 2 == 0:
            terminals.bind_terminal(any_admin_ctx, t.id, merchant_id, expected_version=t.version)
    page = terminals.list_terminals(any_admin_ctx, TerminalFilter(), offset=0, limit=2)
    assert page.total == 5 and len(page.items) == 2
    deployed = terminals.list_terminals(any_admin_ctx, TerminalFilter(status=TerminalStatus.DEPLOYED))
    assert deployed.total == 3 and all(t.merchant_no == "822584053990001" for t in deployed.items)
    assert terminals.list_terminals(any_admin_ctx, TerminalFilter(merchant_id=merchant_id)).total == 3
    assert terminals.list_terminals(any_admin_ctx, TerminalFilter(model_id=model_id)).total == 5


def test_list_page_is_a_fixed_number_of_queries(admin_ctx: Context) -> None:
    model_id = _model(admin_ctx)
    for i in range(30):
        _terminal(admin_ctx, model_id, f"NL{i:010d}", f"{20000000 + i}")
    before = admin_ctx.db.query_count
    terminals.list_terminals(admin_ctx, TerminalFilter(), limit=30)
    # BEGIN, the acting user's account, the count, the ids of the page, its rows
    assert admin_ctx.db.query_count - before <= 5


def test_technician_may_change_terminals_but_not_the_catalogue(admin_ctx: Context) -> None:
    from app.errors import PermissionDenied

    model_id = _model(admin_ctx)
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech1", Role.TECHNICIAN))
    t = _terminal(tech, model_id)
    terminals.change_terminal_status(tech, t.id, TerminalStatus.IN_REPAIR, expected_version=t.version)
    with pytest.raises(PermissionDenied):
        catalogue.create_device_model(tech, DeviceModelCreate(brand="百富", model="A920"))
