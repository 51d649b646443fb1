"""Labels through the service: permissions, the branch on the label, the errors people see."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from app.context import Context
from app.errors import NotFound, PermissionDenied, ValidationError
from app.models.catalogue import DeviceModelCreate
from app.models.terminal import TerminalCreate, TerminalRead, TerminalType
from app.models.user import Role
from app.reports.labels import LabelLayout
from app.services import catalogue, labels, terminals
from tests.conftest import make_user


def _terminals(ctx: Context, count: int) -> list[TerminalRead]:
    model = catalogue.create_device_model(
        ctx, DeviceModelCreate(brand="新大陆", model="ME31", terminal_type=TerminalType.SMART)
    )
    return [
        terminals.create_terminal(
            ctx,
            TerminalCreate(serial_no=f"N7NL{n:08d}", terminal_no=f"{30000000 + n}", model_id=model.id),
        )
        for n in range(count)
    ]


def _text(data: bytes) -> tuple[int, str]:
    pdf = PdfReader(io.BytesIO(data))
    return len(pdf.pages), "\n".join(p.extract_text() for p in pdf.pages)


def test_labels_for_terminals_with_the_branch_name(admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 3)
    pages, text = _text(labels.terminal_labels(admin_ctx, [t.id for t in made], LabelLayout.LABEL_50x30))
    assert pages == 3
    for t in made:
        assert t.serial_no in text and t.terminal_no in text
    assert "新大陆 ME31" in text
    assert "深圳南山服务网点" in text


def test_labels_follow_the_given_order(admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 3)
    data = labels.terminal_labels(admin_ctx, [t.id for t in reversed(made)], LabelLayout.LABEL_50x30)
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert made[2].serial_no in first


def test_a4_sheet(admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 25)
    pages, text = _text(labels.terminal_labels(admin_ctx, [t.id for t in made], LabelLayout.A4_SHEET))
    assert pages == 2
    assert all(t.serial_no in text for t in made)


def test_no_terminals_is_a_validation_error(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        labels.terminal_labels(admin_ctx, [], LabelLayout.A4_SHEET)
    assert "terminal_ids" in caught.value.fields
    assert caught.value.message.endswith(".")


def test_an_unknown_terminal_is_not_found(admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 1)
    with pytest.raises(NotFound) as caught:
        labels.terminal_labels(admin_ctx, [made[0].id, uuid.uuid4()], LabelLayout.A4_SHEET)
    assert "1 of the chosen terminals" in caught.value.message


def test_a_technician_may_print_labels(admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 1)
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech", Role.TECHNICIAN))
    _pages, text = _text(labels.terminal_labels(tech, [made[0].id], LabelLayout.A4_SHEET))
    assert made[0].serial_no in text


def test_nobody_signed_in_may_not(admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 1)
    with pytest.raises(PermissionDenied):
        labels.terminal_labels(admin_ctx.as_user(None), [made[0].id], LabelLayout.A4_SHEET)
