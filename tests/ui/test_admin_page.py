"""Administration page: the user list and its dialogs, the audit trail, what each role sees."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.user import Role, UserCreate, UserRead, UserUpdate
from app.services import users
from tests.conftest import USER_PASSWORD, make_user
from tests.ui.conftest import DialogRecorder
from ui.admin.admin_page import AdminPage
from ui.admin.audit_panel import AuditPanel
from ui.admin.reset_password_dialog import ResetPasswordDialog
from ui.admin.user_dialog import UserDialog
from ui.admin.user_table_model import STATE, USERNAME
from ui.admin.users_panel import UsersPanel


def _page(qtbot: QtBot, ctx: Context) -> AdminPage:
    page = AdminPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def _users_panel(page: AdminPage) -> UsersPanel:
    assert page.users_panel is not None
    return page.users_panel


def _audit_panel(page: AdminPage) -> AuditPanel:
    assert page.audit_panel is not None
    return page.audit_panel


def _create(ctx: Context, username: str = "zhangsan") -> UserRead:
    return users.create_user(
        ctx, UserCreate(username=username, display_name="张三", role=Role.CLERK, password=USER_PASSWORD)
    )


def _dialog(qtbot: QtBot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _save(dialog: QWidget) -> None:
    dialog.findChild(QPushButton, "saveButton").click()


def _column(panel: UsersPanel, column: int) -> list[str]:
    model = panel.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def _state_of(panel: UsersPanel, username: str) -> str:
    row = _column(panel, USERNAME).index(username)
    return str(panel.model.data(panel.model.index(row, STATE)))


# --- users ----------------------------------------------------------------------------------------


def test_users_table_lists_admin(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    table = page.findChild(QTableView, "userTable")
    assert table.model() is _users_panel(page).model
    assert _column(_users_panel(page), USERNAME) == ["admin"]
    assert _state_of(_users_panel(page), "admin") == "active"


def test_new_user_dialog_creates_and_the_list_selects_it(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    dialog = UserDialog(admin_ctx)
    _dialog(qtbot, dialog)
    dialog.findChild(QWidget, "usernameEdit").setText("zhangsan")
    dialog.findChild(QWidget, "displayNameEdit").setText("张三")
    roles = dialog.findChild(QComboBox, "roleCombo")
    roles.setCurrentIndex(roles.findData(Role.TECHNICIAN.value))
    dialog.findChild(QWidget, "passwordEdit").setText(USER_PASSWORD)
    dialog.findChild(QWidget, "repeatPasswordEdit").setText(USER_PASSWORD)
    _save(dialog)
    assert dialog.result() == UserDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert dialog.result_user is not None and dialog.result_user.role == Role.TECHNICIAN

    panel = _users_panel(page)
    panel._refresh("zhangsan")
    selected = panel.selected_user()
    assert selected is not None and selected.username == "zhangsan"
    assert _column(panel, USERNAME) == ["admin", "zhangsan"]
    assert panel.findChild(QPushButton, "editUserButton").isEnabled()


def test_bad_input_keeps_the_dialog_open_with_field_errors(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = UserDialog(admin_ctx)
    _dialog(qtbot, dialog)
    dialog.findChild(QWidget, "usernameEdit").setText("9")
    dialog.findChild(QWidget, "displayNameEdit").setText("张三")
    dialog.findChild(QWidget, "passwordEdit").setText("short")
    dialog.findChild(QWidget, "repeatPasswordEdit").setText("short")
    _save(dialog)
    assert dialog.isVisible()
    assert dialog.result_user is None
    assert "8 characters" in dialog.errors.message("password")
    assert "starts with a letter" in dialog.errors.message("username")
    assert dialog.errors.message("display_name") == ""
    assert dialog.findChild(QLabel, "passwordError").isVisible()
    # What the person typed stays.
    assert dialog.findChild(QWidget, "usernameEdit").text() == "9"
    assert dialog.findChild(QWidget, "passwordEdit").text() == "short"
    assert [u.username for u in users.list_users(admin_ctx)] == ["admin"]


def test_different_repeat_password_is_a_field_error(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = UserDialog(admin_ctx)
    _dialog(qtbot, dialog)
    dialog.findChild(QWidget, "usernameEdit").setText("zhangsan")
    dialog.findChild(QWidget, "displayNameEdit").setText("张三")
    dialog.findChild(QWidget, "passwordEdit").setText(USER_PASSWORD)
    dialog.findChild(QWidget, "repeatPasswordEdit").setText(USER_PASSWORD + "x")
    _save(dialog)
    assert dialog.isVisible()
    assert "differ" in dialog.errors.message("repeat")
    assert [u.username for u in users.list_users(admin_ctx)] == ["admin"]


def test_stale_edit_shows_a_conflict_and_overwrites_nothing(qtbot: QtBot, admin_ctx: Context) -> None:
    user = _create(admin_ctx)
    dialog = UserDialog(admin_ctx, user)
    _dialog(qtbot, dialog)
    assert dialog.findChild(QWidget, "usernameEdit").isReadOnly()
    assert dialog.findChild(QWidget, "passwordEdit") is None  # an edit never shows passwords
    # Meanwhile, at another desk:
    users.update_user(admin_ctx, user.id, UserUpdate(display_name="张三丰", expected_version=user.version))

    dialog.findChild(QWidget, "displayNameEdit").setText("张小三")
    _save(dialog)
    assert dialog.isVisible()
    general = dialog.findChild(QLabel, "userDialogError")
    assert general.isVisible()
    assert "changed by someone else" in general.text()
    assert dialog.findChild(QWidget, "displayNameEdit").text() == "张小三"
    assert users.get_user(admin_ctx, user.id).display_name == "张三丰"


def test_edit_saves_name_and_role(qtbot: QtBot, admin_ctx: Context) -> None:
    user = _create(admin_ctx)
    dialog = UserDialog(admin_ctx, user)
    _dialog(qtbot, dialog)
    dialog.findChild(QWidget, "displayNameEdit").setText("张三丰")
    roles = dialog.findChild(QComboBox, "roleCombo")
    roles.setCurrentIndex(roles.findData(Role.SUPERVISOR.value))
    _save(dialog)
    assert dialog.result() == UserDialog.DialogCode.Accepted
    saved = users.get_user(admin_ctx, user.id)
    assert (saved.display_name, saved.role, saved.version) == ("张三丰", Role.SUPERVISOR, user.version + 1)


def test_deactivate_after_confirmation(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    _create(admin_ctx)
    page = _page(qtbot, admin_ctx)
    panel = _users_panel(page)
    panel.select_username("zhangsan")
    button = panel.findChild(QPushButton, "deactivateButton")
    assert button.isEnabled()
    note_dialogs.confirm_answer = True
    button.click()
    assert [kind for kind, _t, _x in note_dialogs.shown] == ["confirm"]
    assert "张三" in note_dialogs.shown[0][2]
    assert _state_of(panel, "zhangsan") == "deactivated"
    assert panel.selected_user() is not None and panel.selected_user().username == "zhangsan"  # type: ignore[union-attr]
    assert not button.isEnabled()
    assert panel.findChild(QPushButton, "reactivateButton").isEnabled()


def test_deactivate_declined_changes_nothing(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    user = _create(admin_ctx)
    page = _page(qtbot, admin_ctx)
    panel = _users_panel(page)
    panel.select_username("zhangsan")
    note_dialogs.confirm_answer = False
    panel.findChild(QPushButton, "deactivateButton").click()
    assert [kind for kind, _t, _x in note_dialogs.shown] == ["confirm"]
    assert _state_of(panel, "zhangsan") == "active"
    assert users.get_user(admin_ctx, user.id).is_active


def test_deactivating_yourself_is_refused_with_a_warning(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    page = _page(qtbot, admin_ctx)
    panel = _users_panel(page)
    panel.select_username("admin")
    panel.findChild(QPushButton, "deactivateButton").click()
    assert [kind for kind, _t, _x in note_dialogs.shown] == ["confirm", "warn"]
    assert "own account" in note_dialogs.shown[1][2]
    assert _state_of(panel, "admin") == "active"


def test_reset_password_dialog_sets_must_change(qtbot: QtBot, admin_ctx: Context) -> None:
    user = _create(admin_ctx)
    assert not user.must_change_password
    dialog = ResetPasswordDialog(admin_ctx, user)
    _dialog(qtbot, dialog)
    dialog.findChild(QWidget, "passwordEdit").setText("Temp2026pass")
    _save(dialog)
    assert dialog.result() == ResetPasswordDialog.DialogCode.Accepted
    assert users.get_user(admin_ctx, user.id).must_change_password


def test_reset_password_dialog_rejects_a_weak_password(qtbot: QtBot, admin_ctx: Context) -> None:
    user = _create(admin_ctx)
    dialog = ResetPasswordDialog(admin_ctx, user)
    _dialog(qtbot, dialog)
    dialog.findChild(QWidget, "passwordEdit").setText("abcdefgh")
    _save(dialog)
    assert dialog.isVisible()
    assert "letters and digits" in dialog.errors.message("password")
    assert not users.get_user(admin_ctx, user.id).must_change_password


# --- audit trail ----------------------------------------------------------------------------------


def _combo_index(combo: QComboBox, data: object) -> int:
    for index in range(combo.count()):
        if combo.itemData(index) == data:
            return index
    raise AssertionError(f"{data!r} not in {combo.objectName()}")


def _count_text(panel: AuditPanel) -> str:
    return panel.findChild(QLabel, "auditCountLabel").text()


def _set_dates(panel: AuditPanel, start: date, end: date) -> None:
    panel.findChild(QCheckBox, "auditDatesCheck").setChecked(True)
    panel.findChild(QDateEdit, "auditFromEdit").setDate(QDate(start.year, start.month, start.day))
    panel.findChild(QDateEdit, "auditToEdit").setDate(QDate(end.year, end.month, end.day))


def test_audit_shows_new_entries_after_apply(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    before = audit.model.total()
    _create(admin_ctx)
    audit.apply_filters()
    assert audit.model.total() > before
    assert audit.model.rowCount() == audit.model.total()
    assert _count_text(audit) == f"{audit.model.total()} entries"
    newest = audit.model.row_object(0)
    assert (newest.username, newest.action, newest.record_type) == ("admin", "create", "app_user")
    types = audit.findChild(QComboBox, "auditTypeCombo")
    assert "app_user" in [types.itemText(i) for i in range(types.count())]


def test_switching_to_the_audit_tab_reloads_it(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    before = audit.model.total()
    _create(admin_ctx)
    page.tabs.setCurrentWidget(audit)
    qtbot.waitUntil(lambda: audit.model.total() > before)


def test_audit_filter_by_user(qtbot: QtBot, admin_ctx: Context) -> None:
    _create(admin_ctx)
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    everyone = audit.model.total()
    admin_id = admin_ctx.user.id  # type: ignore[union-attr]
    combo = audit.findChild(QComboBox, "auditUserCombo")
    combo.setCurrentIndex(_combo_index(combo, admin_id))
    audit.apply_filters()
    rows = [audit.model.row_object(r) for r in range(audit.model.rowCount())]
    assert rows and audit.model.total() < everyone
    assert {r.user_id for r in rows} == {admin_id}
    assert {r.username for r in rows} == {"admin"}


def test_audit_filter_by_record_type(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    combo = audit.findChild(QComboBox, "auditTypeCombo")
    assert combo.itemData(0) is None
    combo.setCurrentIndex(_combo_index(combo, "branch"))
    audit.apply_filters()
    rows = [audit.model.row_object(r) for r in range(audit.model.rowCount())]
    assert rows and {r.record_type for r in rows} == {"branch"}


def test_audit_future_dates_show_nothing(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    assert audit.model.total() > 0
    today = admin_ctx.now().astimezone().date()
    _set_dates(audit, today.replace(year=today.year + 1), today.replace(year=today.year + 1, day=28))
    audit.findChild(QPushButton, "auditApplyButton").click()
    assert audit.model.rowCount() == 0 and audit.model.total() == 0
    assert _count_text(audit) == "0 entries"


def test_audit_dates_including_today_show_the_entries(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    everything = audit.model.total()
    today = admin_ctx.now().astimezone().date()
    _set_dates(audit, today, today)
    audit.apply_filters()
    assert audit.model.total() == everything > 0


def test_audit_from_after_to_warns_and_keeps_rows(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    rows_before = audit.model.rowCount()
    count_before = _count_text(audit)
    assert rows_before > 0
    _set_dates(audit, date(2026, 12, 10), date(2026, 12, 1))
    audit.apply_filters()
    assert [kind for kind, _t, _x in note_dialogs.shown] == ["warn"]
    assert "before the start date" in note_dialogs.shown[0][2]
    assert audit.model.rowCount() == rows_before
    assert _count_text(audit) == count_before
    assert audit.filters.date_from is None


def test_audit_panel_works_after_a_refused_filter(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    """After the warning the person fixes the dates; the list must reload cleanly."""
    page = _page(qtbot, admin_ctx)
    audit = _audit_panel(page)
    resets: list[str] = []
    audit.model.modelAboutToBeReset.connect(lambda: resets.append("begin"))
    audit.model.modelReset.connect(lambda: resets.append("end"))
    _set_dates(audit, date(2026, 12, 10), date(2026, 12, 1))
    audit.apply_filters()
    today = admin_ctx.now().astimezone().date()
    _set_dates(audit, today, today)
    audit.apply_filters()
    assert audit.model.rowCount() == audit.model.total() > 0
    # Every reset the views were told about must also have ended.
    assert resets == ["begin", "end"] * (len(resets) // 2)


# --- models ---------------------------------------------------------------------------------------


def test_user_table_model_passes_the_model_tester(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    _create(admin_ctx)
    page = _page(qtbot, admin_ctx)
    qtmodeltester.check(_users_panel(page).model)


def test_audit_table_model_passes_the_model_tester(
    qtbot: QtBot, admin_ctx: Context, qtmodeltester: ModelTester
) -> None:
    _create(admin_ctx)
    page = _page(qtbot, admin_ctx)
    qtmodeltester.check(_audit_panel(page).model)


# --- roles ----------------------------------------------------------------------------------------


def test_supervisor_sees_users_and_audit_but_cannot_manage(qtbot: QtBot, admin_ctx: Context) -> None:
    supervisor = make_user(admin_ctx, "sup1", Role.SUPERVISOR)
    page = _page(qtbot, admin_ctx.as_user(supervisor))
    panel = _users_panel(page)
    assert _column(panel, USERNAME) == ["admin", "sup1"]
    for name in ("newUserButton", "editUserButton", "resetPasswordButton", "deactivateButton"):
        assert not panel.findChild(QPushButton, name).isVisibleTo(page), name
    assert page.tabs.count() == 2
    assert page.audit_panel is not None and page.tabs.indexOf(page.audit_panel) >= 0
    assert page.audit_panel.model.total() > 0


def test_admin_sees_the_manage_buttons(qtbot: QtBot, admin_ctx: Context) -> None:
    page = _page(qtbot, admin_ctx)
    assert page.findChild(QPushButton, "newUserButton").isVisibleTo(page)


def test_clerk_has_no_administration_tasks(qtbot: QtBot, admin_ctx: Context) -> None:
    clerk = make_user(admin_ctx, "clerk1", Role.CLERK)
    page = _page(qtbot, admin_ctx.as_user(clerk))
    assert page.users_panel is None and page.audit_panel is None
    assert page.tabs.count() == 0
    assert "no administration tasks" in page.findChild(QLabel, "placeholderText").text()
