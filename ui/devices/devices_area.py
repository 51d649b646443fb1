"""Devices: the terminal registry and the catalogue in tabs and, in their place, one terminal."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app.context import Context
from app.i18n import _
from ui.devices.catalogue_panels import (
    AcquirersPanel,
    DeviceModelsPanel,
    FirmwarePanel,
    OutdatedFirmwarePanel,
)
from ui.devices.terminal_list_page import TerminalListPage
from ui.devices.terminal_page import TerminalPage


class DevicesArea(QStackedWidget):
    """`merchantOpened` asks the main window to show the merchant holding a terminal."""

    merchantOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DevicesArea")
        self.ctx = ctx
        self.terminal_list = TerminalListPage(ctx)
        self.models_panel = DeviceModelsPanel(ctx)
        self.acquirers_panel = AcquirersPanel(ctx)
        self.firmware_panel = FirmwarePanel(ctx)
        self.outdated_panel = OutdatedFirmwarePanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("devicesTabs")
        self.tabs.addTab(self.terminal_list, _("Terminals"))
        self.tabs.addTab(self.models_panel, _("Models"))
        self.tabs.addTab(self.acquirers_panel, _("Acquirers"))
        self.tabs.addTab(self.firmware_panel, _("Firmware"))
        self.tabs.addTab(self.outdated_panel, _("Outdated firmware"))
        self.lists = QWidget()
        self.lists.setObjectName("devicesLists")
        title = QLabel(_("Devices"))
        title.setObjectName("pageTitle")
        layout = QVBoxLayout(self.lists)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

        self.terminal_page = TerminalPage(ctx)
        self.addWidget(self.lists)
        self.addWidget(self.terminal_page)
        self.terminal_list.terminalOpened.connect(self.open_terminal)
        self.outdated_panel.terminalOpened.connect(self.open_terminal)
        self.terminal_page.backRequested.connect(self.show_lists)
        self.terminal_page.merchantOpened.connect(self.merchantOpened.emit)

    def open_terminal(self, terminal_id: uuid.UUID) -> bool:
        """Show the terminal's page; False when it cannot be read (the lists stay)."""
        if not self.terminal_page.load(terminal_id):
            return False
        self.setCurrentWidget(self.terminal_page)
        self.terminal_page.setFocus()
        return True

    def show_lists(self) -> None:
        """Back to the tab the terminal was opened from (it reloads as it appears)."""
        shown = self.terminal_page.terminal
        self.setCurrentWidget(self.lists)
        if shown is not None and self.tabs.currentWidget() is self.terminal_list:
            self.terminal_list.select_terminal(shown.id)
            self.terminal_list.table.setFocus()
