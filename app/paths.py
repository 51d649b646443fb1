"""Where the program finds its own files, and where it keeps the user's.

Its own files (translations, fonts, icons, stylesheet, migrations) are found through one resolver,
`resource()` and `migrations_dir()`, that works both from the source tree and from the frozen
one-folder build. The user's data (database, backups, attachments, logs, settings) lives in
AFTERSALES_HOME when it is set; else beside the program when a `portable` marker file lies next to
the frozen executable (a USB stick, a shared branch PC); else in the user's local application data
(on Windows `%LOCALAPPDATA%\\aftersales`, not the roaming profile).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "aftersales"
PORTABLE_MARKER = "portable"
PORTABLE_DATA = "data"
# platformdirs' arguments: no vendor folder, and the local (not roaming) profile on Windows, since
# a database of hundreds of megabytes must not travel with a roaming profile.
PLATFORM_DIRS: dict[str, Any] = {"appname": APP_NAME, "appauthor": False, "roaming": False}

# The only place that reckons from this file: the source tree's root.
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def is_frozen() -> bool:
    """True when running from the PyInstaller build rather than from the source tree."""
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder that holds app/, ui/ and resources/: the source tree or the frozen bundle's."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))
    return _SOURCE_ROOT


def resource(*parts: str) -> Path:
    """A file shipped with the program, e.g. `resource("fonts", "wqy-microhei.ttc")`."""
    return bundle_root().joinpath("resources", *parts)


def migrations_dir() -> Path:
    """The Alembic scripts (env.py, versions/) that bring a database's schema up to date."""
    return bundle_root() / "app" / "migrations"


def font_file() -> Path:
    """The CJK font shipped for the screens and embedded in every printed document."""
    return resource("fonts", "wqy-microhei.ttc")


def executable_dir() -> Path | None:
    """The folder of the frozen program's executable; None when running from source."""
    return Path(sys.executable).resolve().parent if is_frozen() else None


def portable_data_dir() -> Path | None:
    """The data folder beside the executable when a `portable` marker file says so."""
    folder = executable_dir()
    if folder is not None and (folder / PORTABLE_MARKER).is_file():
        return folder / PORTABLE_DATA
    return None


def data_dir() -> Path:
    """The folder for the database, backups, logs and attachments; created on demand."""
    home = os.environ.get("AFTERSALES_HOME")
    path = Path(home) if home else (portable_data_dir() or Path(platformdirs.user_data_dir(**PLATFORM_DIRS)))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "aftersales.sqlite3"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite3"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(exist_ok=True)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.json"
