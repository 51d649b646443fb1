"""Hears, from any service call on any thread, that the signed-in person may no longer act."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.errors import SessionEnded
from app.services.base import on_session_ended


class SessionWatch(QObject):
    """Emits `ended(sentence)` on the GUI thread when a service refuses the person's session
    (deactivated, locked, role changed, password reset): the workstation signs them out."""

    ended = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionWatch")
        self._remove: Callable[[], None] | None = None

    def start(self) -> None:
        if self._remove is None:
            self._remove = on_session_ended(self._heard)

    def stop(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None

    def _heard(self, exc: SessionEnded) -> None:
        # Called on the thread that ran the service; a signal crosses to the GUI thread.
        if shiboken6.isValid(self):
            self.ended.emit(str(exc))
        else:
            self.stop()
