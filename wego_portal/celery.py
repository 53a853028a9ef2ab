"""The Celery application. Workers: `celery -A wego_portal worker`; schedules: `celery -A wego_portal beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")

app = Celery("wego_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
