"""A rotating log file in the data directory."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import paths

LOG_NAME = "aftersales.log"


def configure_logging(level: int = logging.INFO) -> Path:
    """Send log records to <data>/logs/aftersales.log (1 MB x 5 files); idempotent."""
    path = paths.log_dir() / LOG_NAME
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
