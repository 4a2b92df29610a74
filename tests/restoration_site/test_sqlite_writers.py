"""SQLite writers queue on a file lock (restoration_site/common/sqlite): a writer waits for the
one writing, then writes; it gives up after the busy timeout as SQLite would; a rollback or a
process that dies holding the lock frees it. Run on a file database of their own, whichever
database the rest of the suite uses."""

import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from restoration_site.common.sqlite import base
from restoration_site.common.sqlite.base import WriterQueue


def handler(path, *, timeout: float = 20) -> ConnectionHandler:
    """Connections to the SQLite file at `path`, configured as the site's settings configure
    the embedded default (one per thread, as Django's own)."""
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "restoration_site.common.sqlite",
                "NAME": str(path),
                "OPTIONS": {
                    "timeout": timeout,
                    "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                },
            }
        }
    )


@contextmanager
def write_transaction(connection):
    """What `transaction.atomic` does on SQLite, for a connection outside Django's own handler:
    BEGIN (IMMEDIATE, from the settings) in autocommit mode, then commit, or roll back."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield connection
    except BaseException:
        connection.rollback()
        raise
    else:
        connection.commit()
    finally:
        connection.set_autocommit(True)


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    # These tests open SQLite files of their own, never the test run's database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "writers.sqlite3"
    connections = handler(path)
    with connections["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE booking (who TEXT)")
    connections.close_all()
    return path


def write(connections: ConnectionHandler, who: str) -> None:
    with write_transaction(connections["default"]) as connection, connection.cursor() as cursor:
        cursor.execute("INSERT INTO booking VALUES (%s)", [who])


def rows(path) -> list[str]:
    connections = handler(path)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT who FROM booking ORDER BY rowid")
        found = [who for (who,) in cursor.fetchall()]
    connections.close_all()
    return found


class Holder(threading.Thread):
    """Another connection, in its own thread, inside a write transaction until `release` is
    set (or a rollback, with `fail`)."""

    def __init__(self, path, *, fail: bool = False):
        super().__init__()
        self.path, self.fail = path, fail
        self.holding, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        connections = handler(self.path)
        try:
            with write_transaction(connections["default"]) as connection:
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO booking VALUES ('first')")
                self.holding.set()
                self.release.wait(10)
                if self.fail:
                    raise RuntimeError("undone")
        except RuntimeError:
            pass
        finally:
            connections.close_all()


def test_a_writer_waits_for_the_one_writing_and_then_writes_after_it(database):
    holder = Holder(database)
    holder.start()
    holder.holding.wait(5)
    threading.Timer(0.3, holder.release.set).start()
    connections = handler(database)
    write(connections, "second")
    connections.close_all()
    holder.join()
    assert rows(database) == ["first", "second"]


def test_a_writer_gives_up_after_the_busy_timeout_as_sqlite_would(database):
    holder = Holder(database)
    holder.start()
    holder.holding.wait(5)
    connections = handler(database, timeout=0.3)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            write(connections, "second")
    finally:
        holder.release.set()
        holder.join()
        connections.close_all()
    assert rows(database) == ["first"]


def test_waiting_leaves_no_timer_or_alarm_handler_behind(database):
    holder = Holder(database)
    holder.start()
    holder.holding.wait(5)
    connections = handler(database, timeout=0.2)
    try:
        with pytest.raises(OperationalError):
            write(connections, "second")
    finally:
        holder.release.set()
        holder.join()
        connections.close_all()
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_writer_in_another_thread_gives_up_after_the_busy_timeout_too(database):
    holder = Holder(database)
    holder.start()
    holder.holding.wait(5)
    outcome = []

    def second_writer():
        connections = handler(database, timeout=0.3)
        try:
            write(connections, "second")
            outcome.append("wrote")
        except OperationalError as error:
            outcome.append(str(error))
        finally:
            connections.close_all()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(10)
    holder.release.set()
    holder.join()
    assert outcome == ["database is locked"]


def test_a_timer_that_goes_off_as_the_lock_is_granted_leaves_it_held_and_used(
    database, monkeypatch
):
    queue, other = WriterQueue(f"{database}-writers"), WriterQueue(f"{database}-writers")
    other.acquire(timeout=1)
    real_flock = base.fcntl.flock

    def granted_then_alarm(fd, operation):
        if operation == base.fcntl.LOCK_EX:  # the blocking wait
            other.release()
            real_flock(fd, operation)
            raise base._WaitedTooLong
        return real_flock(fd, operation)

    monkeypatch.setattr(base.fcntl, "flock", granted_then_alarm)
    queue.acquire(timeout=1)
    monkeypatch.setattr(base.fcntl, "flock", real_flock)
    assert queue.held
    with pytest.raises(OperationalError):  # it is held, by `queue`
        other.acquire(timeout=0.1)
    queue.release()
    other.acquire(timeout=1)  # and released
    other.close()
    queue.close()


def test_a_rolled_back_transaction_frees_the_lock_at_once(database):
    holder = Holder(database, fail=True)
    holder.start()
    holder.holding.wait(5)
    holder.release.set()
    holder.join()
    connections = handler(database, timeout=0.5)
    write(connections, "second")
    connections.close_all()
    assert rows(database) == ["second"]


def test_a_process_that_dies_holding_the_lock_frees_it(database):
    # The lock alone, taken in a process that is then killed: the kernel releases it.
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
            f"{database}-writers",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "held"
        queue = WriterQueue(f"{database}-writers")
        with pytest.raises(OperationalError):
            queue.acquire(timeout=0.2)
        child.kill()
        child.wait()
        started = time.monotonic()
        queue.acquire(timeout=5)
        queue.close()
    finally:
        child.kill()
        child.wait()
    assert time.monotonic() - started < 5
