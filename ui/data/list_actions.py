"""Import… and Export… buttons for the list screens."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from app.context import Context
from app.i18n import _
from app.models.imports import ImportKind
from app.models.merchant import MerchantFilter
from app.models.terminal import TerminalFilter
from app.rules.permissions import Action, allowed
from ui.data.export import export_list
from ui.data.import_dialog import ImportDialog


class ListPage(Protocol):
    ctx: Context
    actions_layout: QHBoxLayout

    def current_filters(self) -> MerchantFilter | TerminalFilter: ...

    def reload(self) -> None: ...


def _button(name: str, text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


def add_data_actions(page: ListPage, kind: ImportKind, parent: QWidget) -> list[QPushButton]:
    """Import (then reload the list) and export of the list as filtered, as the role allows."""
    role = page.ctx.user.role if page.ctx.user else None
    buttons = []
    if role is not None and allowed(role, Action.DATA_IMPORT):
        import_button = _button(f"import{kind.value.title()}Button", _("Import…"))

        def run_import() -> None:
            ImportDialog(page.ctx, kind, parent).exec()
            page.reload()

        import_button.clicked.connect(run_import)
        buttons.append(import_button)
    if role is not None and allowed(role, Action.DATA_EXPORT):
        export_button = _button(f"export{kind.value.title()}Button", _("Export…"))
        export_button.clicked.connect(
            lambda: export_list(parent, page.ctx, kind, page.current_filters())
        )
        buttons.append(export_button)
    for button in buttons:
        page.actions_layout.addWidget(button)
    return buttons
