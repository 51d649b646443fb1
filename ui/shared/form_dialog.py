"""The base of every form dialog: fields, one service call, its errors next to the fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pydantic
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from ui.shared.form_errors import FormErrors

T = TypeVar("T")


def line_edit(name: str, text: str = "", *, placeholder: str = "", password: bool = False) -> QLineEdit:
    """A QLineEdit with its objectName; `password` hides what is typed."""
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class FormDialog(QDialog):
    """Subclasses add their rows, call `finish()`, and run their service through `submit()`."""

    def __init__(
        self,
        *,
        object_name: str,
        title: str,
        note: str = "",
        error_name: str = "formError",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.main_layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setObjectName("formNote")
            label.setWordWrap(True)
            self.main_layout.addWidget(label)
        self.error_label = QLabel()
        self.error_label.setObjectName(error_name)
        self.errors = FormErrors(self.error_label)
        self.last_error: AppError | None = None

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        """A labelled input with room for its error sentence under it."""
        form.addRow(label, self.errors.field(field, widget))

    def finish(self, ok_text: str = "", ok_name: str = "saveButton") -> QPushButton:
        """Add the general error line and the OK/Cancel buttons; returns the OK button."""
        self.main_layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Save)
        ok.setObjectName(ok_name)
        if ok_text:
            ok.setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.main_layout.addWidget(buttons)
        return ok

    def save(self) -> None:
        """What the OK button does; subclasses call `submit()` here."""
        raise NotImplementedError

    def submit(self, action: Callable[[], T]) -> T | None:
        """Run one service call; accept on success, else show why and keep what was typed."""
        self.errors.clear()
        self.last_error = None
        try:
            try:
                result = action()
            except pydantic.ValidationError as exc:  # a schema built from the fields refused them
                raise ValidationError.from_schema(exc) from exc
        except ValidationError as exc:
            self.last_error = exc
            self.errors.show(exc)
            return None
        except AppError as exc:
            self.last_error = exc
            self.errors.show_message(str(exc))
            return None
        self.accept()
        return result
