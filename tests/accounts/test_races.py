"""A person saving their own details while the secretariat changes the same row, against the real PostgreSQL
(forced order: tests/races.py). The person's form writes its own fields only."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Organisation, User
from tests.factories import OrganisationMembershipFactory, UserFactory
from tests.races import SecondRequest, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_profile_saved_while_staff_take_away_staff_status_does_not_give_it_back():
    colleague = UserFactory(is_staff=True, full_name="Min-ji Park")
    saving = SecondRequest(
        colleague,
        reverse("accounts:profile"),
        {
            "full_name": "Min-ji Park",
            "job_title": "CIO",
            "preferred_language": "en",
            "time_zone": "Asia/Seoul",
            "digest_hour": "9",
        },
    )

    race(lambda: User.objects.filter(pk=colleague.pk).update(is_staff=False), saving)

    colleague.refresh_from_db()
    assert (colleague.is_staff, colleague.job_title) == (False, "CIO")


def test_an_organisation_edited_while_staff_verify_it_stays_verified(staff_user):
    admin = OrganisationMembershipFactory(role="admin", organisation__is_verified=False).user
    organisation = admin.organisation
    editing = SecondRequest(
        admin,
        reverse("accounts:organisation_edit"),
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "country": organisation.country.code,
            "city": "Lyon",
            "website": "",
        },
    )

    race(lambda: services.organisation_verify(organisation=organisation, by=staff_user), editing)

    organisation = Organisation.objects.get(pk=organisation.pk)
    assert (organisation.is_verified, organisation.city) == (True, "Lyon")
