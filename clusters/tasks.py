"""Periodic work of the clusters app, run by Celery beat (wego_portal/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_join_request_reminders() -> int:
    """Daily: once, remind the deciders of each request to join that has waited more than a week."""
    return services.join_request_reminders_send()
