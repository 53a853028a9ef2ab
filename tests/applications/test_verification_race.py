"""A submission racing the organisation's verification is e-mailed to the leaders exactly once, whichever commits
first: the submission holds the organisation's row, so the verification waits and then releases it."""

import threading

import pytest
from django.db import connections, transaction

from accounts.services import organisation_verify
from applications.workflow import Action, submission_transition
from notifications.models import OutboundEmail
from tests.factories import (
    ClusterFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)
from tests.notifications.conftest import wait_until
from tests.races import someone_waits_for_a_lock

pytestmark = pytest.mark.django_db(transaction=True)


def test_verification_during_a_submission_releases_it_once(staff_user):
    leader = UserFactory()
    cluster = ClusterFactory(leaders=[leader])
    city = OrganisationFactory(is_verified=False)
    official = OrganisationMembershipFactory(organisation=city, role="admin").user
    application = ProjectApplicationFactory(organisation=city, cluster=cluster)
    submitted, commit = threading.Event(), threading.Event()

    def submit():
        try:
            with transaction.atomic():
                submission_transition(application, Action.SUBMIT, by=official)
                submitted.set()
                commit.wait(timeout=10)
        finally:
            connections.close_all()

    def verify():
        try:
            submitted.wait(timeout=10)
            organisation_verify(organisation=city, by=staff_user)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit), threading.Thread(target=verify)]
    for thread in threads:
        thread.start()
    submitted.wait(timeout=10)
    wait_until(someone_waits_for_a_lock, what="the verification to wait for the submission's transaction")
    commit.set()
    for thread in threads:
        thread.join(timeout=20)

    emails = OutboundEmail.objects.filter(template="application_submitted")
    assert list(emails.values_list("recipient_user", flat=True)) == [leader.pk]
