"""Small input and display pieces the customer and device screens share.

Dates that may be unset, money typed in yuan and kept in fen, list tables set up one way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from app.i18n import _

# QDateEdit shows its special "not set" text at its minimum date.
_NOT_SET = QDate(1900, 1, 1)
MAX_YUAN = 1_000_000.0


def money_text(fen: int | None) -> str:
    """Integer fen as people read money: ¥1,299.00."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def find_data(combo: QComboBox, data: Any) -> int:
    """The index of the entry holding `data`, compared by value (findData compares identity
    for Python objects such as UUIDs), or -1."""
    for index in range(combo.count()):
        if combo.itemData(index) == data:
            return index
    return -1


def select_data(combo: QComboBox, data: Any) -> None:
    """Choose the entry holding `data` (the first entry when none does)."""
    combo.setCurrentIndex(max(0, find_data(combo, data)))


def push_button(name: str, text: str, slot: Callable[[], Any] | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    if slot is not None:
        button.clicked.connect(lambda _checked=False: slot())
    return button


def shortcut_action(
    parent: QWidget, name: str, text: str, keys: list[QKeySequence | str], slot: Callable[[], Any]
) -> QAction:
    """A keyboard command of a page: active while the page is shown in the active window."""
    action = QAction(text, parent)
    action.setObjectName(name)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    parent.addAction(action)
    return action


def list_table(name: str, *, multi: bool = False) -> QTableView:
    """A read-only table of records: whole rows selected, columns sized to their contents."""
    table = QTableView()
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    return table


def fit_columns(table: QTableView, most: int = 320) -> None:
    """Size columns to what they show now plus some air, none wider than `most` pixels.

    A stretched last column is measured without its stretch and then stretched again, so that it
    fills the table without pushing it into a horizontal scroll bar.
    """
    header = table.horizontalHeader()
    stretch = header.stretchLastSection()
    header.setStretchLastSection(False)
    table.resizeColumnsToContents()
    air = table.fontMetrics().horizontalAdvance("M") * 2
    for column in range(header.count()):
        header.resizeSection(column, min(header.sectionSize(column) + air, most))
    header.setStretchLastSection(stretch)


class OptionalDateEdit(QWidget):
    """A date that may be left unset: a check box turns the date on, unchecked means "not set"."""

    def __init__(self, name: str, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        base = name.removesuffix("Edit")
        self.check = QCheckBox()
        self.check.setObjectName(f"{base}Check")
        self.check.setToolTip(_("Tick to enter a date"))
        self.edit = QDateEdit()
        self.edit.setObjectName(f"{base}DateEdit")
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(_NOT_SET)
        self.edit.setSpecialValueText(_("not set"))
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 48)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        self.check.toggled.connect(self._toggled)
        self.set_date(value)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and self.edit.date() == _NOT_SET:
            self.edit.setDate(QDate.currentDate())
        elif not on:
            self.edit.setDate(_NOT_SET)
        if on:
            self.edit.setFocus()

    def set_date(self, value: date | None) -> None:
        self.check.blockSignals(True)
        self.check.setChecked(value is not None)
        self.check.blockSignals(False)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(qdate(value) if value is not None else _NOT_SET)

    def date(self) -> date | None:
        if not self.check.isChecked() or self.edit.date() == _NOT_SET:
            return None
        value: date = self.edit.date().toPython()
        return value


class YuanSpinBox(QDoubleSpinBox):
    """Money typed in yuan with two decimals; the program keeps integer fen."""

    def __init__(self, name: str, fen: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setDecimals(2)
        self.setRange(0.0, MAX_YUAN)
        self.setPrefix("¥ ")
        self.setGroupSeparatorShown(True)
        self.setSingleStep(10.0)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.set_fen(fen)

    def set_fen(self, fen: int) -> None:
        self.setValue(fen / 100)

    def fen(self) -> int:
        return round(self.value() * 100)


def value_label(name: str) -> QLabel:
    """A read-only value on a detail page: selectable, so it can be copied."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


TONES = ("muted", "note", "error", "success", "banner")


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour a label by what it says (resources/styles/app.qss styles each `tone`)."""
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}")
    if widget.property("tone") == tone:
        return
    widget.setProperty("tone", tone)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
