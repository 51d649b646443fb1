"""The parts lines of a ticket's work as an editable table: part, quantity, unit price, covered, amount."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.i18n import _
from app.models.ticket import TicketPartLine
from ui.shared.widgets import YuanSpinBox, money_text

Index = QModelIndex | QPersistentModelIndex

PART, QUANTITY, UNIT_PRICE, COVERED, AMOUNT = range(5)
# What the service accepts (app.services.tickets._check_parts); the editors stay inside it.
MAX_NAME = 60
MAX_QUANTITY = 999
MAX_PRICE_YUAN = 100_000.0


@dataclass
class PartRow:
    """One line being edited; becomes a TicketPartLine when the work is saved."""

    part_name: str = ""
    quantity: int = 1
    unit_price_fen: int = 0
    covered: bool = False

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


class PartsTableModel(QAbstractTableModel):
    """Editable lines; `edited` fires on every change so the page can recompute the total."""

    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PartRow] = []
        self._parts_free = False

    # --- the lines ------------------------------------------------------------------------------

    def set_lines(self, lines: list[TicketPartLine]) -> None:
        self.beginResetModel()
        self._rows = [PartRow(p.part_name, p.quantity, p.unit_price_fen, p.covered) for p in lines]
        self.endResetModel()

    def lines(self) -> list[TicketPartLine]:
        """The lines as typed; the service checks them and names the line that is wrong."""
        return [
            TicketPartLine(
                part_name=r.part_name.strip()[:MAX_NAME],
                quantity=r.quantity,
                unit_price_fen=r.unit_price_fen,
                covered=r.covered,
            )
            for r in self._rows
        ]

    def set_parts_free(self, free: bool) -> None:
        """Whether the ticket's coverage makes every part free (then no line is charged)."""
        if free != self._parts_free:
            self._parts_free = free
            if self._rows:
                self.dataChanged.emit(self.index(0, COVERED), self.index(len(self._rows) - 1, COVERED))

    def rows(self) -> list[PartRow]:
        return list(self._rows)

    def add_line(self, covered: bool = False) -> int:
        """Append an empty line; returns its row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(PartRow(covered=covered))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_lines(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        self.edited.emit()

    # --- the model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 5

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        headers = {
            PART: _("Part"),
            QUANTITY: _("Qty"),
            UNIT_PRICE: _("Unit price"),
            COVERED: _("Covered"),
            AMOUNT: _("Amount"),
        }
        return headers.get(section)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COVERED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == AMOUNT:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                PART: row.part_name,
                QUANTITY: str(row.quantity),
                UNIT_PRICE: money_text(row.unit_price_fen),
                COVERED: self._covered_text(row),
                AMOUNT: money_text(row.amount_fen),
            }[column]
        if role == Qt.ItemDataRole.EditRole:
            return {
                PART: row.part_name,
                QUANTITY: row.quantity,
                UNIT_PRICE: row.unit_price_fen / 100,
                COVERED: row.covered,
                AMOUNT: row.amount_fen / 100,
            }[column]
        if role == Qt.ItemDataRole.CheckStateRole and column == COVERED:
            return Qt.CheckState.Checked if row.covered else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (QUANTITY, UNIT_PRICE, AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == COVERED:
            return _("Ticked: the customer does not pay for this line")
        return None

    def _covered_text(self, row: PartRow) -> str:
        if row.covered:
            return _("covered")
        return _("free by coverage") if self._parts_free else _("charged")

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row, column = self._rows[index.row()], index.column()
        if column == COVERED and role == Qt.ItemDataRole.CheckStateRole:
            row.covered = _check_state(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column == PART:
            row.part_name = str(value or "")[:MAX_NAME]
        elif column == QUANTITY:
            number = _number(value)
            if number is None:
                return False
            row.quantity = int(number)
        elif column == UNIT_PRICE:
            number = _number(value)
            if number is None:
                return False
            row.unit_price_fen = round(number * 100)
        elif column == COVERED:
            row.covered = bool(value)
        else:
            return False
        last = self.index(index.row(), AMOUNT)
        self.dataChanged.emit(self.index(index.row(), 0), last)
        self.edited.emit()
        return True


def _check_state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    return Qt.CheckState(int(value))


def _number(value: Any) -> float | None:
    """A number typed in a cell; full-width digits and a ¥ sign are allowed."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value or "").translate(_FULL_WIDTH).replace("¥", "").replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


_FULL_WIDTH = {ord("０") + n: ord("0") + n for n in range(10)} | {ord("．"): ord(".")}


class PartsDelegate(QStyledItemDelegate):
    """Editors that fit the service's limits: a part name of 60 characters, 1–999 pieces, yuan."""

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        column = index.column()
        if column == PART:
            edit = QLineEdit(parent)
            edit.setObjectName("partNameEditor")
            edit.setMaxLength(MAX_NAME)
            edit.setFrame(False)
            return edit
        if column == QUANTITY:
            spin = QSpinBox(parent)
            spin.setObjectName("partQuantityEditor")
            spin.setRange(1, MAX_QUANTITY)
            spin.setFrame(False)
            return spin
        if column == UNIT_PRICE:
            money = YuanSpinBox("partPriceEditor", parent=parent)
            money.setMaximum(MAX_PRICE_YUAN)
            money.setFrame(False)
            return money
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, YuanSpinBox):
            editor.setValue(float(value or 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 1))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if isinstance(editor, YuanSpinBox | QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value())
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())
        else:
            super().setModelData(editor, model, index)
