"""A public case shows only what the city agreed to publish; the city hears when it goes public and can take it
out of the library at once."""

import pytest
from django.urls import reverse

from applications.models import ProjectApplication
from applications.services import application_publish
from notifications.models import OutboundEmail
from tests.factories import ProjectApplicationFactory

pytestmark = pytest.mark.django_db

SECRET = "Quokkashield"  # a word found nowhere else, placed in the cybersecurity text


@pytest.fixture
def accepted(official, cluster):
    return ProjectApplicationFactory(
        organisation=official.organisation,
        cluster=cluster,
        status="accepted",
        title="Flood early warning",
        cybersecurity=f"{SECRET} network segmentation and signed firmware.",
        privacy="Gauges record water levels, never people.",
        budget=987654,
        funding_sources="A regional resilience fund.",
        contact_name="Jane Official",
        contact_email="jane.private@city.example",
        contact_phone="+82 2 1234 5678",
    )


@pytest.fixture
def published(accepted, staff_user):
    return application_publish(application=accepted, by=staff_user)


def _public_page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_public_case_hides_security_budget_and_contact_unless_the_city_agreed(client, published):
    html = _public_page(client, published)

    assert "Flood early warning" in html and "Sensors dim the street lights" in html
    for private in (
        SECRET,
        "never people",
        "987,654",
        "987654",
        "regional resilience fund",
        "jane.private",
        "1234 5678",
    ):
        assert private not in html
    assert "Jane Official" not in html
    assert "has not published a contact person" in html


def test_case_search_does_not_find_words_of_the_private_parts(client, published):
    assert client.get(reverse("cases:library"), {"q": "flood"}).context["page_obj"].paginator.count == 1
    found = client.get(reverse("cases:library"), {"q": SECRET}).context["page_obj"].paginator.count
    assert found == 0
    document = ProjectApplication.objects.filter(pk=published.pk).values_list("search_document", flat=True).get()
    assert SECRET.lower() not in str(document).lower()


def test_signed_in_readers_of_a_case_get_the_public_page_not_the_whole_worksheet(client, other_official, published):
    client.force_login(other_official)

    response = client.get(published.get_absolute_url())

    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[published.pk])


def test_what_the_city_ticks_appears_and_a_cached_page_is_retired(client, official, published, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    assert SECRET not in _public_page(client, published)  # now kept in the page cache

    client.force_login(official)
    response = client.post(
        reverse("applications:publication", args=[published.pk]),
        {"publish_cybersecurity": "on", "publish_budget": "on", "publish_contact": "on"},
        follow=True,
    )
    assert "The public case page shows exactly this from now on." in response.content.decode()
    client.logout()
    client.cookies.clear()

    html = _public_page(client, published)
    assert SECRET in html and "987,654" in html and "jane.private@city.example" in html


def test_only_the_city_decides_what_is_published(client, other_official, staff_user, published):
    url = reverse("applications:publication", args=[published.pk])
    for person in (other_official, staff_user):
        client.force_login(person)
        client.post(url, {"publish_cybersecurity": "on"})
    published.refresh_from_db()
    assert not published.publish_cybersecurity


def test_the_city_is_emailed_in_its_language_when_its_case_goes_public(official, accepted, staff_user):
    official.preferred_language = "ko"
    official.save()
    accepted.created_by = official
    accepted.save()

    application_publish(application=accepted, by=staff_user)
    application_publish(application=accepted, by=staff_user)  # already public: nothing twice

    [email] = OutboundEmail.objects.filter(template="case_published")
    assert email.recipient_user == official and email.language == "ko"
    assert f"/ko/cases/{accepted.pk}/" in email.text  # the link opens the page in their language


def test_the_city_takes_its_case_out_of_the_library_at_once(client, official, published, staff_user, settings):
    published.created_by = official
    published.save()
    client.force_login(official)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Take our case out of the library" in page

    response = client.post(reverse("applications:case_withdraw", args=[published.pk]), {"withdraw": "1"}, follow=True)

    assert "no longer public" in response.content.decode()
    published.refresh_from_db()
    assert not published.is_published and published.case_withdrawn_at is not None
    assert client.get(reverse("cases:detail", args=[published.pk])).status_code == 404
    [email] = OutboundEmail.objects.filter(template="case_withdrawn")
    assert email.recipient == settings.SECRETARIAT_EMAIL and "Flood early warning" in email.subject


def test_a_withdrawn_case_is_not_published_again_until_the_city_allows_it(client, official, published, staff_user):
    client.force_login(official)
    client.post(reverse("applications:case_withdraw", args=[published.pk]), {"withdraw": "1"})
    client.force_login(staff_user)

    refused = client.post(reverse("applications:publish", args=[published.pk]), follow=True)

    assert "took this case out of the library" in refused.content.decode()
    published.refresh_from_db()
    assert not published.is_published

    client.force_login(official)
    client.post(reverse("applications:case_withdraw", args=[published.pk]), {"withdraw": "0"})
    client.force_login(staff_user)
    client.post(reverse("applications:publish", args=[published.pk]))
    published.refresh_from_db()
    assert published.is_published
