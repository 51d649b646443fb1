"""`aftersales users add | reset-password | list`."""

from __future__ import annotations

import argparse

from app.commands.common import open_database, read_password
from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.user import Role, UserCreate
from app.rules.permissions import role_label
from app.services import users


def add(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    password = read_password(args.password_stdin)
    user = users.create_user(
        ctx,
        UserCreate(username=args.username, display_name=args.name, role=Role(args.role), password=password),
    )
    print(_("User {username} created.").format(username=user.username))
    return 0


def reset_password(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    found = [u for u in users.list_users(ctx) if u.username == args.username.lower()]
    if not found:
        raise AppError(_("There is no user {username}.").format(username=args.username))
    users.reset_password(ctx, found[0].id, read_password(args.password_stdin))
    print(_("New password set for {username}; it must be changed at the next sign-in.").format(
        username=found[0].username
    ))
    return 0


def list_users(args: argparse.Namespace) -> int:
    ctx = Context.system(open_database(args))
    for user in users.list_users(ctx):
        state = _("active") if user.is_active else _("deactivated")
        print(f"{user.username:<20} {user.display_name:<12} {role_label(user.role):<10} {state}")
    return 0
