"""First start: create the branch and the first administrator."""

from __future__ import annotations

from sqlmodel import col, func, select

from app.context import Context
from app.errors import Conflict, ValidationError
from app.i18n import _
from app.models.branch import Branch, BranchCreate, BranchRead
from app.models.meta import AppMeta
from app.models.user import Role, User, UserCreate, UserRead
from app.rules.permissions import Action
from app.rules.validation import FormatError, validate_phone
from app.services.base import service
from app.services.passwords import hash_password
from app.services.users import check_new_user


@service(None, write=False)
def needs_first_run(ctx: Context) -> bool:
    """True while the database has no branch or no user yet."""
    branches = ctx.s.exec(select(func.count()).select_from(Branch)).one()
    users = ctx.s.exec(select(func.count()).select_from(User)).one()
    return branches == 0 or users == 0


def _check_branch(data: BranchCreate) -> BranchCreate:
    errors: dict[str, str] = {}
    code = data.code.strip().upper()
    if not code or not code.isascii() or not code.replace("-", "").isalnum() or len(code) > 16:
        errors["code"] = _("The branch code has 1 to 16 letters or digits, e.g. SZ01.")
    name = data.name.strip()
    if not name:
        errors["name"] = _("Please enter the branch name.")
    phone = data.phone.strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except FormatError as exc:
            errors["phone"] = exc.reason
    if errors:
        raise ValidationError(errors)
    return BranchCreate(code=code, name=name, address=data.address.strip(), phone=phone)


@service(None, write=True)
def create_branch_and_admin(
    ctx: Context, branch: BranchCreate, admin: UserCreate
) -> tuple[BranchRead, UserRead]:
    """The first-run dialog's one call; refused once a branch and a user exist."""
    if not needs_first_run(ctx):
        raise Conflict(_("This database is already set up."))
    errors: dict[str, str] = {}
    try:
        branch = _check_branch(branch)
    except ValidationError as exc:
        errors.update(exc.fields)
    try:
        admin = check_new_user(ctx, admin.model_copy(update={"role": Role.ADMIN}))
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(errors)
    row = Branch.model_validate(branch)
    row.branch_id = row.id
    ctx.s.add(row)
    ctx.s.flush()
    user = User.model_validate(
        admin, update={"password_hash": hash_password(admin.password), "branch_id": row.id}
    )
    ctx.s.add(user)
    ctx.s.flush()
    return BranchRead.model_validate(row), UserRead.model_validate(user)


@service(Action.BRANCH_VIEW, write=False)
def current_branch(ctx: Context) -> BranchRead | None:
    """The branch this database belongs to (the signed-in user's, else the first one)."""
    branch_id = ctx.user.branch_id if ctx.user else None
    row = ctx.s.get(Branch, branch_id) if branch_id else None
    if row is None:
        row = ctx.s.exec(select(Branch).order_by(col(Branch.created_at))).first()
    return BranchRead.model_validate(row) if row else None


@service(None, write=False)
def demo_password(ctx: Context) -> str | None:
    """The password of the demo users, only on a database made by demo-data."""
    if ctx.s.get(AppMeta, "demo") is None:
        return None
    row = ctx.s.get(AppMeta, "demo_password")
    return row.value if row else None
