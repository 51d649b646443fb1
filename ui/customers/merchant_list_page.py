"""Customers > the merchant list: filters, lazy pages, new / open / edit."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.imports import ImportKind
from app.models.merchant import MerchantFilter, MerchantRead, MerchantStatus, RiskLevel
from app.rules.merchants import merchant_status_label, risk_label
from app.rules.permissions import Action, allowed
from app.services import merchants
from ui.customers.merchant_dialog import MerchantDialog
from ui.customers.merchant_table_model import merchant_table_model
from ui.data.list_actions import add_data_actions
from ui.shared import dialogs
from ui.shared.form_dialog import line_edit
from ui.shared.widgets import (
    fit_columns,
    list_table,
    push_button,
    select_data,
    shortcut_action,
)

SEARCH_DELAY_MS = 300


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class MerchantListPage(QWidget):
    """Enter or a double click opens the merchant; `merchantOpened` carries its id."""

    merchantOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MerchantListPage")
        self.ctx = ctx
        self.filters = MerchantFilter()
        self._regions: list[tuple[str, str, str]] = []
        role = ctx.user.role if ctx.user else None
        self.can_edit = role is not None and allowed(role, Action.MERCHANTS_EDIT)

        title = QLabel(_("Customers"))
        title.setObjectName("pageTitle")
        self.status_filter = _combo("statusFilter")
        self.status_filter.addItem(_("All statuses"), None)
        for status in MerchantStatus:
            self.status_filter.addItem(merchant_status_label(status), status.value)
        self.risk_filter = _combo("riskFilter")
        self.risk_filter.addItem(_("All risk levels"), None)
        for level in RiskLevel:
            self.risk_filter.addItem(risk_label(level), level.value)
        self.province_filter = _combo("provinceFilter")
        self.city_filter = _combo("cityFilter")
        self.search_edit = line_edit(
            "merchantSearchEdit", placeholder=_("Merchant no., legal name or shop name")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self.count_label = QLabel()
        self.count_label.setObjectName("merchantCountLabel")

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        for combo in (self.status_filter, self.risk_filter, self.province_filter, self.city_filter):
            filters.addWidget(combo)
        filters.addWidget(self.count_label)

        self.new_button = push_button("newMerchantButton", _("New merchant…"), self.new_merchant)
        self.open_button = push_button("openMerchantButton", _("Open"), self.open_selected)
        self.edit_button = push_button("editMerchantButton", _("Edit…"), self.edit_merchant)
        self.new_button.setToolTip(_("Ctrl+N"))
        for button in (self.new_button, self.edit_button):
            button.setVisible(self.can_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        # Import, export and printing are added here by their own areas.
        self.actions_layout = QHBoxLayout()
        self.actions_layout.setObjectName("merchantActionsLayout")
        buttons.addLayout(self.actions_layout)
        add_data_actions(self, ImportKind.MERCHANTS, self)

        self.model = merchant_table_model(self._fetch)
        self.table = list_table("merchantTable")
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        self.new_action = shortcut_action(
            self, "newMerchantAction", _("New merchant"), ["Ctrl+N"], self.new_merchant
        )
        self.new_action.setEnabled(self.can_edit)
        self.reload_action = shortcut_action(
            self, "reloadMerchantsAction", _("Reload"), ["F5"], self.reload
        )

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.search_edit.returnPressed.connect(self._search_entered)
        for combo in (self.status_filter, self.risk_filter, self.city_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.province_filter.currentIndexChanged.connect(lambda _i: self._province_changed())
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

        # The list loads each time it is shown (see showEvent), so it is never stale.

    # --- filters --------------------------------------------------------------------------------

    def _fill_regions(self) -> None:
        """(Re)fill the province and city lists from the regions in use, keeping the choice."""
        try:
            self._regions = merchants.list_regions(self.ctx)
        except AppError:
            self._regions = []
        chosen = self.province_filter.currentData()
        self.province_filter.blockSignals(True)
        self.province_filter.clear()
        self.province_filter.addItem(_("All provinces"), None)
        for province in sorted({r[0] for r in self._regions if r[0]}):
            self.province_filter.addItem(province, province)
        select_data(self.province_filter, chosen)
        self.province_filter.blockSignals(False)
        self._fill_cities()

    def _fill_cities(self) -> None:
        province = self.province_filter.currentData()
        chosen = self.city_filter.currentData() if province is not None else None
        self.city_filter.blockSignals(True)
        self.city_filter.clear()
        self.city_filter.addItem(_("All cities"), None)
        cities = {r[1] for r in self._regions if r[1] and (province is None or r[0] == province)}
        for city in sorted(cities):
            self.city_filter.addItem(city, city)
        select_data(self.city_filter, chosen)
        self.city_filter.setEnabled(province is not None)
        self.city_filter.blockSignals(False)

    def _province_changed(self) -> None:
        self._fill_cities()
        self.apply_filters()

    def current_filters(self) -> MerchantFilter:
        """The filter the list shows now (for export and printing)."""
        return self.filters

    def _filters_from_inputs(self) -> MerchantFilter:
        status, risk = self.status_filter.currentData(), self.risk_filter.currentData()
        return MerchantFilter(
            status=MerchantStatus(status) if status else None,
            risk_level=RiskLevel(risk) if risk else None,
            province=self.province_filter.currentData(),
            city=self.city_filter.currentData(),
            text=self.search_edit.text(),
        )

    def _fetch(self, offset: int, limit: int) -> tuple[list[MerchantRead], int]:
        page = merchants.list_merchants(self.ctx, self.filters, offset=offset, limit=limit)
        return page.items, page.total

    def apply_filters(self) -> None:
        self._timer.stop()
        previous, self.filters = self.filters, self._filters_from_inputs()
        self._load(keep=None, previous=previous)

    def reload(self) -> None:
        """F5: the same filter again, the selected merchant kept."""
        selected = self.selected_merchant()
        self._fill_regions()
        self._load(keep=selected.id if selected else None, previous=self.filters)

    def _load(self, *, keep: uuid.UUID | None, previous: MerchantFilter) -> None:
        try:
            self.model.reload()
        except AppError as exc:
            self.filters = previous
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = self.model.total()
        self.count_label.setText(ngettext("{n} merchant", "{n} merchants", total).format(n=total))
        if keep is not None:
            self.select_merchant(keep)
        fit_columns(self.table)
        self._update_buttons()

    def _search_entered(self) -> None:
        self.apply_filters()
        if self.model.rowCount():
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- selection ------------------------------------------------------------------------------

    def selected_merchant(self) -> MerchantRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def select_merchant(self, merchant_id: uuid.UUID) -> bool:
        """Select the merchant's row if it is loaded; True when found."""
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).id == merchant_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _update_buttons(self) -> None:
        selected = self.selected_merchant() is not None
        self.open_button.setEnabled(selected)
        self.edit_button.setEnabled(selected)

    def showEvent(self, event: QShowEvent) -> None:
        """The list loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    # --- commands -------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        self.merchantOpened.emit(self.model.row_object(index.row()).id)

    def open_selected(self) -> None:
        merchant = self.selected_merchant()
        if merchant is not None:
            self.merchantOpened.emit(merchant.id)

    def new_merchant(self) -> None:
        if not self.can_edit:
            return
        dialog = MerchantDialog(self.ctx, regions=self._regions, parent=self)
        if dialog.exec() and dialog.result_merchant is not None:
            self._fill_regions()
            self._load(keep=dialog.result_merchant.id, previous=self.filters)

    def edit_merchant(self) -> None:
        selected = self.selected_merchant()
        if selected is None or not self.can_edit:
            return
        try:
            merchant = merchants.get_merchant(self.ctx, selected.id)  # with its contacts
        except AppError as exc:
            dialogs.warn(self, _("Cannot edit"), str(exc))
            self.reload()
            return
        dialog = MerchantDialog(self.ctx, merchant, regions=self._regions, parent=self)
        if dialog.exec():
            self.reload()
