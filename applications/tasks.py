"""Periodic work of the applications app, run by Celery beat (wego_portal/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_progress_reminders() -> int:
    """Daily: each quarter, once, ask accepted projects that have not reported yet to report their KPIs."""
    return services.progress_reminders_send()
