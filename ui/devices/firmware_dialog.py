"""Record a firmware release of a device model."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QPlainTextEdit,
    QWidget,
)

from app.context import Context
from app.i18n import _
from app.models.catalogue import (
    DeviceModelRead,
    FirmwareReleaseCreate,
    FirmwareReleaseRead,
)
from app.services import catalogue
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import qdate, select_data


class FirmwareDialog(FormDialog):
    def __init__(
        self,
        ctx: Context,
        models: list[DeviceModelRead],
        model_id: object = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            object_name="FirmwareDialog", title=_("New firmware release"), parent=parent
        )
        self.ctx = ctx
        self.result_release: FirmwareReleaseRead | None = None
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("firmwareModelCombo")
        for model in models:
            self.model_combo.addItem(model.label, model.id)
        select_data(self.model_combo, model_id)
        self.version_edit = line_edit("versionEdit", placeholder=_("e.g. V3.2.1"))
        self.date_edit = QDateEdit(qdate(ctx.now().astimezone().date()))
        self.date_edit.setObjectName("releaseDateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.mandatory_check = QCheckBox(_("Every terminal of the model must run it"))
        self.mandatory_check.setObjectName("mandatoryCheck")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 3 + 12)
        form = QFormLayout()
        self.add_row(form, _("Model"), "model_id", self.model_combo)
        self.add_row(form, _("Version"), "firmware_version", self.version_edit)
        self.add_row(form, _("Release date"), "release_date", self.date_edit)
        self.add_row(form, _("Mandatory"), "mandatory", self.mandatory_check)
        self.add_row(form, _("Notes"), "notes", self.notes_edit)
        self.main_layout.addLayout(form)
        self.finish()
        self.setMinimumWidth(440)
        self.version_edit.setFocus()

    def save(self) -> None:
        released: date = self.date_edit.date().toPython()
        fields = {
            "model_id": self.model_combo.currentData(),
            "firmware_version": self.version_edit.text(),
            "release_date": released,
            "mandatory": self.mandatory_check.isChecked(),
            "notes": self.notes_edit.toPlainText(),
        }
        self.result_release = self.submit(
            lambda: catalogue.create_firmware_release(
                self.ctx, FirmwareReleaseCreate(**fields)
            )
        )
