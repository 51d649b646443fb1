"""Keeps the translation catalogs in step with the code: `python -m app.i18n_catalog`.

Every string literal passed to `_()`, `N_()` or `ngettext()` under app/ and ui/ is a message.
New messages are added to each catalog untranslated; messages the code no longer uses become
obsolete. A test fails while any message lacks a translation.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib

from app.i18n import CONTEXT_SEPARATOR, LANGUAGES
from app.paths import bundle_root, resource

ROOT = bundle_root()
SOURCE_DIRS = ("app", "ui")
MARKERS = {"_", "N_"}
PLURAL_MARKER = "ngettext"
CONTEXT_MARKERS = {"pgettext", "NC_"}


@dataclass
class Message:
    msgid: str
    plural: str = ""
    places: list[str] = field(default_factory=list)
    context: str = ""

    @property
    def key(self) -> str:
        return f"{self.context}{CONTEXT_SEPARATOR}{self.msgid}" if self.context else self.msgid


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(root: Path = ROOT) -> dict[str, Message]:
    """All messages in the source tree, keyed by msgid."""
    messages: dict[str, Message] = {}
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                name = node.func.id
                place = f"{path.relative_to(root).as_posix()}:{node.lineno}"
                if name in MARKERS and node.args:
                    text = _literal(node.args[0])
                    if text is not None:
                        messages.setdefault(text, Message(text)).places.append(place)
                elif name in CONTEXT_MARKERS and len(node.args) >= 2:
                    context, text = _literal(node.args[0]), _literal(node.args[1])
                    if context is not None and text is not None:
                        msg = Message(text, context=context)
                        messages.setdefault(msg.key, msg).places.append(place)
                elif name == PLURAL_MARKER and len(node.args) >= 2:
                    singular, plural = _literal(node.args[0]), _literal(node.args[1])
                    if singular is not None and plural is not None:
                        msg = messages.setdefault(singular, Message(singular, plural))
                        msg.places.append(place)
    return messages


def _entry_key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}" if entry.msgctxt else entry.msgid


def catalog_path(language: str) -> Path:
    return resource("translations", f"{language}.po")


def update(language: str, messages: dict[str, Message]) -> tuple[int, int]:
    """Merge `messages` into one catalog; returns (added, obsoleted)."""
    path = catalog_path(language)
    po = polib.pofile(str(path)) if path.exists() else polib.POFile()
    po.metadata.setdefault("Content-Type", "text/plain; charset=UTF-8")
    po.metadata.setdefault("Language", language)
    po.metadata.setdefault("Plural-Forms", "nplurals=1; plural=0;")
    existing = {_entry_key(entry): entry for entry in po}
    added = 0
    for msg in messages.values():
        entry = existing.get(msg.key)
        if entry is None:
            entry = polib.POEntry(msgid=msg.msgid, msgctxt=msg.context or None)
            if msg.plural:
                entry.msgid_plural = msg.plural
                entry.msgstr_plural = {0: ""}
            po.append(entry)
            added += 1
        entry.obsolete = False
        entry.occurrences = [tuple(p.rsplit(":", 1)) for p in msg.places]
    obsoleted = 0
    for entry in po:
        if _entry_key(entry) not in messages and not entry.obsolete:
            entry.obsolete = True
            obsoleted += 1
    def order(entry: polib.POEntry) -> tuple[bool, str, int]:
        if not entry.occurrences:
            return (entry.obsolete, "", 0)
        file, line = entry.occurrences[0]
        return (entry.obsolete, file, int(line))

    po.sort(key=order)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return added, obsoleted


def untranslated(language: str, messages: dict[str, Message]) -> list[str]:
    path = catalog_path(language)
    po = polib.pofile(str(path)) if path.exists() else polib.POFile()
    done = {
        _entry_key(e)
        for e in po
        if not e.obsolete
        and "fuzzy" not in e.flags
        and (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr)
    }
    return sorted(m for m in messages if m not in done)


def main() -> int:
    messages = extract()
    for language in LANGUAGES:
        if language == "en":
            continue
        added, obsoleted = update(language, messages)
        missing = untranslated(language, messages)
        print(f"{language}: {len(messages)} messages, {added} new, {obsoleted} obsolete, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
