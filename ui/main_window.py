"""The main window: navigation to every area, global search, menus and the status bar."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressDialog,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__, i18n
from app.context import Context
from app.db import BackupResult
from app.i18n import N_, _
from app.models.branch import BranchRead
from app.rules.permissions import role_label
from app.services import maintenance
from ui.admin.admin_page import AdminPage
from ui.auth.change_password_dialog import ChangePasswordDialog
from ui.customers.customers_area import CustomersArea
from ui.devices.devices_area import DevicesArea
from ui.search.search_popup import attach_search
from ui.shared import dialogs
from ui.shared.placeholder_page import PlaceholderPage
from ui.shared.worker import run_in_background
from ui.tickets.tickets_area import TicketsArea
from ui.warranty.warranty_area import WarrantyArea


class _LazyPages(dict[str, QWidget]):
    """Area pages by key, each made by `build` when first asked for."""

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        page = self._build(key)
        self[key] = page
        return page


# (key, label) of every area in DESIGN.md, in the order of the navigation.
AREAS: list[tuple[str, str]] = [
    ("dashboard", N_("Dashboard")),
    ("customers", N_("Customers")),
    ("devices", N_("Devices")),
    ("tickets", N_("Tickets")),
    ("warranty", N_("Warranty")),
    ("inspections", N_("Inspections")),
    ("training", N_("Training")),
    ("cases", N_("Cases")),
    ("reports", N_("Reports")),
    ("administration", N_("Administration")),
]


class MainWindow(QMainWindow):
    languageChanged = Signal(str)  # noqa: N815 - Qt naming

    def __init__(
        self,
        ctx: Context,
        branch: BranchRead | None,
        *,
        on_language: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.ctx = ctx
        self.branch = branch
        self._on_language = on_language
        self._backup_signals: object = None
        self.resize(1200, 760)
        self._build()

    # --- building (again after a language switch) ------------------------------------------------

    def _build(self, area: str = "dashboard") -> None:
        self.setWindowTitle(
            _("POS After-Sales Workstation") + (f" — {self.branch.name}" if self.branch else "")
        )
        self.menuBar().clear()
        # Detach what the previous build made, so nothing finds the old widgets any more.
        for toolbar in self.findChildren(QToolBar):
            self.removeToolBar(toolbar)
            toolbar.setParent(None)
            toolbar.deleteLater()
        old_central = self.centralWidget()
        if old_central is not None:
            old_central.setParent(None)
            old_central.deleteLater()
        self._build_menus()
        self._build_toolbar()
        self._build_pages()
        self._build_status_bar()
        self.open_area(area)

    def _action(
        self, name: str, text: str, slot: Callable[[], None], shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        file_menu.setObjectName("fileMenu")
        self.backup_action = self._action("backupAction", _("&Backup now"), self.backup_now)
        self.change_password_action = self._action(
            "changePasswordAction", _("Change &password…"), self.change_password
        )
        self.quit_action = self._action(
            "quitAction", _("&Quit"), self.close, QKeySequence.StandardKey.Quit
        )
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.change_password_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        settings_menu = self.menuBar().addMenu(_("&Settings"))
        settings_menu.setObjectName("settingsMenu")
        language_menu = settings_menu.addMenu(_("&Language"))
        language_menu.setObjectName("languageMenu")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, label in i18n.LANGUAGES.items():
            action = QAction(label, self)
            action.setObjectName(f"language_{code}Action")
            action.setCheckable(True)
            action.setChecked(code == i18n.current_language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[code] = action

        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.setObjectName("helpMenu")
        self.about_action = self._action("aboutAction", _("&About"), self.show_about)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(_("Search"))
        toolbar.setObjectName("searchToolbar")
        toolbar.setMovable(False)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("globalSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            _("Search merchants, terminals, tickets (Ctrl+K); scan an SN")
        )
        self.search_box.setMinimumWidth(420)
        toolbar.addWidget(self.search_box)
        old_popup = getattr(self, "search_popup", None)
        if old_popup is not None:
            old_popup.deleteLater()
        self.search_popup = attach_search(self.search_box, self.ctx, self)
        self.search_popup.merchantChosen.connect(self.open_merchant)
        self.search_popup.terminalChosen.connect(self.open_terminal)
        self.search_popup.ticketChosen.connect(self.open_ticket)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.search_action = self._action("focusSearchAction", _("Search"), self.focus_search, "Ctrl+K")
        self.search_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.search_action)
        # F2 opens intake from anywhere: the phone rings while the clerk is in another area.
        old_intake = getattr(self, "intake_action", None)
        if old_intake is not None:
            self.removeAction(old_intake)
            old_intake.deleteLater()
        self.intake_action = self._action("intakeAction", _("New ticket…"), self.new_ticket, "F2")
        self.intake_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.intake_action)

    def _build_pages(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(180)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self._holders: dict[str, QWidget] = {}
        # An area is built the first time it is opened: start-up stays quick.
        self.page_by_area = _LazyPages(self._build_area)
        for key, label in AREAS:
            item = QListWidgetItem(_(label))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigation.addItem(item)
            holder = QWidget()
            holder.setObjectName(f"{key}Holder")
            holder.setProperty("area", key)
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            self.pages.addWidget(holder)
            self._holders[key] = holder
        self.navigation.currentRowChanged.connect(self._show_row)
        central = QWidget()
        central.setObjectName("mainArea")
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

    def _build_area(self, key: str) -> QWidget:
        label = dict(AREAS)[key]
        page = self._make_page(key, _(label))
        page.setProperty("area", key)
        layout = self._holders[key].layout()
        assert layout is not None
        layout.addWidget(page)
        return page

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = str(self.navigation.item(row).data(Qt.ItemDataRole.UserRole))
        self.page_by_area[key]  # noqa: B018 - builds the area on first use
        self.pages.setCurrentIndex(row)

    def _make_page(self, key: str, title: str) -> QWidget:
        if key == "administration":
            return AdminPage(self.ctx)
        if key == "customers":
            customers = CustomersArea(self.ctx)
            customers.terminalOpened.connect(self.open_terminal)
            customers.ticketOpened.connect(self.open_ticket)
            return customers
        if key == "devices":
            devices = DevicesArea(self.ctx)
            devices.merchantOpened.connect(self.open_merchant)
            return devices
        if key == "warranty":
            warranty = WarrantyArea(self.ctx)
            warranty.merchantOpened.connect(self.open_merchant)
            warranty.terminalOpened.connect(self.open_terminal)
            return warranty
        if key == "tickets":
            tickets_area = TicketsArea(self.ctx)
            tickets_area.merchantOpened.connect(self.open_merchant)
            tickets_area.terminalOpened.connect(self.open_terminal)
            return tickets_area
        return PlaceholderPage(title)

    def _build_status_bar(self) -> None:
        if not hasattr(self, "user_label"):
            self.user_label, self.role_label = QLabel(), QLabel()
            self.branch_label, self.database_label = QLabel(), QLabel()
            for label, name in (
                (self.user_label, "userLabel"),
                (self.role_label, "roleLabel"),
                (self.branch_label, "branchLabel"),
                (self.database_label, "databaseLabel"),
            ):
                label.setObjectName(name)
                self.statusBar().addPermanentWidget(label)
        user = self.ctx.user
        self.user_label.setText(_("User: {name}").format(name=user.display_name if user else "-"))
        self.role_label.setText(
            _("Role: {role}").format(role=role_label(user.role) if user else "-")
        )
        branch = f"{self.branch.name} ({self.branch.code})" if self.branch else "-"
        self.branch_label.setText(_("Branch: {branch}").format(branch=branch))
        self.database_label.setText(
            _("Database: {location}").format(location=self.ctx.db.display_location())
        )

    # --- actions ---------------------------------------------------------------------------------

    def current_area(self) -> str:
        item = self.navigation.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else "dashboard"

    def open_area(self, key: str) -> None:
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.navigation.setCurrentRow(row)
                return

    def open_merchant(self, merchant_id: uuid.UUID) -> None:
        """Show the merchant's page in Customers (global search and other areas call this)."""
        area = self.page_by_area["customers"]
        assert isinstance(area, CustomersArea)
        self.open_area("customers")
        area.open_merchant(merchant_id)

    def open_terminal(self, terminal_id: uuid.UUID) -> None:
        """Show the terminal's page in Devices (global search and other areas call this)."""
        area = self.page_by_area["devices"]
        assert isinstance(area, DevicesArea)
        self.open_area("devices")
        area.open_terminal(terminal_id)

    def open_ticket(self, ticket_id: uuid.UUID) -> None:
        """Show the ticket in its own tab in Tickets (other areas call this)."""
        area = self.page_by_area["tickets"]
        assert isinstance(area, TicketsArea)
        self.open_area("tickets")
        area.open_ticket(ticket_id)

    def new_ticket(self) -> None:
        """F2: intake, in the Tickets area where the new ticket then opens."""
        area = self.page_by_area["tickets"]
        assert isinstance(area, TicketsArea)
        self.open_area("tickets")
        area.new_ticket()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def set_language(self, language: str) -> None:
        """Switch the language at once and remember it."""
        if self._on_language is not None:
            self._on_language(language)
        area = self.current_area()
        self._build(area)
        self.languageChanged.emit(language)

    def change_password(self) -> None:
        ChangePasswordDialog(self.ctx, parent=self).exec()

    def show_about(self) -> None:
        dialogs.about(self, __version__)

    def backup_now(self) -> None:
        progress = QProgressDialog(_("Writing the backup…"), "", 0, 0, self)
        progress.setObjectName("backupProgress")
        progress.setCancelButton(None)
        progress.setWindowTitle(_("Backup"))
        progress.setMinimumDuration(300)
        self.backup_action.setEnabled(False)

        def done(result: BackupResult) -> None:
            progress.close()
            self.backup_action.setEnabled(True)
            self.statusBar().showMessage(_("Backup written: {path}").format(path=result.path), 10000)
            dialogs.info(
                self, _("Backup"), _("Backup written to {path}.").format(path=Path(result.path))
            )

        def failed(exc: BaseException) -> None:
            progress.close()
            self.backup_action.setEnabled(True)
            dialogs.warn(self, _("Backup failed"), str(exc))

        ctx = self.ctx
        self._backup_signals = run_in_background(
            lambda: maintenance.backup_database(ctx), done, failed
        )
