"""Administration: users and the audit trail, as far as the role may see them."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.context import Context
from app.i18n import _
from app.rules.permissions import Action, allowed
from ui.admin.audit_panel import AuditPanel
from ui.admin.users_panel import UsersPanel
from ui.shared.placeholder_page import PlaceholderPage


class AdminPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AdminPage")
        self.ctx = ctx
        layout = QVBoxLayout(self)
        role = ctx.user.role if ctx.user else None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("adminTabs")
        self.users_panel: UsersPanel | None = None
        self.audit_panel: AuditPanel | None = None
        if role and allowed(role, Action.USERS_VIEW):
            self.users_panel = UsersPanel(ctx)
            self.tabs.addTab(self.users_panel, _("Users"))
        if role and allowed(role, Action.AUDIT_VIEW):
            self.audit_panel = AuditPanel(ctx)
            self.tabs.addTab(self.audit_panel, _("Audit trail"))
            self.tabs.currentChanged.connect(self._refresh_audit)
        if self.tabs.count():
            layout.addWidget(self.tabs)
        else:
            layout.addWidget(
                PlaceholderPage(_("Administration"), _("Your role has no administration tasks."))
            )

    def _refresh_audit(self, index: int) -> None:
        if self.audit_panel is not None and self.tabs.widget(index) is self.audit_panel:
            self.audit_panel.refresh()
