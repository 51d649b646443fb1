"""Tickets > the list: quick views, filters, sort, lazy pages, bulk assign and the day's work orders.

Made for the keyboard: the search box takes a ticket number or a scanned SN and Enter moves to the
list, Enter opens the ticket, Ctrl+N (F2 anywhere in the window) opens intake, F5 reloads.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _, ngettext
from app.models.ticket import Priority, TicketFilter, TicketRead, TicketStatus
from app.models.user import Role
from app.rules.permissions import Action, allowed
from app.rules.tickets import priority_label, status_label
from app.rules.workcal import CHINA_TZ
from app.services import tickets
from ui.customers.merchant_picker_dialog import MerchantPickerDialog
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import (
    fit_columns,
    list_table,
    push_button,
    qdate,
    select_data,
    shortcut_action,
)
from ui.tickets.assign_dialog import AssignDialog, assignee_combo
from ui.tickets.ticket_table_model import ticket_table_model

SEARCH_DELAY_MS = 300
SLA_REFRESH_MS = 60_000
# The widest a list column grows to fit its text: ten columns share a 1366-pixel screen.
LIST_COLUMN_MOST = 220

# Quick views: (key, label).
VIEW_MINE = "mine"
VIEW_UNASSIGNED = "unassigned"
VIEW_OVERDUE = "overdue"
VIEW_OPEN = "open"
VIEW_ALL = "all"
# TicketFilter.sort keys offered in the sort combo, in order.
SORTS: list[str] = ["due", "resolution_due", "reported_at", "priority", "ticket_no", "status"]


def sort_label(key: str) -> str:
    return {
        "due": _("Due time"),
        "resolution_due": _("Resolution due"),
        "reported_at": _("Reported"),
        "priority": _("Priority"),
        "ticket_no": _("Ticket no."),
        "status": _("Status"),
    }[key]


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def has_own_tickets(ctx: Context) -> bool:
    """Technicians and supervisors take tickets, so "My tickets" means something to them."""
    return ctx.user is not None and ctx.user.role in (Role.TECHNICIAN, Role.SUPERVISOR)


class TicketListPage(QWidget):
    """`ticketOpened` carries the id of the ticket to open; `newTicketRequested` asks for intake."""

    ticketOpened = Signal(object)  # carries a uuid.UUID
    newTicketRequested = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TicketListPage")
        self.ctx = ctx
        role = ctx.user.role if ctx.user else None
        self.can_assign = role is not None and allowed(role, Action.TICKETS_ASSIGN)
        self.can_create = role is not None and allowed(role, Action.TICKETS_CREATE)
        self.merchant_id: uuid.UUID | None = None
        self.filters = TicketFilter()
        self._loaded = False

        # Row 1: quick view, search, count.
        self.view_combo = _combo("ticketViewCombo")
        if has_own_tickets(ctx):
            self.view_combo.addItem(_("My tickets"), VIEW_MINE)
        self.view_combo.addItem(_("Unassigned"), VIEW_UNASSIGNED)
        self.view_combo.addItem(_("Overdue"), VIEW_OVERDUE)
        self.view_combo.addItem(_("Open tickets"), VIEW_OPEN)
        self.view_combo.addItem(_("All tickets"), VIEW_ALL)
        select_data(self.view_combo, VIEW_MINE if role == Role.TECHNICIAN else VIEW_OPEN)
        self.view_combo.setToolTip(_("Quick view (Alt+V)"))
        view_label = QLabel(_("&View"))
        view_label.setBuddy(self.view_combo)
        self.search_edit = line_edit("ticketSearchEdit", placeholder=_("Ticket no. or SN (scan)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self.search_edit.setToolTip(_("Ctrl+F"))
        self.count_label = QLabel()
        self.count_label.setObjectName("ticketCountLabel")
        top = QHBoxLayout()
        top.addWidget(view_label)
        top.addWidget(self.view_combo)
        top.addSpacing(8)
        top.addWidget(self.search_edit, 1)
        top.addSpacing(8)
        top.addWidget(self.count_label)

        # Row 2: filters and sort.
        self.status_filter = _combo("ticketStatusFilter")
        self.status_filter.addItem(_("All statuses"), None)
        for status in TicketStatus:
            self.status_filter.addItem(status_label(status), status.value)
        self.technician_filter = assignee_combo(ctx, "ticketTechnicianFilter", _("All technicians"))
        self.priority_filter = _combo("ticketPriorityFilter")
        self.priority_filter.addItem(_("All priorities"), None)
        for priority in Priority:
            self.priority_filter.addItem(priority_label(priority), priority.value)
        self.merchant_button = push_button("ticketMerchantButton", _("All merchants…"), self.choose_merchant)
        self.merchant_button.setToolTip(_("Show the tickets of one merchant"))
        self.merchant_clear_button = QToolButton()
        self.merchant_clear_button.setObjectName("ticketMerchantClearButton")
        self.merchant_clear_button.setText("×")
        self.merchant_clear_button.setToolTip(_("Show every merchant's tickets"))
        self.merchant_clear_button.clicked.connect(lambda _checked=False: self.clear_merchant())
        self.merchant_clear_button.hide()
        self.sort_combo = _combo("ticketSortCombo")
        for key in SORTS:
            self.sort_combo.addItem(sort_label(key), key)
        self.descending_check = QCheckBox(_("Descending"))
        self.descending_check.setObjectName("ticketSortDescending")
        filters = QHBoxLayout()
        for combo in (self.status_filter, self.technician_filter, self.priority_filter):
            filters.addWidget(combo)
        filters.addWidget(self.merchant_button)
        filters.addWidget(self.merchant_clear_button)
        filters.addStretch(1)
        filters.addWidget(QLabel(_("Sort by")))
        filters.addWidget(self.sort_combo)
        filters.addWidget(self.descending_check)

        # Row 3: commands.
        self.new_button = push_button("newTicketButton", _("New ticket…"), self.newTicketRequested.emit)
        self.new_button.setToolTip(_("F2, Ctrl+N"))
        self.new_button.setVisible(self.can_create)
        self.open_button = push_button("openTicketButton", _("Open"), self.open_selected)
        self.open_button.setToolTip(_("Enter"))
        self.assign_button = push_button("bulkAssignButton", _("Assign…"), self.assign_selected)
        self.assign_button.setToolTip(_("Assign the selected tickets to a technician"))
        self.assign_button.setVisible(self.can_assign)
        self.print_day_button = push_button(
            "printDayButton", _("Print day's work orders…"), self.print_day
        )
        self.notice_label = QLabel()
        self.notice_label.setObjectName("ticketNoticeLabel")
        self.notice_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.assign_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.notice_label)
        buttons.addStretch(1)
        buttons.addWidget(self.print_day_button)

        self.model = ticket_table_model(self._fetch)
        self.table = list_table("ticketTable", multi=True)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        shortcut_action(self, "reloadTicketsAction", _("Reload"), ["F5"], self.reload)
        shortcut_action(self, "findTicketAction", _("Find a ticket"), ["Ctrl+F"], self.focus_search)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        # The SLA column counts down: the list is read again every minute while it is shown.
        self.sla_timer = QTimer(self)
        self.sla_timer.setInterval(SLA_REFRESH_MS)
        self.sla_timer.timeout.connect(self.refresh_sla)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_entered)
        for combo in (self.view_combo, self.status_filter, self.technician_filter, self.priority_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.sort_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.descending_check.toggled.connect(lambda _on: self.apply_filters())
        header.sectionClicked.connect(self._header_clicked)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._show_sort_indicator()
        self._update_buttons()
        # The list loads each time it is shown (see showEvent), so it is never stale.

    # --- filters --------------------------------------------------------------------------------

    def view(self) -> str:
        return str(self.view_combo.currentData())

    def set_view(self, key: str) -> None:
        select_data(self.view_combo, key)

    def _filters_from_inputs(self) -> TicketFilter:
        view = self.view()
        status = self.status_filter.currentData()
        priority = self.priority_filter.currentData()
        technician = self.technician_filter.currentData()
        user_id = self.ctx.user.id if self.ctx.user else None
        filters = TicketFilter(
            status=TicketStatus(status) if status else None,
            # A chosen status says more than "open": closed tickets stay findable from any view.
            open_only=view in (VIEW_MINE, VIEW_OPEN) and not status,
            assignee_id=technician or (user_id if view == VIEW_MINE else None),
            unassigned=view == VIEW_UNASSIGNED,
            overdue=view == VIEW_OVERDUE,
            merchant_id=self.merchant_id,
            priority=Priority(priority) if priority else None,
            text=self.search_edit.text().strip(),
            sort=str(self.sort_combo.currentData()),
            descending=self.descending_check.isChecked(),
        )
        return filters

    def current_filters(self) -> TicketFilter:
        return self.filters

    def _fetch(self, offset: int, limit: int) -> tuple[list[TicketRead], int]:
        page = tickets.list_tickets(self.ctx, self.filters, offset=offset, limit=limit)
        return page.items, page.total

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self._loaded = True
        previous, self.filters = self.filters, self._filters_from_inputs()
        self._show_sort_indicator()
        self._load(keep=[], previous=previous)

    def reload(self) -> None:
        """F5: the same filter again, the selection kept."""
        if not self._loaded:  # the first time: the filter the inputs show
            self.apply_filters()
            return
        self._load(keep=self.selected_ticket_ids(), previous=self.filters)

    def refresh_sla(self) -> None:
        """Every minute: read the rows again so the SLA column counts; selection and focus stay."""
        if not self.isVisible():
            return
        self._load(keep=self.selected_ticket_ids(), previous=self.filters, fit=False)

    def _load(self, *, keep: list[uuid.UUID], previous: TicketFilter, fit: bool = True) -> None:
        current = self.current_ticket_id()
        scroll = self.table.verticalScrollBar().value()
        try:
            self.model.reload()
        except AppError as exc:
            self.filters = previous
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = self.model.total()
        self.count_label.setText(ngettext("{n} ticket", "{n} tickets", total).format(n=total))
        if keep:
            self.select_tickets(keep, current)
            self.table.verticalScrollBar().setValue(scroll)
        if fit:
            fit_columns(self.table, LIST_COLUMN_MOST)
        self._update_buttons()

    def _search_entered(self) -> None:
        """Enter: the list narrows and the keyboard moves to its first row."""
        self.apply_filters()
        if self.model.rowCount():
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def choose_merchant(self) -> None:
        picker = MerchantPickerDialog(self.ctx, title=_("Tickets of which merchant?"), parent=self)
        if not picker.exec() or picker.chosen is None:
            return
        merchant = picker.chosen
        self.merchant_id = merchant.id
        self.merchant_button.setText(merchant.shop_name or merchant.legal_name)
        self.merchant_button.setToolTip(f"{merchant.legal_name} ({merchant.merchant_no})")
        self.merchant_clear_button.show()
        self.apply_filters()

    def clear_merchant(self) -> None:
        self.merchant_id = None
        self.merchant_button.setText(_("All merchants…"))
        self.merchant_button.setToolTip(_("Show the tickets of one merchant"))
        self.merchant_clear_button.hide()
        self.apply_filters()

    # --- sort -------------------------------------------------------------------------------------

    def _header_clicked(self, column: int) -> None:
        """A click on a sortable header sorts by it; a second click turns the order round."""
        key = self.model.sort_key_of(column)
        if key is None:
            self._show_sort_indicator()
            return
        if key == self.sort_combo.currentData():
            self.descending_check.setChecked(not self.descending_check.isChecked())
        else:
            self.sort_combo.blockSignals(True)
            select_data(self.sort_combo, key)
            self.sort_combo.blockSignals(False)
            self.descending_check.blockSignals(True)
            self.descending_check.setChecked(False)
            self.descending_check.blockSignals(False)
            self.apply_filters()

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        column = self.model.column_of(str(self.sort_combo.currentData()))
        order = Qt.SortOrder.DescendingOrder if self.descending_check.isChecked() else Qt.SortOrder.AscendingOrder
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    # --- selection ------------------------------------------------------------------------------

    def selected_ticket_ids(self) -> list[uuid.UUID]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_object(row).id for row in rows]

    def current_ticket_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        if index.isValid() and index.row() < self.model.rowCount():
            return self.model.row_object(index.row()).id
        return None

    def selected_ticket(self) -> TicketRead | None:
        index = self.table.currentIndex()
        if index.isValid() and self.table.selectionModel().isRowSelected(index.row()):
            return self.model.row_object(index.row())
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def select_tickets(self, ticket_ids: list[uuid.UUID], current: uuid.UUID | None = None) -> int:
        """Select the rows of these tickets among the loaded rows; returns how many were found.

        The row of `current` (else the first selected row) becomes the keyboard's row.
        """
        wanted = set(ticket_ids)
        selection = self.table.selectionModel()
        selection.clearSelection()
        rows = [row for row in range(self.model.rowCount()) if self.model.row_object(row).id in wanted]
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.setCurrentIndex(self.model.index(row, 0), flags)
        focus = next((r for r in rows if self.model.row_object(r).id == current), rows[0] if rows else None)
        if focus is not None:
            selection.setCurrentIndex(self.model.index(focus, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        return len(rows)

    def select_ticket(self, ticket_id: uuid.UUID) -> bool:
        found = self.select_tickets([ticket_id], ticket_id) > 0
        if found:
            self.table.scrollTo(self.table.currentIndex())
        return found

    def _update_buttons(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.open_button.setEnabled(selected)
        self.assign_button.setEnabled(selected)

    def showEvent(self, event: QShowEvent) -> None:
        """The list loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()
        self.sla_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.sla_timer.stop()

    # --- commands -------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        self.ticketOpened.emit(self.model.row_object(index.row()).id)

    def open_selected(self) -> None:
        ticket = self.selected_ticket()
        if ticket is not None:
            self.ticketOpened.emit(ticket.id)

    def show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    def assign_selected(self) -> None:
        """Bulk assign: the selected tickets go to one technician; the list says how many moved."""
        ids = self.selected_ticket_ids()
        if not ids or not self.can_assign:
            return
        dialog = AssignDialog(self.ctx, ids, parent=self)
        if not dialog.exec() or dialog.assigned is None:
            return
        count = dialog.assigned
        text = ngettext(
            "{n} ticket assigned to {name}.", "{n} tickets assigned to {name}.", count
        ).format(n=count, name=dialog.technician_name())
        if count < len(ids):
            rest = len(ids) - count
            text += " " + ngettext(
                "{n} was already theirs, or is no longer open.",
                "{n} were already theirs, or are no longer open.",
                rest,
            ).format(n=rest)
        self.show_notice(text)
        self._load(keep=ids, previous=self.filters)

    def print_day(self) -> None:
        """The day's work orders of one technician in one PDF, previewed before printing."""
        dialog = DayWorkOrdersDialog(self.ctx, parent=self)
        technician = self.technician_filter.currentData()
        if technician is None and self.view() == VIEW_MINE and self.ctx.user is not None:
            technician = self.ctx.user.id
        if technician is not None:
            select_data(dialog.technician_combo, technician)
        if not dialog.exec() or dialog.pdf is None:
            return
        from ui.shared.pdf_preview import PdfPreviewDialog

        name = f"work-orders-{dialog.day().isoformat()}.pdf"
        title = _("Work orders of {name} for {day}").format(name=dialog.technician_name(), day=dialog.day().isoformat())
        PdfPreviewDialog(dialog.pdf, name, title, self).exec()


