"""Preferences of this PC (language, last user name), kept in a small JSON file."""

from __future__ import annotations

import json
import os
from typing import Any

from app import paths


def load() -> dict[str, Any]:
    try:
        data = json.loads(paths.settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def get(key: str, default: Any = None) -> Any:
    return load().get(key, default)


def put(key: str, value: Any) -> None:
    """Store one preference; written to a temporary name first so a crash keeps the old file."""
    data = load()
    data[key] = value
    target = paths.settings_file()
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, target)
