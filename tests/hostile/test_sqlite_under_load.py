"""The embedded SQLite default under concurrent writers (issue 14, item 9).

200 requests from 10 threads on the work queue gave "database is locked" 500s, closes of different
months started together all failed. A transaction that reads and then writes while another
writer commits in between died at once in SQLite's default (deferred) mode. With WAL, a busy
timeout and ``transaction_mode=IMMEDIATE`` the second writer waits for the first instead.
"""

import sqlite3
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        yield _make(tmp_path)


def _make(tmp_path):
    """A file database with the embedded default's options, also where the suite runs on PostgreSQL."""
    settings = dict(connections.settings["default"])
    settings.update(
        ENGINE="django.db.backends.sqlite3",
        NAME=str(tmp_path / "load.sqlite3"),
        OPTIONS=dict(django_settings.EMBEDDED_SQLITE_OPTIONS),
        TEST={},
        USER="",
        PASSWORD="",
        HOST="",
        PORT="",
    )
    setup = DatabaseWrapper(settings, alias="load-setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id integer primary key, n integer NOT NULL)")
        cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    setup.close()
    return settings, mode


def test_the_default_uses_wal_and_waits_for_the_other_writer(file_database):
    settings, mode = file_database
    assert mode == "wal"  # readers never block the writer
    first_read, second_done = threading.Event(), threading.Event()
    errors = []

    def read_then_write(alias, wait_for=None, signal=None):
        db = DatabaseWrapper(settings, alias=alias)
        connections[alias] = db
        try:
            with transaction.atomic(using=alias), db.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                n = cursor.fetchone()[0]
                if signal:
                    signal.set()
                if wait_for:
                    wait_for.wait(timeout=2)  # the other writer has committed, or is waiting for us
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
        except Exception as exc:  # asserted on below
            errors.append(exc)
        finally:
            if alias == "load-second":
                second_done.set()
            db.close()

    first = threading.Thread(target=read_then_write, args=("load-first", second_done, first_read))
    first.start()
    first_read.wait(timeout=10)
    second = threading.Thread(target=read_then_write, args=("load-second",))
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)
    assert not errors, errors
    check = sqlite3.connect(settings["NAME"])
    assert check.execute("SELECT n FROM counter").fetchone()[0] == 2, "an update was lost"
    check.close()
