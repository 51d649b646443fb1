"""A merchant's further contacts (name, role, phone), edited in a small table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.models.merchant import MerchantContactBase
from ui.shared.widgets import push_button

NAME, ROLE, PHONE = range(3)


class ContactsEditor(QWidget):
    """Rows of contacts; blank rows are left out of `contacts()`."""

    def __init__(
        self, contacts: Sequence[MerchantContactBase] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactsEditor")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("contactsTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Phone")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 6)
        self.add_button = push_button("addContactButton", _("Add contact"), self.add_contact)
        self.remove_button = push_button(
            "removeContactButton", _("Remove contact"), self.remove_contact
        )
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.set_contacts(contacts)

    def set_contacts(self, contacts: Sequence[MerchantContactBase]) -> None:
        self.table.setRowCount(0)
        for contact in contacts:
            self._append(contact.name, contact.role, contact.phone)
        self._update_buttons()

    def _append(self, name: str = "", role: str = "", phone: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in ((NAME, name), (ROLE, role), (PHONE, phone)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        return row

    def add_contact(self) -> None:
        """A new empty row, its name cell ready for typing."""
        row = self._append()
        self.table.setCurrentCell(row, NAME)
        self.table.editItem(self.table.item(row, NAME))

    def remove_contact(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.currentRow() >= 0 and self.table.rowCount() > 0)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def contacts(self) -> list[MerchantContactBase]:
        result = []
        for row in range(self.table.rowCount()):
            name, role, phone = (self._text(row, c) for c in (NAME, ROLE, PHONE))
            if name.strip() or role.strip() or phone.strip():
                result.append(MerchantContactBase(name=name, role=role, phone=phone))
        return result
