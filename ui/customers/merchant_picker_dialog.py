"""Choose one merchant from the archive: type part of its name or number, pick a row."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.merchant import MerchantFilter, MerchantRead
from app.services import merchants
from ui.customers.merchant_table_model import merchant_table_model
from ui.shared.form_dialog import line_edit
from ui.shared.widgets import fit_columns, list_table, push_button

SEARCH_DELAY_MS = 300


class MerchantPickerDialog(QDialog):
    """`chosen` holds the merchant picked; `base` narrows the list (e.g. active merchants only)."""

    def __init__(
        self,
        ctx: Context,
        *,
        title: str = "",
        base: MerchantFilter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MerchantPickerDialog")
        self.setWindowTitle(title or _("Choose a merchant"))
        self.ctx = ctx
        self.base = base or MerchantFilter()
        self.filters = self.base
        self.chosen: MerchantRead | None = None

        self.search_edit = line_edit(
            "pickerSearchEdit", placeholder=_("Merchant no., legal name or shop name")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("pickerCountLabel")
        self.model = merchant_table_model(self._fetch)
        self.table = list_table("pickerTable")
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.choose_button = push_button("chooseButton", _("Choose"), self.choose)
        self.cancel_button = push_button("cancelButton", _("Cancel"), self.reject)
        for button in (self.choose_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter belongs to the search box and the table

        search = QHBoxLayout()
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.search_edit.returnPressed.connect(self._search_entered)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.resize(820, 480)
        self.apply_filter()
        self.search_edit.setFocus()

    def _fetch(self, offset: int, limit: int) -> tuple[list[MerchantRead], int]:
        page = merchants.list_merchants(self.ctx, self.filters, offset=offset, limit=limit)
        return page.items, page.total

    def apply_filter(self) -> None:
        self._timer.stop()
        self.filters = self.base.model_copy(update={"text": self.search_edit.text()})
        try:
            self.model.reload()
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = self.model.total()
        self.count_label.setText(ngettext("{n} merchant", "{n} merchants", total).format(n=total))
        if total:
            self.table.selectRow(0)
        fit_columns(self.table)
        self._update_buttons()

    def _search_entered(self) -> None:
        """Enter: one match is taken at once; several put the keyboard on the list."""
        self.apply_filter()
        if self.model.total() == 1:
            self.choose()
        elif self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activated(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.choose()

    def selected_merchant(self) -> MerchantRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.choose_button.setEnabled(self.selected_merchant() is not None)

    def choose(self) -> None:
        merchant = self.selected_merchant()
        if merchant is not None:
            self.chosen = merchant
            self.accept()
