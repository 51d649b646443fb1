"""The device catalogue, acquirers, firmware releases and terminals on old firmware."""

from __future__ import annotations

from datetime import date

import pytest

from app.context import Context
from app.errors import Conflict, ValidationError
from app.models.catalogue import (
    DeviceModelCreate,
    DeviceModelUpdate,
    FirmwareReleaseCreate,
)
from app.models.terminal import TerminalCreate, TerminalStatus
from app.services import catalogue, terminals


def test_models_are_unique_and_editable(any_admin_ctx: Context) -> None:
    m = catalogue.create_device_model(any_admin_ctx, DeviceModelCreate(brand=" 百富 ", model="A920", list_price_fen=139900))
    assert (m.brand, m.model) == ("百富", "A920")
    with pytest.raises(ValidationError, match="already"):
        catalogue.create_device_model(any_admin_ctx, DeviceModelCreate(brand="百富", model="A920"))
    with pytest.raises(ValidationError) as err:
        catalogue.create_device_model(
            any_admin_ctx, DeviceModelCreate(brand="", model="X", list_price_fen=-1)
        )
    assert set(err.value.fields) == {"brand", "list_price_fen"}
    edited = catalogue.update_device_model(any_admin_ctx, m.id, DeviceModelUpdate(active=False, expected_version=m.version))
    assert not edited.active
    assert catalogue.list_device_models(any_admin_ctx, include_inactive=False) == []
    with pytest.raises(Conflict):
        catalogue.update_device_model(any_admin_ctx, m.id, DeviceModelUpdate(active=True, expected_version=m.version))


def test_acquirers_list_is_editable(any_admin_ctx: Context) -> None:
    a = catalogue.save_acquirer(any_admin_ctx, "拉卡拉")
    catalogue.save_acquirer(any_admin_ctx, "银联商务")
    with pytest.raises(ValidationError):
        catalogue.save_acquirer(any_admin_ctx, "拉卡拉")
    renamed = catalogue.save_acquirer(any_admin_ctx, "拉卡拉支付", acquirer_id=a.id, active=False)
    assert renamed.name == "拉卡拉支付" and not renamed.active
    assert [x.name for x in catalogue.list_acquirers(any_admin_ctx, include_inactive=False)] == ["银联商务"]


def test_outdated_terminals_are_those_below_the_latest_mandatory_release(any_admin_ctx: Context) -> None:
    model = catalogue.create_device_model(any_admin_ctx, DeviceModelCreate(brand="新大陆", model="N910"))
    for version, mandatory in (("V3.4.0", True), ("V3.10.0", True), ("V3.11.0", False)):
        catalogue.create_firmware_release(
            any_admin_ctx,
            FirmwareReleaseCreate(model_id=model.id, firmware_version=version, release_date=date(2026, 3, 1), mandatory=mandatory),
        )
    with pytest.raises(ValidationError):
        catalogue.create_firmware_release(
            any_admin_ctx, FirmwareReleaseCreate(model_id=model.id, firmware_version="V3.4.0", release_date=date(2026, 3, 1))
        )
    assert catalogue.latest_mandatory_versions(any_admin_ctx) == {model.id: "V3.10.0"}
    for sn, fw in (("A1", "V3.9.9"), ("A2", "V3.10.0"), ("A3", "V3.11.0"), ("A4", ""), ("A5", "V3.2.0")):
        terminals.create_terminal(any_admin_ctx, TerminalCreate(serial_no=sn, model_id=model.id, firmware_version=fw))
    scrapped = terminals.find_terminal_by_serial(any_admin_ctx, "A5")
    assert scrapped is not None
    terminals.change_terminal_status(any_admin_ctx, scrapped.id, TerminalStatus.SCRAPPED, expected_version=scrapped.version)
    page = catalogue.list_outdated_terminals(any_admin_ctx)
    assert sorted(t.serial_no for t in page.items) == ["A1", "A4"] and page.total == 2
    releases = catalogue.list_firmware_releases(any_admin_ctx, model.id)
    assert [r.firmware_version for r in releases] == ["V3.11.0", "V3.10.0", "V3.4.0"]
