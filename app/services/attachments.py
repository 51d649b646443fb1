"""Files attached to a ticket: damage photos, proof of purchase, the scanned signed work order.

Files are copied under the data directory with a generated name: what a person called a file
never becomes part of a path. Only the kinds of file people attach are accepted, up to a size.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlmodel import col, select

from app import paths
from app.context import Context
from app.errors import AppError, NotFound, ValidationError
from app.i18n import N_, _
from app.models.base import new_id
from app.models.ticket import ActivityKind, AttachmentKind, Ticket, TicketAttachment, TicketAttachmentRead
from app.rules.permissions import Action
from app.services.base import service
from app.services.tickets import log_activity

MAX_BYTES = 15 * 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")
SUFFIXES = (*IMAGE_SUFFIXES, ".pdf")
KIND_LABELS = {
    AttachmentKind.DAMAGE_PHOTO: N_("photo of the damage"),
    AttachmentKind.PROOF_OF_PURCHASE: N_("proof of purchase"),
    AttachmentKind.SIGNED_WORK_ORDER: N_("signed work order"),
    AttachmentKind.OTHER: N_("other attachment"),
}


def attachment_dir() -> Path:
    return paths.data_dir() / "attachments"


def _read(row: TicketAttachment) -> TicketAttachmentRead:
    stored = attachment_dir() / row.stored_name
    return TicketAttachmentRead.model_validate(
        row,
        update={"path": str(stored), "is_image": Path(row.stored_name).suffix in IMAGE_SUFFIXES},
    )


def _check_file(source: Path) -> tuple[str, int]:
    suffix = source.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError.single(
            "file", _("Attach a photo (JPG, PNG, BMP, GIF, WebP) or a PDF; {name} is neither.").format(name=source.name)
        )
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ValidationError.single(
            "file", _("Cannot read {name}: {reason}").format(name=source.name, reason=exc.strerror or exc)
        ) from exc
    if size == 0:
        raise ValidationError.single("file", _("{name} is empty.").format(name=source.name))
    if size > MAX_BYTES:
        raise ValidationError.single(
            "file",
            _("{name} is {size} MB; attachments are at most {most} MB.").format(
                name=source.name, size=round(size / 1024 / 1024, 1), most=MAX_BYTES // 1024 // 1024
            ),
        )
    return suffix, size


@service(Action.TICKETS_WORK, write=True)
def add_attachment(
    ctx: Context, ticket_id: uuid.UUID, source: Path | str, kind: AttachmentKind = AttachmentKind.OTHER
) -> TicketAttachmentRead:
    """Copy `source` into the data directory and attach it to the ticket."""
    source = Path(source)
    ticket = ctx.s.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(_("This ticket does not exist."))
    suffix, size = _check_file(source)
    stored_name = f"{ticket.reported_at:%Y}/{new_id().hex}{suffix}"
    target = attachment_dir() / stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise AppError(
            _("Cannot copy {name} into the data folder: {reason}").format(name=source.name, reason=exc.strerror or exc)
        ) from exc
    user = ctx.user
    row = TicketAttachment(
        ticket_id=ticket.id,
        kind=kind,
        stored_name=stored_name,
        original_name=source.name[:255],
        size_bytes=size,
        at=ctx.now(),
        username=user.display_name if user else "",
    )
    ctx.s.add(row)
    log_activity(
        ctx, ticket, ActivityKind.ATTACHMENT,
        _("Attached {name} ({kind}).").format(name=source.name, kind=_(KIND_LABELS[kind])),
    )
    try:
        ctx.s.flush()
    except BaseException:
        target.unlink(missing_ok=True)  # the record did not make it: no orphan file
        raise
    return _read(row)


@service(Action.TICKETS_VIEW, write=False)
def list_attachments(ctx: Context, ticket_id: uuid.UUID) -> list[TicketAttachmentRead]:
    query = select(TicketAttachment).where(TicketAttachment.ticket_id == ticket_id).order_by(col(TicketAttachment.at))
    return [_read(r) for r in ctx.s.exec(query)]


def kind_label(kind: AttachmentKind | str) -> str:
    return _(KIND_LABELS[AttachmentKind(kind)])
