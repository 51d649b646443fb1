"""The command line: `aftersales [--db URL] COMMAND ...`; without a command it opens the workstation.

Every command is one declaration in COMMANDS below: its words, its help, its arguments and the
function that runs it, named as "module:function" under app/commands. Reading the command line
imports nothing heavy: a command's module (and with it the models, the database layer, ReportLab
or Qt) is imported only once that command is chosen, and a command's arguments are added to the
parser only when that command is being read, so `--version`, `--help` and a usage error answer at
once.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from app import __version__, i18n, paths, settings
from app.i18n import N_, _, ngettext

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


# --- declarations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """One argument of a command: what argparse's add_argument takes. `help` and `metavar` are
    marked with N_() and translated when the help is shown."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    """One command (`backup`) or sub-command (`users add`); a group of sub-commands has no `run`
    and names what its sub-commands are called (`metavar`)."""

    words: tuple[str, ...]
    help: str
    run: str = ""  # "app.commands.module:function", imported when the command is chosen
    args: tuple[Arg, ...] = ()
    metavar: str = ""

    @property
    def name(self) -> str:
        return " ".join(self.words)


def positive(text: str) -> int:
    """A whole number, zero or more."""
    try:
        value = int(text)
    except ValueError:
        message = _("{value} is not a whole number.").format(value=text)
        raise argparse.ArgumentTypeError(message) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("{value} must not be negative.").format(value=text))
    return value


def copies(text: str) -> tuple[str, ...]:
    """The copies of each work order: customer, shop or both, in the order given."""
    from app.reports.work_order import COPIES

    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    if not chosen or any(c not in COPIES for c in chosen):
        message = _("{value} is not a list of copies; use customer, shop or customer,shop.").format(value=text)
        raise argparse.ArgumentTypeError(message)
    return chosen


def role_names() -> list[str]:
    """The roles a user can have (imported when `users add` is read, not before)."""
    from app.models.user import Role

    return [r.value for r in Role]


OUT_PDF = arg("--out", type=Path, required=True, metavar="FILE", help=N_("the PDF file to write"))
PASSWORD_STDIN = arg("--password-stdin", action="store_true", help=N_("read the password from stdin"))
KINDS = ["merchants", "terminals"]

COMMANDS: tuple[Command, ...] = (
    Command(
        ("demo-data",),
        N_("fill the database with demo data"),
        "app.commands.demo:demo_data",
        (
            arg("--customers", type=positive, default=300, help=N_("number of merchants")),
            arg("--terminals-per-customer", type=float, default=1.5, help=N_("terminals per merchant")),
            arg("--seed", type=int, default=20261122, help=N_("random seed")),
            arg("--password", help=N_("password of the demo users (default: random)")),
        ),
    ),
    Command(
        ("backup",),
        N_("write a verified backup"),
        "app.commands.database:backup",
        (arg("--out", type=Path, help=N_("backup file (default: the backups folder)")),),
    ),
    Command(
        ("restore",),
        N_("restore a backup"),
        "app.commands.database:restore",
        (arg("file", type=Path, help=N_("backup file")),),
    ),
    Command(("check",), N_("check integrity and schema version"), "app.commands.database:check"),
    Command(("migrate",), N_("bring the schema up to date"), "app.commands.database:migrate"),
    Command(("users",), N_("manage user accounts"), metavar=N_("ACTION")),
    Command(
        ("users", "add"),
        N_("create a user"),
        "app.commands.users:add",
        (
            arg("username"),
            arg("--name", required=True, help=N_("the person's name")),
            arg("--role", required=True, choices=role_names),
            PASSWORD_STDIN,
        ),
    ),
    Command(
        ("users", "reset-password"),
        N_("set a new password"),
        "app.commands.users:reset_password",
        (arg("username"), PASSWORD_STDIN),
    ),
    Command(("users", "list"), N_("list users"), "app.commands.users:list_users"),
    Command(
        ("import",),
        N_("import merchants or terminals from XLSX or CSV"),
        "app.commands.transfer:import_file",
        (
            arg("kind", choices=KINDS),
            arg("file", type=Path, help=N_("an .xlsx or .csv file (UTF-8 or GBK)")),
            arg("--dry-run", action="store_true", help=N_("check every row and write nothing")),
        ),
    ),
    Command(
        ("export",),
        N_("export merchants or terminals to XLSX or CSV"),
        "app.commands.transfer:export_file",
        (
            arg("kind", choices=KINDS),
            arg("--out", type=Path, required=True, help=N_("an .xlsx or .csv file")),
        ),
    ),
    Command(
        ("print",),
        N_("print work orders or a service report to a PDF file"),
        metavar=N_("DOCUMENT"),
    ),
    Command(
        ("print", "work-order"),
        N_("work orders of one or more tickets, one page each"),
        "app.commands.printing:work_order",
        (
            arg("tickets", nargs="+", metavar="WX-...", help=N_("ticket numbers")),
            OUT_PDF,
            arg("--a5", action="store_true", help=N_("print on A5 paper instead of A4")),
            arg(
                "--copies",
                type=copies,
                default=("shop",),
                metavar="customer,shop",
                help=N_("the copies of each work order (default: shop)"),
            ),
        ),
    ),
    Command(
        ("print", "service-report"),
        N_("the service report of a resolved ticket"),
        "app.commands.printing:service_report",
        (arg("ticket", metavar="WX-...", help=N_("ticket number")), OUT_PDF),
    ),
    Command(
        ("self-test",),
        N_("check that this installation works: fonts, translations, PDF, main window"),
        "app.commands.gui:self_test",
        (arg("--seconds", type=float, default=1.0, help=N_("how long the main window stays open")),),
    ),
)

# Without a command: the workstation.
OPEN_WORKSTATION = "app.commands.gui:open_workstation"


# --- reading the command line -------------------------------------------------------------------


# argparse's own messages, so that usage errors and help read in the chosen language too.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


@contextmanager
def _argparse_in_our_language() -> Iterator[None]:
    """Let argparse translate through our catalog while the command line is read."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class UsageError(Exception):
    """A mistake in the command line itself."""


