"""Fixtures of the core's tests: the command line runs in English and leaves logging as it was."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import settings


@pytest.fixture(autouse=True)
def english(home: Path) -> None:
    """The CLI follows the saved language; pin it so the system locale cannot change the output."""
    settings.put("language", "en")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """main() adds a log file handler in this test's home; take it off again afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
