"""Periodic work of the applications app, run by Celery beat (wego_portal/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_progress_reminders() -> int:
    """Daily: each quarter, once, ask accepted projects that have not reported yet to report their KPIs."""
    return services.progress_reminders_send()


@shared_task(ignore_result=True)
def send_waiting_submissions_summary() -> int:
    """Weekly: tell the secretariat which submissions have waited more than two weeks for a decision."""
    return services.waiting_submissions_summary_send()


@shared_task(ignore_result=True)
def send_call_deadline_reminders() -> int:
    """Hourly: drafts made for a call hear 7 days and 1 day before it closes for them, once each."""
    return services.call_deadline_reminders_send()


@shared_task(ignore_result=True)
def send_review_reminders() -> int:
    """Daily: reviewers with applications still to score hear 3 days before the call's reviews are due."""
    return services.review_reminders_send()
