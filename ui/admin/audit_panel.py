"""Administration > Audit trail: who changed what, filtered by user, record type and date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.audit import AuditFilter, AuditRead
from app.rules.permissions import Action, allowed
from app.services import audit, users
from ui.admin.audit_table_model import audit_table_model
from ui.shared import dialogs


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AuditPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AuditPanel")
        self.ctx = ctx
        self.filters = AuditFilter()

        self.user_combo = QComboBox()
        self.user_combo.setObjectName("auditUserCombo")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("auditTypeCombo")
        self.dates_check = QCheckBox(_("From"))
        self.dates_check.setObjectName("auditDatesCheck")
        today = _qdate(ctx.now().astimezone().date())
        self.from_edit = QDateEdit(today.addDays(-30))
        self.from_edit.setObjectName("auditFromEdit")
        self.to_edit = QDateEdit(today)
        self.to_edit.setObjectName("auditToEdit")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.apply_button = QPushButton(_("Apply"))
        self.apply_button.setObjectName("auditApplyButton")
        self.apply_button.clicked.connect(self.apply_filters)
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCountLabel")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("User")))
        bar.addWidget(self.user_combo)
        bar.addWidget(QLabel(_("Record type")))
        bar.addWidget(self.type_combo)
        bar.addWidget(self.dates_check)
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel(_("to")))
        bar.addWidget(self.to_edit)
        bar.addWidget(self.apply_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.model = audit_table_model(self._fetch)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self._fill_combos()
        self.apply_filters()

    def _fill_combos(self) -> None:
        """(Re)fill the user and record-type lists, keeping what is chosen."""
        chosen_user, chosen_type = self.user_combo.currentData(), self.type_combo.currentData()
        self.user_combo.clear()
        self.user_combo.addItem(_("All users"), None)
        if self.ctx.user is not None and allowed(self.ctx.user.role, Action.USERS_VIEW):
            for user in users.list_users(self.ctx):
                self.user_combo.addItem(f"{user.display_name} ({user.username})", user.id)
        self.type_combo.clear()
        self.type_combo.addItem(_("All record types"), None)
        for record_type in audit.list_audit_record_types(self.ctx):
            self.type_combo.addItem(record_type, record_type)
        self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(chosen_user)))
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(chosen_type)))

    def refresh(self) -> None:
        """Reload the lists and the entries (when the tab is shown again)."""
        self._fill_combos()
        self.apply_filters()

    def _fetch(self, offset: int, limit: int) -> tuple[list[AuditRead], int]:
        page = audit.list_audit_entries(self.ctx, self.filters, offset=offset, limit=limit)
        return page.items, page.total

    def apply_filters(self) -> None:
        with_dates = self.dates_check.isChecked()
        filters = AuditFilter(
            user_id=self.user_combo.currentData(),
            record_type=self.type_combo.currentData(),
            date_from=self.from_edit.date().toPython() if with_dates else None,
            date_to=self.to_edit.date().toPython() if with_dates else None,
        )
        previous = self.filters
        self.filters = filters
        try:
            self.model.reload()
        except AppError as exc:
            self.filters = previous
            dialogs.warn(self, _("Audit trail"), str(exc))
            return
        total = self.model.total()
        self.count_label.setText(ngettext("{n} entry", "{n} entries", total).format(n=total))
