"""The audit trail, captured in one place: a before_flush hook on the application's session.

Every insert, update and delete of a record made through a unit of work adds an AuditEntry in the
same transaction, with the acting user, the time and the changed fields (old and new).
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.models.audit import AuditEntry
from app.models.base import RecordBase, utcnow

# Fields whose values never go into the trail: only the fact that they changed.
SECRET_FIELDS = {"password_hash"}
# Bookkeeping fields that change on every write and say nothing by themselves.
SKIPPED_FIELDS = {"version", "updated_at", "created_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (uuid.UUID, datetime, date)):
        return str(value)
    return value


def _changes(obj: RecordBase, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SKIPPED_FIELDS:
            continue
        hist = state.attrs[key].history
        if action == "create":
            new = getattr(obj, key)
            if new is None or new == "":
                continue
            old = None
        elif action == "delete":
            old, new = getattr(obj, key), None
        else:
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
        if key in SECRET_FIELDS:
            out[key] = ["***" if old else None, "***"]
        else:
            out[key] = [_plain(old), _plain(new)]
    return out


def _record(session: Session, _flush_context: UOWTransaction, _instances: object) -> None:
    clock = session.info.get("clock", utcnow)
    now = clock()
    user_id = session.info.get("user_id")
    username = session.info.get("username", "")
    entries: list[AuditEntry] = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, RecordBase):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action == "update":
                if not changes:
                    continue
                obj.updated_at = now
            entries.append(
                AuditEntry(
                    at=now,
                    user_id=user_id,
                    username=username,
                    action=action,
                    record_type=type(obj).__tablename__,  # type: ignore[arg-type]
                    record_id=str(obj.id),
                    changes=changes,
                    branch_id=obj.branch_id,
                )
            )
    session.add_all(entries)


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "before_flush", _record)