class DayWorkOrdersDialog(FormDialog):
    """Choose the technician and the day; `pdf` holds the work orders after OK."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="dayWorkOrdersDialog",
            title=_("Print a day's work orders"),
            note=_(
                "One PDF with the work orders of the technician's open tickets and of those resolved that day."
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.pdf: bytes | None = None
        self.technician_combo = assignee_combo(ctx, "dayTechnicianCombo")
        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("dayDateEdit")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setDate(qdate(ctx.now().astimezone(CHINA_TZ).date()))
        form = QFormLayout()
        self.add_row(form, _("Technician"), "assignee_id", self.technician_combo)
        self.add_row(form, _("Day"), "day", self.day_edit)
        self.main_layout.addLayout(form)
        self.finish(_("Preview"), "previewButton")
        self.setMinimumWidth(420)
        self.technician_combo.setFocus()

    def day(self) -> date:
        value: date = self.day_edit.date().toPython()
        return value

    def technician_name(self) -> str:
        return self.technician_combo.currentText()

    def save(self) -> None:
        from app.services import ticket_documents

        assignee_id, day = self.technician_combo.currentData(), self.day()

        def build() -> bytes:
            if assignee_id is None:
                raise ValidationError.single("assignee_id", _("Choose the technician first."))
            return ticket_documents.technician_day_work_orders(self.ctx, assignee_id, day, page_size="A4")

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.pdf = self.submit(build)
        finally:
            QGuiApplication.restoreOverrideCursor()
