"""A ticket's attachments as thumbnails: photos of the damage, proof of purchase, signed work orders.

Files are copied into the data folder by the service; a double-click (or Enter) opens the stored
copy with the system's viewer.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _, ngettext
from app.models.ticket import AttachmentKind, TicketAttachmentRead
from app.services import attachments
from ui.shared import dialogs
from ui.shared.widgets import push_button, set_tone
from ui.tickets.activity_model import china_time

THUMB = 96
IdRole = Qt.ItemDataRole.UserRole + 1


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return _("{n} KB").format(n=max(1, round(size / 1024)))
    return _("{n} MB").format(n=round(size / 1024 / 1024, 1))


def thumbnail(path: str) -> QPixmap | None:
    """A small picture of an image file, decoded at thumbnail size (a 12 MB photo stays cheap)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)


class AttachmentsPanel(QWidget):
    """`added` fires after a file was attached (the page reloads its activity log)."""

    added = Signal()

    def __init__(self, ctx: Context, ticket_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsPanel")
        self.ctx = ctx
        self.ticket_id = ticket_id
        self.items: list[TicketAttachmentRead] = []

        self.list = QListWidget()
        self.list.setObjectName("attachmentList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 48, THUMB + 44))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(self._activated)
        self.empty_label = QLabel(_("No attachments yet. Add photos of the damage, the proof of purchase or the signed work order."))
        self.empty_label.setObjectName("attachmentsEmptyLabel")
        self.empty_label.setWordWrap(True)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("attachmentKindCombo")
        for kind in AttachmentKind:
            self.kind_combo.addItem(attachments.kind_label(kind), kind.value)
        self.kind_combo.setToolTip(_("What the files you add are"))
        kind_label = QLabel(_("Kind:"))
        kind_label.setBuddy(self.kind_combo)
        self.add_button = push_button("addAttachmentButton", _("Attac&h files…"), self.add_files)
        self.add_button.setToolTip(_("Photos (JPG, PNG, BMP, GIF, WebP) or PDF, at most {most} MB each").format(
            most=attachments.MAX_BYTES // 1024 // 1024
        ))
        self.open_button = push_button("openAttachmentButton", _("Open"), self.open_selected)
        self.open_button.setToolTip(_("Open with the system's viewer (double-click, Enter)"))
        self.error_label = QLabel()
        self.error_label.setObjectName("attachmentError")
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, "error")
        self.error_label.hide()

        bar = QHBoxLayout()
        bar.addWidget(kind_label)
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        self.list.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self._update_buttons()

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        try:
            self.items = attachments.list_attachments(self.ctx, self.ticket_id)
        except AppError as exc:
            self.show_error(str(exc))
            return
        self.list.clear()
        pdf_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        missing_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for item in self.items:
            exists = Path(item.path).is_file()
            icon: QIcon = pdf_icon
            if not exists:
                icon = missing_icon
            elif item.is_image:
                picture = thumbnail(item.path)
                icon = QIcon(picture) if picture is not None else pdf_icon
            entry = QListWidgetItem(icon, self._caption(item))
            entry.setData(IdRole, str(item.id))
            entry.setToolTip(self._tooltip(item, exists))
            self.list.addItem(entry)
        self.empty_label.setVisible(not self.items)
        self._update_buttons()

    def _caption(self, item: TicketAttachmentRead) -> str:
        name = item.original_name or Path(item.stored_name).name
        return self.list.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, THUMB + 40)

    def _tooltip(self, item: TicketAttachmentRead, exists: bool) -> str:
        lines = [
            item.original_name,
            attachments.kind_label(item.kind),
            size_text(item.size_bytes),
            _("Added by {name} on {time}").format(name=item.username or _("system"), time=china_time(item.at)),
        ]
        if not exists:
            lines.append(_("The file is missing from the data folder."))
        return "\n".join(line for line in lines if line)

    def count(self) -> int:
        return self.list.count()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.list.currentItem() is not None)

    def set_editable(self, editable: bool) -> None:
        """Attachments can be added in every state (the signed work order comes after closing)."""
        self.add_button.setEnabled(editable)
        self.kind_combo.setEnabled(editable)

    # --- adding ---------------------------------------------------------------------------------

    def ask_files(self) -> list[str]:
        """Ask which files to attach (tests replace this); empty when the person cancels."""
        paths, _selected = QFileDialog.getOpenFileNames(
            self,
            _("Attach files"),
            str(Path.home()),
            _("Photos and PDF (*.jpg *.jpeg *.png *.bmp *.gif *.webp *.pdf);;All files (*)"),
        )
        return list(paths)

    def kind(self) -> AttachmentKind:
        return AttachmentKind(self.kind_combo.currentData())

    def add_files(self) -> None:
        self.show_error("")
        chosen = self.ask_files()
        if not chosen:
            return
        kind = self.kind()
        problems: list[str] = []
        done = 0
        for path in chosen:
            try:
                attachments.add_attachment(self.ctx, self.ticket_id, path, kind)
            except ValidationError as exc:
                problems.extend(exc.fields.values() or [str(exc)])
            except AppError as exc:
                problems.append(str(exc))
            else:
                done += 1
        if done:
            self.reload()
            self.list.setCurrentRow(self.list.count() - 1)
            self.added.emit()
        if problems:
            head = ""
            if done:
                head = ngettext("{n} file attached; ", "{n} files attached; ", done).format(n=done)
            self.show_error(head + " ".join(problems))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def error_text(self) -> str:
        return self.error_label.text()

    # --- opening --------------------------------------------------------------------------------

    def _activated(self, entry: QListWidgetItem) -> None:
        found = next((a for a in self.items if str(a.id) == entry.data(IdRole)), None)
        if found is None:
            return
        if not Path(found.path).is_file():
            dialogs.warn(self, _("Open attachment"), _("The file of {name} is missing from the data folder.").format(
                name=found.original_name
            ))
            return
        if not self.open_file(found.path):
            dialogs.warn(self, _("Open attachment"), _("No program on this PC opens {name}.").format(
                name=found.original_name
            ))

    def open_selected(self) -> None:
        entry = self.list.currentItem()
        if entry is not None:
            self._activated(entry)

    def open_file(self, path: str) -> bool:
        """Hand the file to the system's viewer (tests replace this)."""
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(path)))
