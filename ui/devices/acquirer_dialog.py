"""Add an acquirer to the list, or rename one."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from app.context import Context
from app.i18n import _
from app.models.catalogue import AcquirerRead
from app.services import catalogue
from ui.shared.form_dialog import FormDialog, line_edit


class AcquirerDialog(FormDialog):
    def __init__(
        self, ctx: Context, acquirer: AcquirerRead | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            object_name="AcquirerDialog",
            title=_("New acquirer") if acquirer is None else _("Rename acquirer"),
            parent=parent,
        )
        self.ctx = ctx
        self.acquirer = acquirer
        self.result_acquirer: AcquirerRead | None = None
        self.name_edit = line_edit("acquirerNameEdit", acquirer.name if acquirer else "")
        form = QFormLayout()
        self.add_row(form, _("Name"), "name", self.name_edit)
        self.main_layout.addLayout(form)
        self.finish()
        self.setMinimumWidth(380)

    def save(self) -> None:
        acquirer, name = self.acquirer, self.name_edit.text()
        self.result_acquirer = self.submit(
            lambda: catalogue.save_acquirer(
                self.ctx,
                name,
                acquirer_id=acquirer.id if acquirer else None,
                active=acquirer.active if acquirer else True,
            )
        )