class _Parser(argparse.ArgumentParser):
    """Raises UsageError instead of exiting, and adds its command's arguments the first time it
    reads or shows them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.declared: Command | None = None

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def _declare(self) -> None:
        command, self.declared = self.declared, None
        if command is None:
            return
        _add_db_option(self)
        for argument in command.args:
            options = dict(argument.options)
            for key in ("help", "metavar"):
                if isinstance(options.get(key), str):
                    options[key] = _(options[key])
            if callable(options.get("choices")):
                options["choices"] = options["choices"]()
            self.add_argument(*argument.flags, **options)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._declare()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._declare()
        return super().format_help()

    def format_usage(self) -> str:
        self._declare()
        return super().format_usage()


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=_("database: a SQLAlchemy URL (sqlite:///file or postgresql+psycopg://...)"),
    )


def _dest(words: tuple[str, ...]) -> str:
    """Where the chosen sub-command is kept: `command`, then `users_command`, `print_command`."""
    return "_".join((*words, "command")).replace("-", "_")


def build_parser(commands: Sequence[Command] = COMMANDS) -> argparse.ArgumentParser:
    """The parser of the whole command line; each command's own arguments come when it is read."""
    parser = _Parser(
        prog="aftersales", description=_("After-sales workstation for POS terminal service centers.")
    )
    _add_db_option(parser)
    parser.add_argument(
        "--version",
        action="version",
        version=f"aftersales {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the workstation on a demo database")
    )
    groups: dict[tuple[str, ...], argparse._SubParsersAction[_Parser]] = {
        (): parser.add_subparsers(dest=_dest(()), metavar=_("COMMAND"), parser_class=_Parser)
    }
    for command in commands:
        *above, word = command.words
        sub = groups[tuple(above)].add_parser(word, help=_(command.help))
        if command.run:
            sub.declared = command
            sub.set_defaults(handler=command.run)
        else:
            _add_db_option(sub)
            groups[command.words] = sub.add_subparsers(
                dest=_dest(command.words),
                metavar=_(command.metavar),
                parser_class=_Parser,
                required=True,
            )
    return parser


def handler(name: str) -> Handler:
    """The function a command runs, imported now: "app.commands.database:backup"."""
    module, _sep, function = name.partition(":")
    found: Handler = getattr(importlib.import_module(module), function)
    return found


# --- running it ---------------------------------------------------------------------------------


def _error(message: str) -> None:
    print(_("error: {message}").format(message=message), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; user mistakes print one line and return non-zero, never a traceback."""
    i18n.set_language(settings.get("language") or i18n.system_language())
    try:
        with _argparse_in_our_language():
            args = build_parser().parse_args(argv)
    except UsageError as exc:
        _error(str(exc))
        return 2
    from app.logging_setup import configure_logging

    configure_logging()
    try:
        return handler(getattr(args, "handler", OPEN_WORKSTATION))(args)
    except UsageError as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort keeps tracebacks in the log
        from app.errors import AppError, ValidationError

        if isinstance(exc, ValidationError):
            for reason in exc.fields.values():  # each sentence names what it is about
                _error(reason)
            return 1
        if isinstance(exc, AppError):
            _error(str(exc))
            return 1
        log.exception("command failed")
        _error(
            _("unexpected problem ({kind}); details are in {path}").format(
                kind=type(exc).__name__, path=paths.log_dir()
            )
        )
        return 1
