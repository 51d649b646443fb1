"""Create a warranty policy or edit one; also the checklists the contract dialog shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.context import Context
from app.i18n import _
from app.models.warranty import (
    CostItem,
    ExclusionCause,
    WarrantyPolicyCreate,
    WarrantyPolicyRead,
    WarrantyPolicyUpdate,
    WarrantyStart,
)
from app.rules.coverage import (
    MAX_WARRANTY_MONTHS,
    cost_item_label,
    exclusion_label,
    start_label,
)
from app.services import warranty
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import select_data


def _camel(value: str) -> str:
    """on_site_visit -> OnSiteVisit, for objectNames."""
    return "".join(part.title() for part in value.split("_"))


class CheckList(QListWidget):
    """A list of checkable entries, each holding a value; `values()` are those ticked, in order."""

    def __init__(self, name: str, entries: Iterable[tuple[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.set_entries(entries)

    def set_entries(self, entries: Iterable[tuple[str, Any]], checked: Iterable[Any] = ()) -> None:
        ticked = set(checked)
        self.clear()
        for text, value in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in ticked else Qt.CheckState.Unchecked)
            self.addItem(item)

    def set_checked(self, values: Iterable[Any]) -> None:
        ticked = set(values)
        for row in range(self.count()):
            item = self.item(row)
            on = item.data(Qt.ItemDataRole.UserRole) in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def values(self) -> list[Any]:
        return [
            self.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        ]

    def fit_rows(self, rows: int) -> None:
        """Tall enough for `rows` entries without scrolling."""
        row = self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 6
        self.setFixedHeight(row * rows + 2 * self.frameWidth() + 4)


def exclusion_list(name: str = "exclusionList", checked: Iterable[ExclusionCause] = ()) -> CheckList:
    """Every exclusion cause, those in `checked` ticked."""
    checklist = CheckList(name, [(exclusion_label(cause), cause.value) for cause in ExclusionCause])
    checklist.set_checked(ExclusionCause(c).value for c in checked)
    checklist.fit_rows(len(ExclusionCause))
    return checklist


class CostItemChecks(QWidget):
    """One check box per cost item (parts, labour, on-site visit, replacement unit), two a row."""

    def __init__(self, free: Iterable[CostItem] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("freeItems")
        chosen = set(free)
        self.boxes: dict[CostItem, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, item in enumerate(CostItem):
            box = QCheckBox(cost_item_label(item))
            box.setObjectName(f"covers{_camel(item.value)}Check")
            box.setChecked(item in chosen)
            self.boxes[item] = box
            grid.addWidget(box, i // 2, i % 2)

    def fields(self) -> dict[str, bool]:
        """covers_parts, covers_labour, ... as the schemas name them."""
        return {f"covers_{item.value}": box.isChecked() for item, box in self.boxes.items()}

    def set_enabled(self, on: bool) -> None:
        for box in self.boxes.values():
            box.setEnabled(on)


class PolicyDialog(FormDialog):
    """A new policy when `policy` is None, otherwise an edit of it."""

    def __init__(
        self, ctx: Context, policy: WarrantyPolicyRead | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            object_name="PolicyDialog",
            title=_("New warranty policy")
            if policy is None
            else _("Edit warranty policy {name}").format(name=policy.name),
            note=""
            if policy is None or not (policy.model_count or policy.terminal_count)
            else _(
                "Changing the months or the start event changes the warranty end of every "
                "terminal under this policy."
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.policy = policy
        self.result_policy: WarrantyPolicyRead | None = None
        p = policy

        self.name_edit = line_edit("policyNameEdit", p.name if p else "", placeholder=_("e.g. Standard 12 months"))
        self.months_spin = QSpinBox()
        self.months_spin.setObjectName("monthsSpin")
        self.months_spin.setRange(0, MAX_WARRANTY_MONTHS)
        self.months_spin.setSuffix(_(" months"))
        self.months_spin.setValue(p.months if p else 12)
        self.start_combo = QComboBox()
        self.start_combo.setObjectName("startEventCombo")
        for event in WarrantyStart:
            self.start_combo.addItem(start_label(event), event.value)
        select_data(self.start_combo, WarrantyStart(p.start_event).value if p else WarrantyStart.PURCHASE.value)
        self.items = CostItemChecks(p.free_items if p else (CostItem.PARTS, CostItem.LABOUR))
        self.exclusions = exclusion_list(checked=p.exclusions if p else ())
        self.text_edit = QPlainTextEdit(p.document_text if p else "")
        self.text_edit.setObjectName("documentTextEdit")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(_("Printed on the warranty certificate and the service report"))
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 5 + 12)
        self.active_check = QCheckBox(_("can be chosen for models and terminals"))
        self.active_check.setObjectName("activeCheck")
        self.active_check.setChecked(p.active if p else True)

        months = QWidget()
        row = QHBoxLayout(months)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.months_spin)
        row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_row(form, _("Name"), "name", self.name_edit)
        self.add_row(form, _("Duration"), "months", months)
        self.add_row(form, _("Counts from"), "start_event", self.start_combo)
        self.add_row(form, _("Free of charge"), "free_items", self.items)
        self.add_row(form, _("Exclusions"), "exclusions", self.exclusions)
        self.add_row(form, _("Text on documents"), "document_text", self.text_edit)
        self.add_row(form, _("Active"), "active", self.active_check)
        self.main_layout.addLayout(form)
        self.finish()
        self.setMinimumWidth(560)
        self.name_edit.setFocus()

    def _fields(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text(),
            "months": self.months_spin.value(),
            "start_event": WarrantyStart(self.start_combo.currentData()),
            **self.items.fields(),
            "exclusions": [ExclusionCause(v) for v in self.exclusions.values()],
            "document_text": self.text_edit.toPlainText(),
            "active": self.active_check.isChecked(),
        }

    def save(self) -> None:
        fields = self._fields()
        policy = self.policy
        if policy is None:
            self.result_policy = self.submit(
                lambda: warranty.create_warranty_policy(self.ctx, WarrantyPolicyCreate(**fields))
            )
            return
        self.result_policy = self.submit(
            lambda: warranty.update_warranty_policy(
                self.ctx, policy.id, WarrantyPolicyUpdate(**fields, expected_version=policy.version)
            )
        )
