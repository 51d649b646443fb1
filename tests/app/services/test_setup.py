"""First run: a branch and the first administrator, once."""

from __future__ import annotations

import pytest

from app.context import Context
from app.db import Database
from app.errors import Conflict, ValidationError
from app.models.branch import BranchCreate
from app.models.user import Role, UserCreate
from app.services import setup
from tests.conftest import ADMIN_PASSWORD, table_count


def test_new_database_needs_first_run_then_not(any_db: Database) -> None:
    ctx = Context(db=any_db)
    assert setup.needs_first_run(ctx)
    branch, admin = setup.create_branch_and_admin(
        ctx,
        BranchCreate(code=" sz01 ", name="深圳南山服务网点", phone="０７５５－２６８８１２３４"),
        UserCreate(username="wangfang", display_name="王芳", role=Role.CLERK, password=ADMIN_PASSWORD),
    )
    assert branch.code == "SZ01" and branch.phone == "0755-26881234"
    assert admin.role == Role.ADMIN  # the first account is always an administrator
    assert admin.branch_id == branch.id == branch.branch_id
    assert not setup.needs_first_run(ctx)
    with pytest.raises(Conflict):
        setup.create_branch_and_admin(
            ctx,
            BranchCreate(code="GZ01", name="广州"),
            UserCreate(username="other", display_name="他", role=Role.ADMIN, password=ADMIN_PASSWORD),
        )


def test_bad_first_run_input_names_fields_and_writes_nothing(any_db: Database) -> None:
    ctx = Context(db=any_db)
    with pytest.raises(ValidationError) as err:
        setup.create_branch_and_admin(
            ctx,
            BranchCreate(code="深圳", name="", phone="12345"),
            UserCreate(username="a", display_name="王芳", role=Role.ADMIN, password="password"),
        )
    assert set(err.value.fields) == {"code", "name", "phone", "username", "password"}
    assert table_count(any_db, "branch") == 0
    assert table_count(any_db, "app_user") == 0
