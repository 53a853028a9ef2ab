"""Finding 5 of the security review: forms that e-mail someone accept only so many sends per person.

The counts live in the "default" cache; tests/conftest.py clears it around every test.
"""

import pytest
from django.urls import reverse

from accounts.models import OrganisationMembership
from clusters.models import ClusterMembership, ThemeSuggestion
from notifications.models import OutboundEmail
from tests.applications.solution_factories import ApprovedSolutionFactory
from tests.factories import ClusterFactory, OrganisationFactory, SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

WAIT_MESSAGE = "You have sent this form as often as the portal accepts in a short time. Please try again in"


def _suggest(client, number: int):
    return client.post(
        reverse("clusters:suggest"),
        {"title": f"Theme {number}", "rationale": f"Why theme {number} matters.", "participants": "Coastal cities."},
    )


def test_fifteen_quick_suggestions_store_and_email_only_the_first_five(client, user, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "theme_suggestion": "5/1h"}
    client.force_login(user)

    responses = [_suggest(client, number) for number in range(15)]

    assert [r.status_code for r in responses] == [302] * 5 + [429] * 10
    assert ThemeSuggestion.objects.count() == 5
    assert OutboundEmail.objects.filter(template="theme_suggested").count() == 5
    refused = responses[-1]
    html = refused.content.decode()
    assert f"{WAIT_MESSAGE} 1\xa0hour; what you wrote is still below." in html
    assert "Why theme 14 matters." in html and 'value="Theme 14"' in html
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_someone_else_can_still_suggest_when_one_person_is_limited(client, user, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "theme_suggestion": "2/1h"}
    client.force_login(user)
    for number in range(3):
        _suggest(client, number)

    client.force_login(UserFactory())
    response = _suggest(client, 99)

    assert response.status_code == 302
    assert ThemeSuggestion.objects.count() == 3


def test_a_form_with_mistakes_does_not_count(client, user, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "theme_suggestion": "1/1h"}
    client.force_login(user)
    for _attempt in range(3):
        client.post(reverse("clusters:suggest"), {"title": "Half", "rationale": "", "participants": ""})

    assert _suggest(client, 1).status_code == 302


def test_cluster_join_requests_are_limited_per_person(client, org_admin, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "cluster_join": "1/1h"}
    first, second = ClusterFactory(leaders=[UserFactory()]), ClusterFactory(leaders=[UserFactory()])
    client.force_login(org_admin)
    client.post(reverse("clusters:join", args=[first.slug]), {"motivation": "We run smart parking."})

    response = client.post(reverse("clusters:join", args=[second.slug]), {"motivation": "We run open data."})

    assert response.status_code == 429
    assert WAIT_MESSAGE in response.content.decode() and "We run open data." in response.content.decode()
    assert list(ClusterMembership.objects.values_list("cluster", flat=True)) == [first.pk]
    assert OutboundEmail.objects.filter(template="cluster_join_requested").count() == 1


def test_a_join_request_the_portal_refused_is_given_back(client, org_admin, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "cluster_join": "1/1h"}
    cluster = ClusterFactory(leaders=[UserFactory()], status="closed")
    client.force_login(org_admin)
    client.post(reverse("clusters:join", args=[cluster.slug]), {"motivation": "Please."})
    cluster.status = "active"
    cluster.save()

    response = client.post(reverse("clusters:join", args=[cluster.slug]), {"motivation": "Please."})

    assert response.status_code == 302
    assert ClusterMembership.objects.count() == 1


def test_organisation_join_requests_are_limited_per_person(client, user, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "organisation_join": "1/1h"}
    seoul, busan = OrganisationFactory(name="Seoul"), OrganisationFactory(name="Busan")
    client.force_login(user)
    client.post(reverse("accounts:organisation_join"), {"organisation": seoul.pk, "message": "Hello"})
    OrganisationMembership.objects.filter(user=user).delete()  # as "withdraw my request" does

    response = client.post(reverse("accounts:organisation_join"), {"organisation": busan.pk, "message": "I work here"})

    assert response.status_code == 429
    html = response.content.decode()
    assert WAIT_MESSAGE in html and "I work here" in html
    assert not OrganisationMembership.objects.filter(organisation=busan).exists()


def test_new_organisations_are_limited_per_person(client, user, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "organisation_create": "0/1h"}
    client.force_login(user)

    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "City of Testville", "kind": "city", "country": "KR", "city": "Testville", "website": ""},
    )

    assert response.status_code == 429
    assert WAIT_MESSAGE in response.content.decode() and "City of Testville" in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_introductions_are_limited_per_leader(client, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "introduction": "1/1h"}
    leader = UserFactory()
    application = SubmittedApplicationFactory(cluster=ClusterFactory(leaders=[leader]))
    first, second = ApprovedSolutionFactory.create_batch(2, clusters=[application.cluster])
    client.force_login(leader)
    client.post(reverse("solutions:introduce", args=[first.pk]), {"application": application.pk})

    response = client.post(reverse("solutions:introduce", args=[second.pk]), {"application": application.pk})

    assert response.status_code == 429
    assert "You have done this as often as the portal accepts in a short time." in response.content.decode()
    assert application.introductions.count() == 1
