"""Load check for the outbox: queue many e-mails, let real Celery workers drain them, count what went out.

    CELERY_BROKER_URL=redis://... DATABASE_URL=postgres://... python manage.py outbox_load --count 10000

It starts its own worker process (writing the e-mails to files in a temporary directory instead of a mail
server), queues the e-mails in transactions of --batch rows, exactly as the portal does, and waits until
every row is sent. It prints the time taken, the rows marked sent, and the messages the mail backend
actually received, which must all equal --count. Not part of the test suite: it takes a while.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from celery import current_app as app  # the portal's (wego_portal/celery.py), without importing the wiring
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from notifications.models import OutboundEmail
from notifications.services import email_queue


class Command(BaseCommand):
    help = "Queue many e-mails, drain them with a Celery worker and report how long it took and how many went."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=500, help="E-mails queued per transaction.")
        parser.add_argument("--concurrency", type=int, default=2, help="Worker processes.")
        parser.add_argument("--timeout", type=int, default=1800, help="Seconds to wait for the queue to drain.")
        parser.add_argument("--keep", action="store_true", help="Keep the rows in the outbox afterwards.")

    def handle(self, *args, count: int, batch: int, concurrency: int, timeout: int, keep: bool, **options):
        if app.conf.task_always_eager or not settings.CELERY_BROKER_URL:
            raise CommandError("Set CELERY_BROKER_URL: the load check needs a broker and a real worker.")
        run = uuid.uuid4().hex[:8]
        # A queue of its own: other workers on this broker must not take (or be given) the load's tasks.
        queue = f"outbox-load-{run}"
        app.conf.task_default_queue = queue
        for cached in ("queues", "router", "default_queue"):
            app.amqp.__dict__.pop(cached, None)
        mail_dir = Path(tempfile.mkdtemp(prefix=f"outbox-load-{run}-"))
        worker = self._start_worker(mail_dir, concurrency, queue)
        try:
            self._wait_for_worker(worker, queue)
            started = time.monotonic()
            for first in range(0, count, batch):
                with transaction.atomic():
                    for number in range(first, min(first + batch, count)):
                        email_queue(
                            address=f"load-{run}-{number}@example.org",
                            template="outbox_check",
                            context={"number": number},
                            dedup_key=f"outbox-load:{run}:{number}",
                        )
            queued = time.monotonic() - started
            self.stdout.write(f"Queued {count} e-mails in {queued:.1f}s; waiting for the worker to drain them...")
            rows = OutboundEmail.objects.filter(dedup_key__startswith=f"outbox-load:{run}:")
            deadline = started + timeout
            while rows.filter(status=OutboundEmail.Status.SENT).count() < count and time.monotonic() < deadline:
                time.sleep(0.5)
            drained = time.monotonic() - started
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
            with app.connection_for_write() as connection:
                connection.default_channel.queue_delete(queue)
        sent_rows = rows.filter(status=OutboundEmail.Status.SENT).count()
        others = dict(
            rows.exclude(status=OutboundEmail.Status.SENT).order_by().values_list("status").annotate(Count("pk"))
        )
        keys = re.findall(rb"X-WeGO-Key: (outbox-load:\S+)", b"".join(p.read_bytes() for p in mail_dir.iterdir()))
        self.stdout.write(
            f"Drained in {drained:.1f}s from the first queued e-mail ({sent_rows / drained:.0f} e-mails/s) "
            f"with {concurrency} worker processes.\n"
            f"Rows marked sent: {sent_rows} of {count}. Messages the mail backend received: {len(keys)}, "
            f"of which distinct: {len(set(keys))}. Rows in other statuses: {others or 'none'}."
        )
        if not keep:
            rows.delete()
        for path in mail_dir.iterdir():
            path.unlink()
        mail_dir.rmdir()
        if not sent_rows == len(keys) == len(set(keys)) == count:
            raise CommandError("Some e-mails were not sent exactly once.")

    def _start_worker(self, mail_dir: Path, concurrency: int, queue: str) -> subprocess.Popen:
        environment = {**os.environ, "EMAIL_URL": f"filemail:///{mail_dir}", "LOG_LEVEL": "WARNING"}
        environment.pop("EMAIL_BACKEND", None)
        command = [sys.executable, "-m", "celery", "-A", "wego_portal", "worker", "--loglevel", "WARNING"]
        command += ["--concurrency", str(concurrency), "--queues", queue, "--hostname", f"{queue}@%h"]
        return subprocess.Popen(command, env=environment, cwd=settings.BASE_DIR)  # noqa: S603

    def _wait_for_worker(self, worker: subprocess.Popen, queue: str) -> None:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise CommandError("The Celery worker did not start; see its output above.")
