"""Columns of the audit trail."""

from __future__ import annotations

import json
from collections.abc import Callable

from app.i18n import N_, _
from app.models.audit import AuditRead
from ui.shared.formatting import local_datetime_seconds
from ui.shared.paged_table_model import Column, PagedTableModel

ACTION_LABELS = {"create": N_("created"), "update": N_("changed"), "delete": N_("deleted")}


def changes_text(entry: AuditRead) -> str:
    """`field: old → new` for each changed field."""
    parts = []
    for field, pair in entry.changes.items():
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
            if entry.action == "create":
                parts.append(f"{field}: {json.dumps(new, ensure_ascii=False)}")
            else:
                old_text = json.dumps(old, ensure_ascii=False)
                new_text = json.dumps(new, ensure_ascii=False)
                parts.append(f"{field}: {old_text} → {new_text}")
    return "; ".join(parts)


COLUMNS: list[Column[AuditRead]] = [
    Column(lambda: _("Time"), lambda e: local_datetime_seconds(e.at), lambda e: e.at),
    Column(lambda: _("User"), lambda e: e.username or _("system")),
    Column(lambda: _("Action"), lambda e: _(ACTION_LABELS.get(e.action, e.action))),
    Column(lambda: _("Record type"), lambda e: e.record_type),
    Column(lambda: _("Record"), lambda e: e.record_id),
    Column(lambda: _("Changes"), changes_text),
]


def audit_table_model(
    fetch_page: Callable[[int, int], tuple[list[AuditRead], int]],
) -> PagedTableModel[AuditRead]:
    return PagedTableModel(COLUMNS, fetch_page)
