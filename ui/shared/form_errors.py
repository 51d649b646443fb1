"""Shows a service's field errors next to the fields; what the person typed stays."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from app.errors import ValidationError


class FormErrors:
    """Maps field names to their input widgets and an error label under each."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        general.setObjectName(general.objectName() or "formError")
        general.setWordWrap(True)
        general.hide()

    def add(self, field: str, widget: QWidget) -> QLabel:
        """Register a field; returns the label to place under the widget."""
        label = QLabel()
        label.setObjectName(f"{field}Error")
        label.setProperty("role", "fieldError")
        label.setWordWrap(True)
        label.hide()
        self._fields[field] = (widget, label)
        return label

    def field(self, field: str, widget: QWidget) -> QWidget:
        """The input widget with its error label under it, to place as one form row."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.add(field, widget))
        return box

    def clear(self) -> None:
        for widget, label in self._fields.values():
            widget.setProperty("invalid", False)
            widget.style().polish(widget)
            label.clear()
            label.hide()
        self._general.clear()
        self._general.hide()

    def show(self, error: ValidationError) -> None:
        self.clear()
        first: QWidget | None = None
        leftovers: list[str] = []
        for field, reason in error.fields.items():
            if field in self._fields:
                widget, label = self._fields[field]
                widget.setProperty("invalid", True)
                widget.style().polish(widget)
                label.setText(reason)
                label.show()
                first = first or widget
            else:
                leftovers.append(reason)
        if leftovers:
            self.show_message("\n".join(leftovers))
        if first is not None:
            first.setFocus()
        self._fit_dialog()

    def _fit_dialog(self) -> None:
        """A dialog grows so that wrapped error sentences are not cut off."""
        window = self._general.window()
        if isinstance(window, QDialog):
            window.adjustSize()

    def show_message(self, text: str) -> None:
        self._general.setText(text)
        self._general.show()
        self._fit_dialog()

    def message(self, field: str) -> str:
        return self._fields[field][1].text()
