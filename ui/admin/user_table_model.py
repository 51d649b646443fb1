"""Columns of the user list."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _
from app.models.user import UserRead
from app.rules.permissions import role_label
from ui.shared.formatting import local_datetime
from ui.shared.paged_table_model import Column, PagedTableModel

USERNAME, NAME, ROLE, STATE, LAST_SIGN_IN = range(5)


def _state(user: UserRead) -> str:
    if not user.is_active:
        return _("deactivated")
    if user.locked_until is not None:
        return _("locked until {time}").format(time=local_datetime(user.locked_until))
    return _("active")


COLUMNS: list[Column[UserRead]] = [
    Column(lambda: _("User name"), lambda u: u.username),
    Column(lambda: _("Name"), lambda u: u.display_name),
    Column(lambda: _("Role"), lambda u: role_label(u.role)),
    Column(lambda: _("State"), _state),
    Column(lambda: _("Last sign-in"), lambda u: local_datetime(u.last_sign_in_at)),
]


def user_table_model(
    fetch_page: Callable[[int, int], tuple[list[UserRead], int]],
) -> PagedTableModel[UserRead]:
    return PagedTableModel(COLUMNS, fetch_page)
