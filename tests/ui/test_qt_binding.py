"""The Qt binding in use keeps Python's reference counts (PySide6 6.12.0 did not)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    fired = Signal(object)


def test_signals_and_event_processing_keep_reference_counts(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(received.append)
    true_refs, none_refs = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(200):
        emitter.fired.emit(i)
        QCoreApplication.processEvents()
    assert len(received) == 200
    # A leak of one reference per call would show as -200 here and abort a long session.
    assert sys.getrefcount(True) - true_refs > -50
    assert sys.getrefcount(None) - none_refs > -50
