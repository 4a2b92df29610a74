"""Django's SQLite backend, with writers that queue for the write lock instead of oversleeping.

SQLite lets one connection write at a time, and leaves the others to its busy handler, which
sleeps between tries for longer and longer (1, 2, 5, 10 ... up to 100 ms). Under several
writers at once a waiting one sleeps on through the moments the lock is free: a booking whose
write transaction takes 3 ms waited up to half a second (make bench, Booking).

Here every write transaction (an `atomic` block: settings make each BEGIN IMMEDIATE) first
takes an exclusive lock on a file beside the database (`<database>-writers`), released when
the transaction commits or rolls back. The operating system wakes the next waiter the moment
it is free, in turn, so writers queue instead of polling. A process that dies holding it loses
it at once. The wait is bounded by the database's busy timeout, then fails as SQLite would
("database is locked"). Statements outside a transaction keep SQLite's own handler; the file
lock only orders writers that would otherwise wait for SQLite's lock anyway.
"""

import fcntl
import os
import signal
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# Where the blocking wait cannot be bounded by a timer signal (any thread but the main one, or
# a timer already in use), the lock is tried again after at most this long.
LONGEST_PAUSE = 0.001


class _WaitedTooLong(Exception):
    pass


def _alarm(signum, frame):
    raise _WaitedTooLong


def _timer_is_ours_to_use() -> bool:
    """Only the main thread receives signals, and a timer someone else set must be left alone."""
    return (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


class WriterQueue:
    """An exclusive lock on a file, taken by at most one connection of any process at a time."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None
        self.held = False

    def acquire(self, *, timeout: float) -> None:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if _timer_is_ours_to_use():
                self._wait_blocking(timeout)
            else:
                self._wait_polling(timeout)
        self.held = True

    def _wait_blocking(self, timeout: float) -> None:
        """Sleep in the kernel until the lock is free, a timer signal ending the wait."""
        previous = signal.signal(signal.SIGALRM, _alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _WaitedTooLong:
            # The timer can go off just as the lock is granted: then the lock is held, and
            # must be used (or it would stay taken until this connection closes).
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OperationalError("database is locked") from None
        finally:
            signal.signal(signal.SIGALRM, previous)

    def _wait_polling(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pause = LONGEST_PAUSE / 8
        while True:
            time.sleep(pause)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
            pause = min(pause * 2, LONGEST_PAUSE)

    def release(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.release()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class DatabaseWrapper(base.DatabaseWrapper):
    writers: WriterQueue | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # Shared-cache in-memory databases (the tests') live in one process: nothing to queue.
        if self.transaction_mode == "IMMEDIATE" and not self.is_in_memory_db():
            self.writers = WriterQueue(f"{self.settings_dict['NAME']}-writers")
            self.busy_timeout = float(conn_params.get("timeout", 5))
        return connection

    def _start_transaction_under_autocommit(self):
        if self.writers is None:
            return super()._start_transaction_under_autocommit()
        self.writers.acquire(timeout=self.busy_timeout)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.writers.release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            if self.writers is not None:
                self.writers.release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            if self.writers is not None:
                self.writers.release()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self.writers is not None:
                self.writers.close()
                self.writers = None
