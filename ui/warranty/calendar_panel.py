"""Warranty > Working calendar: a year's days off and working days, and this center's exceptions.

Response and resolution targets counted in working hours skip the days off shown here. The
national calendar is known only for some years; outside them the panel says so plainly, because
then only weekends count as days off until a supervisor marks the holidays.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.warranty import CalendarExceptionRead
from app.rules.permissions import Action, allowed
from app.rules.workcal import FIRST_KNOWN_YEAR, LAST_KNOWN_YEAR, WorkingCalendar
from app.services import warranty
from ui.shared import dialogs
from ui.shared.form_dialog import line_edit
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import (
    date_text,
    fit_columns,
    list_table,
    push_button,
    qdate,
    set_tone,
    shortcut_action,
)

FIRST_YEAR, LAST_YEAR = 2000, 2099
DAY_OFF_COLOUR = QColor("#cf222e")
EXCEPTION_COLOUR = QColor("#fff1a8")

def kind_text(is_workday: bool) -> str:
    return _("working day") if is_workday else _("day off")


EXCEPTION_COLUMNS: list[Column[CalendarExceptionRead]] = [
    Column(lambda: _("Date"), lambda e: date_text(e.day)),
    Column(lambda: _("Marked as"), lambda e: kind_text(e.is_workday)),
    Column(lambda: _("Note"), lambda e: e.note),
]


def fallback_warning(year: int) -> str:
    return _(
        "The national holiday calendar for {year} is not known to this program: only weekends "
        "count as days off. Mark the public holidays and make-up working days (调休) from the "
        "State Council's notice here."
    ).format(year=year)


class CalendarPanel(QWidget):
    """The year's calendar beside the list of its exceptions; editing for CALENDAR_EDIT only."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CalendarPanel")
        self.ctx = ctx
        self.can_edit = ctx.user is not None and allowed(ctx.user.role, Action.CALENDAR_EDIT)
        self.calendar_rules = WorkingCalendar()
        self._exceptions: list[CalendarExceptionRead] = []
        today = warranty.today(ctx)

        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("calendarYearSpin")
        self.year_spin.setRange(FIRST_YEAR, LAST_YEAR)
        self.year_spin.setValue(today.year)
        self.year_spin.setKeyboardTracking(False)
        self.legend_label = QLabel()
        self.legend_label.setObjectName("calendarLegend")
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setText(
            _("<span style='color:{red}'>Red</span>: day off. "
              "<span style='background:{yellow}'>Marked</span>: a local exception.").format(
                red=DAY_OFF_COLOUR.name(), yellow=EXCEPTION_COLOUR.name()
            )
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year:")))
        top.addWidget(self.year_spin)
        top.addSpacing(24)
        top.addWidget(self.legend_label)
        top.addStretch(1)

        self.warning_label = QLabel()
        self.warning_label.setObjectName("calendarFallbackWarning")
        self.warning_label.setWordWrap(True)
        set_tone(self.warning_label, "banner")
        self.warning_label.hide()

        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("workCalendar")
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumSize(440, 300)
        # Weekends are not red by themselves: the working calendar says which days are off.
        plain = QTextCharFormat()
        plain.setForeground(QBrush(self.palette().text().color()))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(day, plain)
        self.day_label = QLabel()
        self.day_label.setObjectName("selectedDayLabel")
        self.day_label.setWordWrap(True)
        self.note_edit = line_edit(
            "exceptionNoteEdit", placeholder=_("Note, e.g. National Day holiday (optional)")
        )
        self.note_edit.setMaxLength(100)
        self.workday_button = push_button(
            "markWorkdayButton", _("Mark as working day"), lambda: self.mark(True)
        )
        self.day_off_button = push_button("markDayOffButton", _("Mark as day off"), lambda: self.mark(False))
        self.remove_button = push_button("removeExceptionButton", _("Remove exception"), self.remove)
        buttons = QHBoxLayout()
        for button in (self.workday_button, self.day_off_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.read_only_label = QLabel(_("Only a supervisor or an administrator can change the calendar."))
        self.read_only_label.setObjectName("calendarReadOnlyLabel")
        self.read_only_label.setWordWrap(True)
        for widget in (self.note_edit, self.workday_button, self.day_off_button, self.remove_button):
            widget.setVisible(self.can_edit)
        self.read_only_label.setVisible(not self.can_edit)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.calendar, 1)
        left_layout.addWidget(self.day_label)
        left_layout.addWidget(self.note_edit)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.read_only_label)

        self.exceptions_box = QGroupBox()
        self.exceptions_box.setObjectName("calendarExceptionsBox")
        self.model = PagedTableModel(EXCEPTION_COLUMNS, self._fetch)
        self.table = list_table("calendarExceptionTable")
        self.table.setModel(self.model)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("calendarExceptionsEmpty")
        self.empty_label.setWordWrap(True)
        box_layout = QVBoxLayout(self.exceptions_box)
        box_layout.addWidget(self.empty_label)
        box_layout.addWidget(self.table, 1)

        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        body = QHBoxLayout()
        body.addWidget(left, 3)
        body.addSpacing(12)
        body.addWidget(self.exceptions_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addLayout(body, 1)

        self._show_year(today.year, today)
        self.year_spin.valueChanged.connect(lambda year: self.set_year(year))
        self.calendar.selectionChanged.connect(self._day_changed)
        self.calendar.currentPageChanged.connect(self._page_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._row_chosen())
        shortcut_action(self, "reloadCalendarAction", _("Reload"), ["F5"], self.reload)

    # --- loading --------------------------------------------------------------------------------

    def _fetch(self, offset: int, limit: int) -> tuple[list[CalendarExceptionRead], int]:
        return self._exceptions[offset : offset + limit], len(self._exceptions)

    def year(self) -> int:
        return self.year_spin.value()

    def set_year(self, year: int) -> None:
        """Show `year`, the same day and month chosen in it where it exists."""
        if self.year_spin.value() != year:
            self.year_spin.setValue(year)  # comes back here through valueChanged
            return
        chosen: date = self.calendar.selectedDate().toPython()
        try:
            day = chosen.replace(year=year)
        except ValueError:  # 29 February
            day = date(year, 2, 28)
        self._show_year(year, day)
        self.reload()

    def _show_year(self, year: int, day: date) -> None:
        self.calendar.blockSignals(True)
        self.calendar.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
        self.calendar.setSelectedDate(qdate(day))
        self.calendar.setCurrentPage(year, day.month)
        self.calendar.blockSignals(False)
        unknown = not FIRST_KNOWN_YEAR <= year <= LAST_KNOWN_YEAR
        self.warning_label.setText(fallback_warning(year) if unknown else "")
        self.warning_label.setVisible(unknown)
        self.exceptions_box.setTitle(_("Local exceptions in {year}").format(year=year))

    def reload(self) -> None:
        """Read the exceptions and the calendar again and paint the year."""
        try:
            self._exceptions = warranty.list_calendar_exceptions(self.ctx, self.year())
            self.calendar_rules = warranty.working_calendar(self.ctx)
            self.model.reload()
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        count = len(self._exceptions)
        self.empty_label.setText(
            _("No local exceptions: the national calendar applies as it is.")
            if not count
            else ngettext("{n} day marked here.", "{n} days marked here.", count).format(n=count)
        )
        fit_columns(self.table)
        self._paint()
        self._day_changed()

    def _paint(self) -> None:
        """Days off in red, local exceptions on yellow, for the whole year shown."""
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # forget the last year's
        marked = {e.day for e in self._exceptions}
        day, last = date(self.year(), 1, 1), date(self.year(), 12, 31)
        while day <= last:
            fmt = QTextCharFormat()
            if not self.calendar_rules.is_workday(day):
                fmt.setForeground(QBrush(DAY_OFF_COLOUR))
            if day in marked:
                fmt.setBackground(QBrush(EXCEPTION_COLOUR))
                fmt.setFontWeight(700)
            if fmt.properties():
                self.calendar.setDateTextFormat(qdate(day), fmt)
            day += timedelta(days=1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    # --- the chosen day -------------------------------------------------------------------------

    def selected_day(self) -> date:
        value: date = self.calendar.selectedDate().toPython()
        return value

    def select_day(self, day: date) -> None:
        self.calendar.setSelectedDate(qdate(day))
        self.calendar.setCurrentPage(day.year, day.month)

    def _exception(self, day: date) -> CalendarExceptionRead | None:
        return next((e for e in self._exceptions if e.day == day), None)

    def _day_changed(self) -> None:
        day = self.selected_day()
        exception = self._exception(day)
        kind = kind_text(self.calendar_rules.is_workday(day))
        if exception is not None:
            text = _("{date}: {kind}, marked here").format(date=day.isoformat(), kind=kind)
            if exception.note:
                text += f" ({exception.note})"
        elif FIRST_KNOWN_YEAR <= day.year <= LAST_KNOWN_YEAR:
            text = _("{date}: {kind} by the national calendar").format(date=day.isoformat(), kind=kind)
        else:
            text = _("{date}: {kind} by the weekend rule").format(date=day.isoformat(), kind=kind)
        self.day_label.setText(text)
        self.note_edit.setText(exception.note if exception else "")
        self.remove_button.setEnabled(exception is not None)
        for row, item in enumerate(self._exceptions):
            if item.day == day:
                self.table.selectRow(row)
                break
        else:
            self.table.clearSelection()

    def _page_changed(self, year: int, _month: int) -> None:
        # The navigation arrows stay inside the year; this only guards other ways of paging.
        if year != self.year():
            self.set_year(year)

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            day = self.model.row_object(rows[0].row()).day
            if day != self.selected_day():
                self.select_day(day)

    # --- changes --------------------------------------------------------------------------------

    def mark(self, is_workday: bool) -> None:
        """Mark the chosen day as a working day or a day off, over the national calendar."""
        if not self.can_edit:
            return
        day = self.selected_day()
        try:
            warranty.save_calendar_exception(self.ctx, day, is_workday, self.note_edit.text())
        except AppError as exc:
            dialogs.warn(self, _("Cannot change the calendar"), str(exc))
        self.reload()

    def remove(self) -> None:
        """The chosen day follows the national calendar (or the weekend rule) again."""
        if not self.can_edit:
            return
        try:
            warranty.delete_calendar_exception(self.ctx, self.selected_day())
        except AppError as exc:
            dialogs.warn(self, _("Cannot change the calendar"), str(exc))
        self.reload()
