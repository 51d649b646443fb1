"""Run a slow service call off the GUI thread and hand its result back on the GUI thread.

`run_with_progress` also hands the call a `progress(done, total)` callable; the latest report
reaches the GUI thread a few times a second, for a progress bar.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread's handler
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> _Signals:
    """Start `fn` in the thread pool; returns the signals object (keep it to wait on in tests)."""
    task = _Task(fn)
    task.signals.done.connect(on_done)
    task.signals.failed.connect(on_error)
    QThreadPool.globalInstance().start(task)
    return task.signals


class BackgroundJob:
    """A long call running in a Python thread, watched from the GUI thread by a timer.

    The call receives `progress(done, total)`; the latest report, then the result or the error,
    reach the callbacks on the GUI thread. Nothing is emitted from Python per report: PySide6
    6.12's `Signal.emit()` drops a reference to `True` on every call, so thousands of progress
    signals would eventually crash the interpreter, and a QRunnable wrapper deleted on a pool
    thread has been seen to crash too.
    """

    def __init__(
        self,
        fn: Callable[[Callable[[int, int], None]], Any],
        on_progress: Callable[[int, int], None],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        interval_ms: int = 50,
        parent: QObject | None = None,
    ) -> None:
        self._fn = fn
        self._on_progress = on_progress
        self._on_done = on_done
        self._on_error = on_error
        self._reported: tuple[int, int] | None = None
        self._shown: tuple[int, int] | None = None
        self._result: Any = None
        self._error: BaseException | None = None
        self._finished = threading.Event()
        self.delivered = False
        # With a parent, the results are dropped once the parent (a closed dialog) is deleted.
        self._timer = QTimer(parent)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._poll)
        self._thread = threading.Thread(target=self._run, name="background-job", daemon=True)

    def start(self) -> BackgroundJob:
        self._timer.start()
        self._thread.start()
        return self

    def _report(self, done: int, total: int) -> None:
        self._reported = (done, total)  # one assignment: atomic for the GUI thread reading it

    def _run(self) -> None:
        try:
            self._result = self._fn(self._report)
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread's handler
            self._error = exc
        finally:
            self._finished.set()

    def _poll(self) -> None:
        reported = self._reported
        if reported is not None and reported != self._shown:
            self._shown = reported
            self._on_progress(*reported)
        if not self._finished.is_set():
            return
        self._timer.stop()
        self.delivered = True
        if self._error is not None:
            self._on_error(self._error)
        else:
            self._on_done(self._result)

    def running(self) -> bool:
        return not self.delivered

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the call has returned (not yet delivered); for shutdown and tests."""
        return self._finished.wait(timeout)


def run_with_progress(
    fn: Callable[[Callable[[int, int], None]], Any],
    on_progress: Callable[[int, int], None],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    *,
    parent: QObject | None = None,
) -> BackgroundJob:
    """Start `fn(progress)` in a thread; reports reach `on_progress` on the GUI thread.

    Keep the returned job while it runs: its timer delivers the result.
    """
    return BackgroundJob(fn, on_progress, on_done, on_error, parent=parent).start()
