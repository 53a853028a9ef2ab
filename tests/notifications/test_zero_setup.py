"""The zero-setup run (SQLite, no broker) still e-mails, to the console; bad outbox settings stop start-up."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QUEUE_ONE = """
from django.db import transaction
from notifications.models import OutboundEmail
from notifications.services import email_queue
with transaction.atomic():
    email = email_queue(address="secretariat@wego-net.org", template="outbox_check", context={"number": 3},
                        dedup_key="zero-setup:3")
print("status:", OutboundEmail.objects.get(pk=email.pk).status)
"""


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "wego_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_broker_emails_are_delivered_in_process_to_the_console(tmp_path):
    env = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'zero.sqlite3'}"}
    assert _manage("migrate", "-v0", **env).returncode == 0

    result = _manage("shell", "-c", QUEUE_ONE, **env)

    assert result.returncode == 0, result.stderr
    assert "Subject: Outbox check 3" in result.stdout
    assert "status: sent" in result.stdout
    assert "WARNING" not in result.stderr


def test_digest_hour_outside_the_day_stops_start_up():
    result = _manage("check", DEBUG="true", DIGEST_HOUR="24")

    assert result.returncode != 0
    assert "DIGEST_HOUR must be an hour from 0 to 23, not 24." in result.stderr
