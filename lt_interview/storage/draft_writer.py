"""Autosave's commits on a thread of their own.

A draft commit spends most of its few milliseconds inside SQLite (encrypting pages, syncing the
write-ahead log) with the interpreter released; on the UI thread that time still held up a key
typed meanwhile. Here the UI thread prepares the row and goes back to the keyboard, and this
thread writes it.

The store's one connection is shared, never used by both threads at once: the store settles the
writer (waits for every queued draft) before it touches the connection for anything else.
"""

from __future__ import annotations

import os
import threading
from typing import Callable

Written = Callable[[BaseException | None], None]  # called on the writer thread, after the commit


class DraftWriter:
    def __init__(self, write: Callable[[dict], None]) -> None:
        self._write = write
        self._changed = threading.Condition()
        self._queue: dict[str, tuple[dict, Written]] = {}  # record id -> newest row not yet written
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="lt-interview autosave", daemon=True)
        self._thread.start()

    def submit(self, row: dict, written: Written) -> None:
        """Queue one draft row. A newer row for the same record replaces one still waiting (its
        `written` is then never called: the newer one's covers it)."""
        with self._changed:
            if self._closed:
                raise RuntimeError("the autosave writer is closed")
            self._queue[row["record_id"]] = (row, written)
            self._changed.notify_all()

    @property
    def on_writer_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def settle(self) -> None:
        """Return once every queued draft is written or has failed (at once on the writer thread)."""
        if self.on_writer_thread:
            return
        with self._changed:
            self._changed.wait_for(lambda: not self._queue and not self._busy)

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        if not self.on_writer_thread:
            self._thread.join()

    def _run(self) -> None:
        _yield_to_the_keyboard()
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queue or self._closed)
                if not self._queue:
                    return
                record_id = next(iter(self._queue))
                row, written = self._queue.pop(record_id)
                self._busy = True
            failure: BaseException | None = None
            try:
                self._write(row)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who shows it and retries
                failure = exc
            try:
                written(failure)  # before settling, so a caller who waited knows the outcome
            except Exception:  # noqa: BLE001 - a callback that fails must not stop later saves
                pass
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()


WRITER_NICENESS = 5


def _yield_to_the_keyboard() -> None:
    """Lower this thread's CPU priority (Linux sets niceness per thread), so that when the cores
    are busy a commit's encryption gives way to the UI thread drawing a key. The commit is
    never starved (a waiting UI thread uses no CPU) and may run a few milliseconds later."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WRITER_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: the default priority
        pass
