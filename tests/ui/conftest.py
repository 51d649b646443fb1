"""GUI fixtures: message boxes recorded instead of shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ui.shared import dialogs


class DialogRecorder:
    """Stands in for the message boxes of ui.shared.dialogs and remembers what was said."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = True

    def _show(self, kind: str):  # type: ignore[no-untyped-def]
        def show(_parent: object, title: str, text: str) -> None:
            self.shown.append((kind, title, text))

        return show

    def confirm(self, _parent: object, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.confirm_answer


@pytest.fixture
def note_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[DialogRecorder]:
    recorder = DialogRecorder()
    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(dialogs, kind, recorder._show(kind))
    monkeypatch.setattr(dialogs, "confirm", recorder.confirm)
    monkeypatch.setattr(dialogs, "about", lambda _p, version: recorder.shown.append(("about", "", version)))
    yield recorder
