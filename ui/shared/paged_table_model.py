"""The one recipe for list screens: columns, lazy pages from a service, sort and object roles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

T = TypeVar("T")

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """A column: its header (a function, so it follows the language) and how to show a row."""

    header: Callable[[], str]
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None


class PagedTableModel(QAbstractTableModel, Generic[T]):
    """Rows come from `fetch_page(offset, limit) -> (rows, total)`, one page at a time."""

    PAGE_SIZE = 200

    def __init__(
        self,
        columns: Sequence[Column[T]],
        fetch_page: Callable[[int, int], tuple[list[T], int]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch_page = fetch_page
        self._rows: list[T] = []
        self._total = 0

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Drop the rows and load the first page again (after a filter or an edit)."""
        rows, total = self._fetch_page(0, self.PAGE_SIZE)  # may raise: the old rows stay
        self.beginResetModel()
        self._rows, self._total = list(rows), total
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid():
            return
        start = len(self._rows)
        rows, total = self._fetch_page(start, self.PAGE_SIZE)
        self._total = total
        if not rows:
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    # --- reading --------------------------------------------------------------------------------

    def total(self) -> int:
        return self._total

    def row_object(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        obj = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(obj)
        if role == SortRole:
            return column.sort_key(obj) if column.sort_key else column.text(obj)
        if role == ObjectRole:
            return obj
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header()
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
