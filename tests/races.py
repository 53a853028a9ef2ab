"""Forced races against the real PostgreSQL: two requests on one row, in a known order.

The first request runs in the test's own connection inside a transaction held open, the second in a thread with its
own connection; the first commits only once PostgreSQL shows the second waiting for a lock the first holds
(pg_blocking_pids). So the second always reads before the first commits and writes after it. Tests that use it need
`django_db(transaction=True)`.
"""

import threading

from django.db import connection, transaction
from django.test import Client

WAIT_SECONDS = 30


class SecondRequest(threading.Thread):
    """Posts `data` to `url` as `user` from its own thread, so from its own database connection. The person is
    signed in here, before the race: signing in writes their row, which the first request may hold."""

    def __init__(self, user, url: str, data: dict):
        super().__init__()
        self.client = Client()
        self.client.force_login(user)
        self.url, self.data = url, data
        self.pid = None
        self.response = None
        self.error = None
        self.connected = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.connected.set()
            self.response = self.client.post(self.url, self.data)
        except Exception as error:  # reported by the test: it must see every failure
            self.error = error
        finally:
            self.connected.set()
            connection.close()


def _waits_for_a_lock(pid: int) -> bool:
    """Asked from the test's own connection: PostgreSQL's lock table, live even inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


def someone_waits_for_a_lock() -> bool:
    """Some connection of the test database is waiting for a lock: for races whose second side is not a request."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def race(first, second: SecondRequest):
    """Run `first()` in a transaction held open until `second` waits for a lock it holds; return first's result."""
    with transaction.atomic():
        result = first()
        second.start()
        assert second.connected.wait(WAIT_SECONDS)
        while second.is_alive() and not _waits_for_a_lock(second.pid):
            second.join(timeout=0.01)  # the second request reaches the row; it cannot pass it before we commit
        assert second.is_alive(), "the second request did not wait for the first one's lock"
    second.join(timeout=WAIT_SECONDS)
    assert not second.is_alive() and second.error is None, second.error
    return result
