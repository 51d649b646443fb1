"""Devices > the catalogue: device models, acquirers, firmware releases, terminals on old firmware.

Everyone may look; only a role with CATALOGUE_EDIT sees the buttons that change it.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.catalogue import AcquirerRead, DeviceModelRead, FirmwareReleaseRead
from app.models.terminal import TerminalRead
from app.rules.permissions import Action, allowed
from app.services import catalogue
from ui.devices.acquirer_dialog import AcquirerDialog
from ui.devices.catalogue_table_models import (
    acquirer_table_model,
    device_model_table_model,
    firmware_table_model,
)
from ui.devices.device_model_dialog import DeviceModelDialog
from ui.devices.firmware_dialog import FirmwareDialog
from ui.devices.terminal_table_model import (
    ACQUIRER,
    FIRMWARE,
    MERCHANT,
    MODEL,
    SERIAL_NO,
    STATUS,
    TERMINAL_NO,
    terminal_table_model,
)
from ui.shared import dialogs
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import (
    fit_columns,
    list_table,
    push_button,
    select_data,
    shortcut_action,
)


def may_edit_catalogue(ctx: Context) -> bool:
    return ctx.user is not None and allowed(ctx.user.role, Action.CATALOGUE_EDIT)


class _CataloguePanel(QWidget):
    """A button row over one table; loads whenever it is shown."""

    def __init__(self, ctx: Context, name: str, table_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.ctx = ctx
        self.can_edit = may_edit_catalogue(ctx)
        self.buttons = QHBoxLayout()
        self.table = list_table(table_name)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.note_label = QLabel()
        self.note_label.setObjectName("panelNote")
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.note_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

    def add_button(self, name: str, text: str, slot: Any, *, edits: bool = True) -> QPushButton:
        """A button of the row; one that `edits` the catalogue only for those who may."""
        button = push_button(name, text, slot)
        button.setVisible(self.can_edit or not edits)
        self.buttons.addWidget(button)
        return button

    def load_model(self, model: PagedTableModel[Any]) -> bool:
        try:
            model.reload()
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return False
        self.error_label.hide()
        fit_columns(self.table)
        return True

    def reload(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        """The panel loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None


class DeviceModelsPanel(_CataloguePanel):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "DeviceModelsPanel", "deviceModelTable", parent)
        self._models: list[DeviceModelRead] = []
        self.model = device_model_table_model(self._fetch)
        self.table.setModel(self.model)
        self.new_model_button = self.add_button("newModelButton", _("New model…"), self.new_model)
        self.edit_model_button = self.add_button("editModelButton", _("Edit…"), self.edit_model)
        self.buttons.addStretch(1)
        self.table.activated.connect(lambda _index: self.edit_model())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        action = shortcut_action(self, "newModelAction", _("New model"), ["Ctrl+N"], self.new_model)
        action.setEnabled(self.can_edit)
        shortcut_action(self, "reloadModelsAction", _("Reload"), ["F5"], self.reload)

    def _fetch(self, offset: int, limit: int) -> tuple[list[DeviceModelRead], int]:
        return self._models[offset : offset + limit], len(self._models)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        row = self.selected_row()
        keep = keep or (self.model.row_object(row).id if row is not None else None)
        try:
            self._models = catalogue.list_device_models(self.ctx)
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.load_model(self.model)
        for i, model in enumerate(self._models):
            if model.id == keep:
                self.table.selectRow(i)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.edit_model_button.setEnabled(self.selected_row() is not None)

    def new_model(self) -> None:
        if not self.can_edit:
            return
        dialog = DeviceModelDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_model is not None:
            self.reload(dialog.result_model.id)

    def edit_model(self) -> None:
        row = self.selected_row()
        if row is None or not self.can_edit:
            return
        dialog = DeviceModelDialog(self.ctx, self.model.row_object(row), parent=self)
        if dialog.exec():
            self.reload()


class AcquirersPanel(_CataloguePanel):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "AcquirersPanel", "acquirerTable", parent)
        self._acquirers: list[AcquirerRead] = []
        self.model = acquirer_table_model(self._fetch)
        self.table.setModel(self.model)
        self.add_acquirer_button = self.add_button("addAcquirerButton", _("New acquirer…"), self.add_acquirer)
        self.rename_acquirer_button = self.add_button("renameAcquirerButton", _("Rename…"), self.rename_acquirer)
        self.toggle_acquirer_button = self.add_button("toggleAcquirerButton", _("Deactivate"), self.toggle_acquirer)
        self.buttons.addStretch(1)
        self.table.activated.connect(lambda _index: self.rename_acquirer())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        action = shortcut_action(
            self, "newAcquirerAction", _("New acquirer"), ["Ctrl+N"], self.add_acquirer
        )
        action.setEnabled(self.can_edit)
        shortcut_action(self, "reloadAcquirersAction", _("Reload"), ["F5"], self.reload)

    def _fetch(self, offset: int, limit: int) -> tuple[list[AcquirerRead], int]:
        return self._acquirers[offset : offset + limit], len(self._acquirers)

    def reload(self, keep: uuid.UUID | None = None) -> None:
        row = self.selected_row()
        keep = keep or (self.model.row_object(row).id if row is not None else None)
        try:
            self._acquirers = catalogue.list_acquirers(self.ctx)
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.load_model(self.model)
        for i, acquirer in enumerate(self._acquirers):
            if acquirer.id == keep:
                self.table.selectRow(i)
        self._update_buttons()

    def selected_acquirer(self) -> AcquirerRead | None:
        row = self.selected_row()
        return self.model.row_object(row) if row is not None else None

    def _update_buttons(self) -> None:
        acquirer = self.selected_acquirer()
        self.rename_acquirer_button.setEnabled(acquirer is not None)
        self.toggle_acquirer_button.setEnabled(acquirer is not None)
        active = acquirer is None or acquirer.active
        self.toggle_acquirer_button.setText(_("Deactivate") if active else _("Activate"))

    def add_acquirer(self) -> None:
        if not self.can_edit:
            return
        dialog = AcquirerDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.result_acquirer is not None:
            self.reload(dialog.result_acquirer.id)

    def rename_acquirer(self) -> None:
        acquirer = self.selected_acquirer()
        if acquirer is None or not self.can_edit:
            return
        if AcquirerDialog(self.ctx, acquirer, parent=self).exec():
            self.reload()

    def toggle_acquirer(self) -> None:
        acquirer = self.selected_acquirer()
        if acquirer is None or not self.can_edit:
            return
        try:
            catalogue.save_acquirer(
                self.ctx, acquirer.name, acquirer_id=acquirer.id, active=not acquirer.active
            )
        except AppError as exc:
            dialogs.warn(self, _("Cannot change the acquirer"), str(exc))
        self.reload()


