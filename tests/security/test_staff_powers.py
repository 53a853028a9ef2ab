"""Every staff power on the portal's own pages needs what the back office needs: the second factor (an activated
authenticator app, with ADMIN_REQUIRE_MFA) and the Django model permission for the same work (issue 21)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.workflow import Action, Status, submission_transition
from tests.applications.files import GOOD_FILES, stored_document
from tests.conftest import activate_totp
from tests.factories import OrganisationFactory, ProjectApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

TWO_FACTOR_MESSAGE = "This needs two-factor authentication"


@pytest.fixture
def staff_without_two_factor():
    """A secretariat superuser on a password alone."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def view_only_staff():
    """A staff member with an authenticator app and only the back office's view permissions."""
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return staff


@pytest.fixture
def draft_with_document():
    """Another organisation's draft, with its worksheet attached."""
    application = ProjectApplicationFactory(organisation=OrganisationFactory(kind="city", name="City of Lyon"))
    document = stored_document(application)
    return application, document


@pytest.fixture
def under_review():
    return ProjectApplicationFactory(status=Status.UNDER_REVIEW, submitted_at=timezone.now())


@pytest.fixture
def accepted():
    return ProjectApplicationFactory(status=Status.ACCEPTED, submitted_at=timezone.now(), decided_at=timezone.now())


def _document_url(document) -> str:
    return reverse("applications:document", args=[document.application_id, document.pk])


# --- Staff on a password alone ----------------------------------------------------------------------------


def test_staff_without_two_factor_cannot_download_another_organisation_s_document(
    client, staff_without_two_factor, draft_with_document
):
    application, document = draft_with_document
    client.force_login(staff_without_two_factor)

    response = client.get(_document_url(document), follow=True)

    assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert TWO_FACTOR_MESSAGE in response.text
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 302


def test_staff_without_two_factor_cannot_accept(client, staff_without_two_factor, under_review):
    client.force_login(staff_without_two_factor)

    response = client.post(reverse("applications:transition", args=[under_review.pk]), {"action": "accept"})

    assert response["Location"] == reverse("mfa_activate_totp")
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW and not under_review.history.exists()
    with pytest.raises(PermissionDenied):
        submission_transition(under_review, Action.ACCEPT, by=staff_without_two_factor)


def test_staff_without_two_factor_cannot_publish(client, staff_without_two_factor, accepted):
    client.force_login(staff_without_two_factor)

    response = client.post(reverse("applications:publish", args=[accepted.pk]), {"publish": "1"})

    assert response["Location"] == reverse("mfa_activate_totp")
    accepted.refresh_from_db()
    assert accepted.published_at is None
    with pytest.raises(PermissionDenied):
        services.application_publish(application=accepted, by=staff_without_two_factor)


def test_without_the_two_factor_requirement_staff_keep_their_powers(client, settings, staff_without_two_factor):
    settings.ADMIN_REQUIRE_MFA = False
    application = ProjectApplicationFactory(status=Status.UNDER_REVIEW, submitted_at=timezone.now())
    client.force_login(staff_without_two_factor)

    client.post(reverse("applications:transition", args=[application.pk]), {"action": "accept"})

    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


# --- View-only staff ------------------------------------------------------------------------------------


def test_view_only_staff_see_others_drafts_and_their_documents(client, view_only_staff, draft_with_document):
    application, document = draft_with_document
    client.force_login(view_only_staff)

    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    response = client.get(_document_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == GOOD_FILES["worksheet.pdf"]


def test_view_only_staff_are_offered_no_review_and_cannot_accept(client, view_only_staff, under_review):
    client.force_login(view_only_staff)

    page = client.get(reverse("applications:detail", args=[under_review.pk]))
    response = client.post(reverse("applications:transition", args=[under_review.pk]), {"action": "accept"})

    assert page.status_code == 200 and 'value="accept"' not in page.text
    assert response.status_code == 403
    under_review.refresh_from_db()
    assert under_review.status == Status.UNDER_REVIEW


def test_view_only_staff_are_offered_no_publishing_and_cannot_publish(client, view_only_staff, accepted):
    client.force_login(view_only_staff)

    page = client.get(reverse("applications:detail", args=[accepted.pk]))
    response = client.post(reverse("applications:publish", args=[accepted.pk]), {"publish": "1"})

    assert page.status_code == 200 and "Publish as a best-practice case" not in page.text
    assert response.status_code == 403
    accepted.refresh_from_db()
    assert accepted.published_at is None


# --- Staff with both ------------------------------------------------------------------------------------


def test_staff_with_two_factor_and_permission_are_offered_and_make_the_moves(client, staff_user, under_review):
    client.force_login(staff_user)

    page = client.get(reverse("applications:detail", args=[under_review.pk]))
    client.post(reverse("applications:transition", args=[under_review.pk]), {"action": "accept"})
    client.post(reverse("applications:publish", args=[under_review.pk]), {"publish": "1"})

    assert 'value="accept"' in page.text
    under_review.refresh_from_db()
    assert under_review.status == Status.ACCEPTED and under_review.published_at is not None
