"""Two transactions queueing the same event at once write one row: the second waits, then writes nothing."""

import threading

import pytest
from django.db import connections, transaction

from notifications import services
from notifications.models import OutboundEmail
from tests.notifications.conftest import wait_until
from tests.races import someone_waits_for_a_lock

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_transactions_with_one_dedup_key_write_one_row(user):
    inserted, commit = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = services.email_queue(
                    user=user, template="outbox_check", context={"number": 1}, dedup_key="race:1"
                )
                inserted.set()
                commit.wait(timeout=10)
        finally:
            connections.close_all()

    def second():
        try:
            inserted.wait(timeout=10)
            with transaction.atomic():
                # Blocks on the unique key until the first transaction commits, then writes nothing.
                results["second"] = services.email_queue(
                    user=user, template="outbox_check", context={"number": 2}, dedup_key="race:1"
                )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inserted.wait(timeout=10)
    wait_until(someone_waits_for_a_lock, what="the second transaction to wait on the first one's key")
    commit.set()
    for thread in threads:
        thread.join(timeout=20)

    assert results["first"] is not None
    assert results["second"] is None
    assert list(OutboundEmail.objects.values_list("subject", flat=True)) == ["Outbox check 1"]
