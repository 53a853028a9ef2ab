"""Every public page, in every translated language, shows no English sentence the catalogue translates.

A sentence counts when it is a catalogue entry of three words or more whose translation differs from the
English (tests/i18n/catalogue.py). These fail until the translators' catalogues are merged.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.applications.solution_factories import ApprovedSolutionFactory
from tests.factories import ClusterFactory, EventFactory, ProjectApplicationFactory

from .catalogue import TRANSLATED_LANGUAGES, english_left


@pytest.fixture
def public_urls(db):
    """Every page a visitor can open without signing in, each with something to show."""
    cluster = ClusterFactory(status="active")
    event = EventFactory(related_clusters=[cluster], capacity=40)
    case = ProjectApplicationFactory(cluster=cluster, status="accepted", published_at=timezone.now())
    solution = ApprovedSolutionFactory(clusters=[cluster])
    return [
        ("home", ()),
        ("clusters:list", ()),
        ("clusters:detail", (cluster.slug,)),
        ("cases:library", ()),
        ("cases:detail", (case.pk,)),
        ("solutions:directory", ()),
        ("solutions:detail", (solution.pk,)),
        ("events:upcoming", ()),
        ("events:past", ()),
        ("events:cluster", (cluster.slug,)),
        ("events:detail", (event.slug,)),
        ("take_part", ()),
        ("organisation_profile", (case.organisation_id,)),
        ("organisation_profile", (solution.organisation_id,)),
        ("account_login", ()),
        ("account_signup", ()),
        ("account_reset_password", ()),
    ]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_public_page_is_in_the_language_with_no_english_sentence_left(language, public_urls):
    client = Client()
    leftovers = {}
    for name, args in public_urls:
        with translation.override(language):
            url = reverse(name, args=args)
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert f'<html lang="{language}">' in page, url
        english = english_left(page, language)
        if english:
            leftovers[url] = english
    assert not leftovers, f"English left on {language} pages: {leftovers}"


def test_the_check_sees_english_sentences_on_the_english_page(public_urls):
    """The check itself: on the English page it finds the catalogue's sentences, so on a translated page
    it would find any left untranslated."""
    page = Client().get(reverse("clusters:list")).content.decode()

    for language in TRANSLATED_LANGUAGES:
        assert "Suggest a new theme" in english_left(page, language)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_pages_people_work_in_are_in_their_language(language, db):
    """A city official's application page (its forms for progress reports and messages), the worksheet, their own
    lists and profile, a company's solution and its form, and the leader page: no English sentence left, including
    those formatted with values (an upload field's help)."""
    from tests.applications.solution_factories import SolutionFactory
    from tests.factories import OrganisationMembershipFactory, SubmittedApplicationFactory, UserFactory

    leader = UserFactory(full_name="Lea Leader")
    cluster = ClusterFactory(leaders=[leader], status="active")
    official = OrganisationMembershipFactory(organisation__kind="city", role="admin").user
    provider = OrganisationMembershipFactory(organisation__kind="company", role="admin").user
    sent = SubmittedApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)
    draft = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)
    solution = SolutionFactory(organisation=provider.organisation, created_by=provider, clusters=[cluster])
    own_pages = ["applications:mine", "applications:new", "accounts:profile", "accounts:organisation", "events:mine"]
    pages = [
        (official, reverse("applications:detail", args=[sent.pk])),
        (official, reverse("applications:edit", args=[draft.pk])),
        *((official, reverse(name)) for name in own_pages),
        (official, reverse("teams:mine")),
        (official, reverse("tokens:list")),
        (provider, reverse("solutions:mine")),
        (provider, reverse("solutions:edit", args=[solution.pk])),
        (provider, reverse("solutions:detail", args=[solution.pk])),
        (leader, reverse("clusters:lead")),
        (leader, reverse("applications:detail", args=[sent.pk])),
    ]
    clients = {}
    for person in (official, provider, leader):
        clients[person] = Client()
        clients[person].force_login(person)
    leftovers = _english_on(
        [(clients[person], f"/{language}{url.removeprefix('/en')}") for person, url in pages], language
    )
    assert not leftovers, f"English left on {language} pages: {leftovers}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_the_back_office_speaks_the_staff_members_language(language, staff_user):
    """The admin has no language prefix: it follows the language the staff member chose on their profile."""
    from tests.factories import RegistrationFactory, SubmittedApplicationFactory

    application = SubmittedApplicationFactory()
    RegistrationFactory()
    staff_user.preferred_language = language
    staff_user.save()
    client = Client()
    client.force_login(staff_user)
    pages = [
        reverse("admin:index"),
        reverse("admin:applications_projectapplication_changelist"),
        reverse("admin:applications_projectapplication_change", args=[application.pk]),
        reverse("admin:events_registration_changelist"),
        reverse("admin:notifications_outboundemail_changelist"),
        reverse("admin:clusters_cluster_changelist"),
        reverse("admin:accounts_organisation_changelist"),
    ]
    leftovers = _english_on([(client, url) for url in pages], language)
    assert not leftovers, f"English left in the {language} back office: {leftovers}"


def _english_on(pages: list[tuple[Client, str]], language: str) -> dict[str, list[str]]:
    """The English sentences left on each page, opened with its client (which must get it: 200)."""
    leftovers = {}
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        english = english_left(response.content.decode(), language)
        if english:
            leftovers[url] = english
    return leftovers
