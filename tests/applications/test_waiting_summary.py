"""Issue 25's weekly summary: submissions waiting more than two weeks for a decision remind the secretariat."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications.services import waiting_submissions_summary_send
from tests.applications.solution_factories import SolutionFactory
from tests.factories import ProjectApplicationFactory

pytestmark = pytest.mark.django_db


def _sent(factory, *, days: int, status: str = "submitted", **fields):
    return factory(status=status, submitted_at=timezone.now() - timedelta(days=days), **fields)


def test_the_secretariat_gets_one_summary_a_week_of_what_waits_longest(settings, django_capture_on_commit_callbacks):
    oldest = _sent(ProjectApplicationFactory, days=30, title="Flood sensors for the river", status="under_review")
    _sent(ProjectApplicationFactory, days=15, title="Smart bins")
    _sent(ProjectApplicationFactory, days=5, title="Too recent")
    _sent(ProjectApplicationFactory, days=40, title="Already decided", status="accepted")
    _sent(SolutionFactory, days=20, name="Leak detection")

    with django_capture_on_commit_callbacks(execute=True):
        assert waiting_submissions_summary_send() == 3
        waiting_submissions_summary_send()  # the scheduler fires twice: still one summary this week

    [summary] = mail.outbox
    assert summary.to == [settings.SECRETARIAT_EMAIL]
    assert summary.subject == "Waiting for a decision for more than two weeks: 3"
    body = summary.body
    assert body.index("Flood sensors for the river") < body.index("Smart bins")
    assert "Leak detection" in body and "Too recent" not in body and "Already decided" not in body
    assert f"/admin/applications/projectapplication/{oldest.pk}/change/" in summary.alternatives[0][0]


def test_nothing_waiting_sends_nothing(django_capture_on_commit_callbacks):
    _sent(ProjectApplicationFactory, days=3)

    with django_capture_on_commit_callbacks(execute=True):
        assert waiting_submissions_summary_send() == 0

    assert mail.outbox == []


def test_next_week_brings_a_new_summary(django_capture_on_commit_callbacks):
    _sent(ProjectApplicationFactory, days=20)

    with django_capture_on_commit_callbacks(execute=True):
        waiting_submissions_summary_send()
        waiting_submissions_summary_send(now=timezone.now() + timedelta(days=7))

    assert len(mail.outbox) == 2


def test_beat_sends_it_on_mondays(settings):
    from wego_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["waiting-submissions-summary"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1}
