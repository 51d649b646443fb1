"""The global search's result list: a popup under the search box that never takes its focus."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.search import SearchHit, SearchKind, SearchResults
from app.services import search

DEBOUNCE_MS = 150
RESULTS_PER_KIND = 8
MIN_WIDTH = 480
MAX_HEIGHT = 440
HIT_ROLE = Qt.ItemDataRole.UserRole


class SearchPopup(QFrame):
    """Results grouped by kind under `line_edit`; typing stays in the line edit.

    The line edit keeps the keyboard: Up and Down move through the hits, Enter opens the current
    one, Esc closes the list. Typing searches after a short pause; Enter on an exact SN, terminal
    no. or merchant no. (a barcode scanner types the SN and Enter at once) opens it without waiting.
    """

    merchantChosen = Signal(object)  # noqa: N815 - Qt naming
    terminalChosen = Signal(object)  # noqa: N815
    ticketChosen = Signal(object)  # noqa: N815

    def __init__(self, line_edit: QLineEdit, ctx: Context, parent: QWidget | None = None) -> None:
        # A child of the window drawn over its content, not a window of its own: a separate
        # window (Qt.Popup, or even a Tool window) can take activation and with it the focus
        # of the line edit, and a scanner's keystrokes would land in the wrong place.
        super().__init__(parent or line_edit.window())
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        self.line_edit = line_edit
        self.ctx = ctx
        self.results: SearchResults | None = None

        self.list = QListWidget(self)
        self.list.setObjectName("searchResults")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(False)
        self.list.itemClicked.connect(self._item_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

        self.timer = QTimer(self)
        self.timer.setObjectName("searchDebounce")
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)

        line_edit.textChanged.connect(self._text_changed)
        line_edit.installEventFilter(self)
        self._window = self.window()
        self._window.installEventFilter(self)

    def set_context(self, ctx: Context) -> None:
        """Search as another user from now on (after signing in again)."""
        self.ctx = ctx
        self.results = None

    # --- searching ---------------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        if not text.strip():
            self.timer.stop()
            self.results = None
            self.hide()
            return
        self.timer.start()

    def run_search(self) -> None:
        """Search for the line edit's text now and show what was found."""
        self.timer.stop()
        text = self.line_edit.text()
        if not text.strip():
            self.hide()
            return
        try:
            results = search.search(self.ctx, text, limit=RESULTS_PER_KIND)
        except AppError as exc:
            self.results = None
            self._fill_message(str(exc))
            return
        self.results = results
        self._fill(results)

    def _fill(self, results: SearchResults) -> None:
        self.list.clear()
        groups = (
            (_("Repair tickets"), results.tickets),
            (_("Merchants"), results.merchants),
            (_("Terminals"), results.terminals),
        )
        for heading, hits in groups:
            if not hits:
                continue
            self.list.addItem(self._heading(heading))
            for hit in hits:
                item = QListWidgetItem(f"{hit.title}    {hit.subtitle}" if hit.subtitle else hit.title)
                item.setData(HIT_ROLE, hit)
                item.setToolTip(hit.subtitle)
                self.list.addItem(item)
        if not results.hits:
            self._fill_message(_("Nothing found for “{text}”.").format(text=results.text.strip()))
            return
        self._show_under_line_edit()

    def _fill_message(self, message: str) -> None:
        self.list.clear()
        item = QListWidgetItem(message)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.list.addItem(item)
        self._show_under_line_edit()

    @staticmethod
    def _heading(text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # shown normally, never selected
        return item

    def _show_under_line_edit(self) -> None:
        rows = sum(max(self.list.sizeHintForRow(i), 1) for i in range(self.list.count()))
        frame = 2 * (self.list.frameWidth() + self.frameWidth())
        width = max(self.line_edit.width(), MIN_WIDTH)
        host = self.parentWidget()
        top_left = QPoint(0, self.line_edit.height())
        if host is not None:
            top_left = self.line_edit.mapTo(host, top_left)
            width = max(1, min(width, host.width() - top_left.x()))
            available = max(host.height() - top_left.y(), 2 * self.list.sizeHintForRow(0))
        else:
            available = MAX_HEIGHT
        self.setGeometry(top_left.x(), top_left.y(), width, min(rows + frame + 4, MAX_HEIGHT, available))
        self.show()
        self.raise_()

    # --- the hits --------------------------------------------------------------------------

    def hit_rows(self) -> list[int]:
        return [i for i in range(self.list.count()) if self.list.item(i).data(HIT_ROLE) is not None]

    def current_hit(self) -> SearchHit | None:
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        hit = item.data(HIT_ROLE)
        return hit if isinstance(hit, SearchHit) else None

    def move_selection(self, step: int) -> None:
        """Select the next (step 1) or previous (step -1) hit, skipping the headings."""
        rows = self.hit_rows()
        if not rows:
            return
        current = self.list.currentRow() if self.current_hit() is not None else None
        if current is None or current not in rows:
            target = rows[0] if step > 0 else rows[-1]
        else:
            index = max(0, min(len(rows) - 1, rows.index(current) + step))
            target = rows[index]
        self.list.setCurrentRow(target)
        self.list.scrollToItem(self.list.item(target))

    def activate(self) -> None:
        """Enter: open the chosen hit, or an exact number match, or the best hit."""
        text = self.line_edit.text()
        if not text.strip():
            return
        current = self.results is not None and self.results.text == text and not self.timer.isActive()
        if current and self.isVisible():
            hit = self.current_hit()
            if hit is not None:
                self.open_hit(hit)
                return
        # A scanner's SN + Enter comes before the pause that starts a search.
        try:
            exact = search.exact_match(self.ctx, text)
        except AppError as exc:
            self._fill_message(str(exc))
            return
        if exact is not None:
            self.open_hit(exact)
            return
        if not current:
            self.run_search()
            return
        hits = self.results.hits if self.results is not None else []
        if len(hits) == 1:
            self.open_hit(hits[0])
        elif hits:
            self._show_under_line_edit()
            self.move_selection(1)

    def open_hit(self, hit: SearchHit) -> None:
        self.timer.stop()
        self.hide()
        self.line_edit.selectAll()  # the next scan replaces the text
        record_id: uuid.UUID = hit.record_id
        if hit.kind == SearchKind.MERCHANT:
            self.merchantChosen.emit(record_id)
        elif hit.kind == SearchKind.TICKET:
            self.ticketChosen.emit(record_id)
        else:
            self.terminalChosen.emit(record_id)

    def _item_clicked(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.open_hit(hit)

    # --- keys on the line edit --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.line_edit:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._key(event)
            if event.type() == QEvent.Type.FocusOut:
                self.hide()
        elif watched is self._window and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.WindowDeactivate,
        ):
            self.hide()
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            if not self.isVisible():
                if self.results is None or self.results.text != self.line_edit.text():
                    self.run_search()
                elif self.list.count():
                    self._show_under_line_edit()
            self.move_selection(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate()
            return True
        if key == Qt.Key.Key_Escape and self.isVisible():
            self.timer.stop()
            self.hide()
            return True
        return False


def attach_search(line_edit: QLineEdit, ctx: Context, parent: QWidget) -> SearchPopup:
    """Give `line_edit` the global search: debounced results, keys, scanner input.

    Connect the popup's merchantChosen and terminalChosen (each with the record's uuid) to open it.
    """
    return SearchPopup(line_edit, ctx, parent)
