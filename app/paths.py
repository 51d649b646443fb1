"""Where the program keeps its files: the user's data directory, or AFTERSALES_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "aftersales"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """The folder for the database, backups, logs and attachments; created on demand."""
    home = os.environ.get("AFTERSALES_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
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


def font_file() -> Path:
    return RESOURCES / "fonts" / "wqy-microhei.ttc"