class FirmwarePanel(_CataloguePanel):
    """The releases of one model, newest first."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "FirmwarePanel", "firmwareTable", parent)
        self._models: list[DeviceModelRead] = []
        self._releases: list[FirmwareReleaseRead] = []
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("firmwareModelFilter")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.buttons.addWidget(QLabel(_("Model")))
        self.buttons.addWidget(self.model_combo)
        self.new_release_button = self.add_button("newReleaseButton", _("New release…"), self.new_release)
        self.buttons.addStretch(1)
        self.model = firmware_table_model(self._fetch)
        self.table.setModel(self.model)
        self.model_combo.currentIndexChanged.connect(lambda _i: self._load_releases())
        action = shortcut_action(
            self, "newReleaseAction", _("New release"), ["Ctrl+N"], self.new_release
        )
        action.setEnabled(self.can_edit)
        shortcut_action(self, "reloadFirmwareAction", _("Reload"), ["F5"], self.reload)

    def _fetch(self, offset: int, limit: int) -> tuple[list[FirmwareReleaseRead], int]:
        return self._releases[offset : offset + limit], len(self._releases)

    def reload(self) -> None:
        try:
            self._models = catalogue.list_device_models(self.ctx)
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        chosen = self.model_combo.currentData()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for model in self._models:
            self.model_combo.addItem(model.label, model.id)
        select_data(self.model_combo, chosen)
        self.model_combo.blockSignals(False)
        self.new_release_button.setEnabled(bool(self._models))
        self._load_releases()

    def current_model_id(self) -> uuid.UUID | None:
        data = self.model_combo.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def _load_releases(self) -> None:
        model_id = self.current_model_id()
        try:
            self._releases = (
                catalogue.list_firmware_releases(self.ctx, model_id) if model_id else []
            )
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.load_model(self.model)

    def new_release(self) -> None:
        if not self.can_edit or not self._models:
            return
        dialog = FirmwareDialog(self.ctx, self._models, self.current_model_id(), parent=self)
        if dialog.exec() and dialog.result_release is not None:
            select_data(self.model_combo, dialog.result_release.model_id)
            self._load_releases()


class OutdatedFirmwarePanel(_CataloguePanel):
    """Terminals still in use whose firmware is older than their model's latest mandatory one."""

    terminalOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "OutdatedFirmwarePanel", "outdatedTable", parent)
        self._required: dict[uuid.UUID, str] = {}
        self.count_label = QLabel()
        self.count_label.setObjectName("outdatedCountLabel")
        self.open_outdated_button = self.add_button("openOutdatedButton", _("Open terminal"), self.open_selected, edits=False)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.count_label)
        required = Column[TerminalRead](
            lambda: _("Required version"), lambda t: self._required.get(t.model_id, "")
        )
        columns = [SERIAL_NO, TERMINAL_NO, MODEL, FIRMWARE, required, STATUS, MERCHANT, ACQUIRER]
        self.model = terminal_table_model(self._fetch, columns)
        self.table.setModel(self.model)
        self.table.activated.connect(self._activated)
        shortcut_action(self, "reloadOutdatedAction", _("Reload"), ["F5"], self.reload)
        self.note_label.setText(
            _("Terminals in use whose firmware is older than the latest mandatory release of their model.")
        )
        self.note_label.show()

    def _fetch(self, offset: int, limit: int) -> tuple[list[TerminalRead], int]:
        page = catalogue.list_outdated_terminals(self.ctx, offset=offset, limit=limit)
        return page.items, page.total

    def reload(self) -> None:
        try:
            self._required = catalogue.latest_mandatory_versions(self.ctx)
        except AppError:
            self._required = {}
        if self.load_model(self.model):
            total = self.model.total()
            self.count_label.setText(
                ngettext("{n} terminal", "{n} terminals", total).format(n=total)
            )

    def _activated(self, index: QModelIndex) -> None:
        self.terminalOpened.emit(self.model.row_object(index.row()).id)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.terminalOpened.emit(self.model.row_object(row).id)
