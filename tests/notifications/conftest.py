"""A real Celery worker, in a thread, consuming from the test Redis database.

Tests that use it are transactional (`transaction=True`): the worker thread has its own database
connection and only sees what the test has committed, as a real worker would.
"""

import os
import time
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections

from notifications import services
from wego_portal.celery import app as celery_app

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
MARKER_ADDRESS = "marker@example.org"


# A queue of their own, so a worker someone runs against the same Redis database cannot take the tests' tasks:
# one per pytest-xdist process too, whose workers each have a database of their own.
TEST_QUEUE = f"wego-portal-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def _reset_connection_pools() -> None:
    """Celery caches its broker connections and queues; drop them so changed settings take effect."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    for cached in ("queues", "router", "default_queue"):
        celery_app.amqp.__dict__.pop(cached, None)


@pytest.fixture(autouse=True)
def _broker_not_marked_down():
    services._broker_down_until = 0.0
    yield
    services._broker_down_until = 0.0


@pytest.fixture
def real_celery(settings):
    """Tasks go through the broker (the test Redis database) instead of running in-process."""
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    celery_app.conf.task_default_queue = TEST_QUEUE
    _reset_connection_pools()
    celery_app.control.purge()
    yield celery_app
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_delete(TEST_QUEUE)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_default_queue = default_queue
    _reset_connection_pools()


@pytest.fixture
def celery_worker(real_celery, transactional_db):
    """Start a worker with `with celery_worker():`; it stops (finishing its current task) at the block's end."""

    @contextmanager
    def run():
        with start_worker(real_celery, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker

    yield run
    connections.close_all()


@pytest.fixture
def drain(real_celery):
    """Wait until the worker has consumed every task queued so far: queue a marker e-mail and wait for it.

    The solo worker takes tasks one at a time in queue order, so once the marker is sent the tasks queued
    before it are done. The marker is removed from the outbox and the mailbox afterwards.
    """

    def wait() -> None:
        from django.core import mail
        from django.db import transaction

        from notifications.models import OutboundEmail

        with transaction.atomic():
            marker = services.email_queue(
                address=MARKER_ADDRESS,
                template="outbox_check",
                context={"number": 0},
                dedup_key=f"test-marker:{time.monotonic_ns()}",
            )
        wait_until(lambda: OutboundEmail.objects.filter(pk=marker.pk, status="sent").exists(), what="the marker")
        marker.delete()
        mail.outbox[:] = [message for message in mail.outbox if message.to != [MARKER_ADDRESS]]

    return wait


@pytest.fixture
def broker_down(real_celery):
    """Point the portal at a closed port, as when Redis is down, for the duration of a `with` block."""

    @contextmanager
    def down():
        working = real_celery.conf.broker_url
        real_celery.conf.broker_url = UNREACHABLE_BROKER
        _reset_connection_pools()
        try:
            yield
        finally:
            real_celery.conf.broker_url = working
            _reset_connection_pools()

    return down


def wait_until(condition: Callable[[], bool], *, timeout: float = 20.0, what: str = "the worker") -> None:
    """Poll until the worker thread has done its part; fail with a clear message if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s waiting for {what}.")
        time.sleep(0.05)
