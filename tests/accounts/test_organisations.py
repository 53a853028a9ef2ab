"""Creating, joining and running an organisation: the rules, what the pages show, what the database holds."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Organisation, OrganisationMembership, organisation_name_skeleton
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_CITY = {"name": "Quezon City Government", "kind": "city", "country": "PH", "city": "Quezon City", "website": ""}


def test_creating_an_organisation_makes_the_creator_its_administrator(
    client, user, settings, django_capture_on_commit_callbacks
):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:organisation_create"), NEW_CITY)

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Quezon City Government")
    membership = organisation.memberships.get()
    assert (membership.user, membership.role, membership.status) == (user, "admin", "active")
    assert not organisation.is_verified
    assert mail.outbox[-1].to == [settings.SECRETARIAT_EMAIL]
    assert "Quezon City Government" in mail.outbox[-1].subject


def test_empty_organisation_name_is_refused_and_the_rest_is_kept(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:organisation_create"), {**NEW_CITY, "name": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter the organisation" in html
    assert 'value="Quezon City"' in html
    assert not Organisation.objects.exists()


def test_duplicate_organisation_in_the_same_country_points_to_joining_it(client, user):
    OrganisationFactory(name="Quezon City Government", country="PH")
    client.force_login(user)

    response = client.post(reverse("accounts:organisation_create"), {**NEW_CITY, "name": "quezon city government"})

    assert response.status_code == 200
    assert "is already registered in this country. Ask to join it" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_same_name_in_another_country_is_allowed(user):
    OrganisationFactory(name="Smart City Lab", country="KR")

    services.organisation_create(user=user, name="Smart City Lab", kind="academia", country="FR")

    assert Organisation.objects.filter(name="Smart City Lab").count() == 2


def test_invalid_website_gets_an_example_of_a_valid_one(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:organisation_create"), {**NEW_CITY, "website": "not a url"})

    assert "Enter a full web address" in response.content.decode()


def test_a_person_cannot_create_a_second_organisation(org_admin):
    with pytest.raises(ValidationError, match="already belong"):
        services.organisation_create(user=org_admin, name="Another", kind="company", country="US")


def test_join_request_emails_the_organisation_administrators(
    client, user, organisation, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:organisation_join"),
            {"organisation": organisation.pk, "message": "I run the open data team."},
        )

    assert response.status_code == 302
    membership = OrganisationMembership.objects.get(user=user)
    assert membership.status == "pending"
    assert membership.message == "I run the open data team."
    assert [m.to for m in mail.outbox] == [[org_admin.email]]
    assert "I run the open data team." in mail.outbox[0].body


def test_join_request_without_administrators_goes_to_the_secretariat(
    user, settings, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(user=user, organisation=organisation)

    assert mail.outbox[-1].to == [settings.SECRETARIAT_EMAIL]


def test_second_request_is_refused_while_the_first_waits(user, organisation):
    services.membership_request(user=user, organisation=organisation)

    with pytest.raises(ValidationError, match="already asked to join"):
        services.membership_request(user=user, organisation=OrganisationFactory())


def test_administrator_approves_a_request_and_the_requester_is_told(
    client, org_admin, organisation, user, django_capture_on_commit_callbacks
):
    membership = services.membership_request(user=user, organisation=organisation)
    client.force_login(org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:membership_decide", args=[membership.pk]), {"decision": "approve", "note": "Welcome!"}
        )

    membership.refresh_from_db()
    assert membership.status == "active"
    assert membership.decided_by == org_admin
    assert membership.decision_note == "Welcome!"
    assert mail.outbox[0].to == [user.email]
    assert "Welcome!" in mail.outbox[0].body


def test_declined_person_may_ask_again(org_admin, organisation, user):
    first = services.membership_request(user=user, organisation=organisation)
    services.membership_decline(membership=first, by=org_admin, note="We do not know you.")

    second = services.membership_request(user=user, organisation=organisation, message="I am the new CIO.")

    assert second.status == "pending"
    assert OrganisationMembership.objects.filter(user=user).count() == 2


def test_a_decided_request_cannot_be_decided_again(org_admin, organisation, user):
    membership = services.membership_request(user=user, organisation=organisation)
    services.membership_approve(membership=membership, by=org_admin)

    with pytest.raises(ValidationError, match="already been decided"):
        services.membership_decline(membership=membership, by=org_admin)


def test_a_contact_cannot_decide_requests(org_contact, organisation, user):
    membership = services.membership_request(user=user, organisation=organisation)

    with pytest.raises(PermissionDenied):
        services.membership_approve(membership=membership, by=org_contact)


def test_administrator_of_another_organisation_gets_404_when_deciding(client, organisation, user):
    membership = services.membership_request(user=user, organisation=organisation)
    outsider = OrganisationMembershipFactory(role="admin").user
    client.force_login(outsider)

    response = client.post(reverse("accounts:membership_decide", args=[membership.pk]), {"decision": "approve"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_staff_can_decide_any_request(staff_user, organisation, user):
    membership = services.membership_request(user=user, organisation=organisation)

    services.membership_approve(membership=membership, by=staff_user)

    assert OrganisationMembership.objects.get(pk=membership.pk).status == "active"


def test_requester_can_withdraw_a_pending_request(client, user, organisation):
    services.membership_request(user=user, organisation=organisation)
    client.force_login(user)

    client.post(reverse("accounts:membership_cancel"))

    assert not OrganisationMembership.objects.filter(user=user).exists()


def test_only_administrators_may_edit_the_organisation(client, org_contact):
    client.force_login(org_contact)

    assert client.get(reverse("accounts:organisation_edit")).status_code == 403


def test_administrator_edits_the_organisation(client, org_admin, organisation):
    client.force_login(org_admin)

    client.post(
        reverse("accounts:organisation_edit"),
        {
            "name": organisation.name,
            "kind": "city",
            "country": "KR",
            "city": "Busan",
            "website": "https://busan.example",
        },
    )

    organisation.refresh_from_db()
    assert (organisation.city, organisation.website) == ("Busan", "https://busan.example")


def test_organisation_page_shows_pending_requests_only_to_administrators(client, organisation, org_admin, org_contact):
    requester = UserFactory(full_name="Jae-won Kim")
    services.membership_request(user=requester, organisation=organisation)

    client.force_login(org_admin)
    assert "Approve Jae-won Kim" in client.get(reverse("accounts:organisation")).content.decode()
    client.force_login(org_contact)
    assert "Jae-won Kim" not in client.get(reverse("accounts:organisation")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ["accounts:profile", "accounts:organisation", "accounts:organisation_create"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_profile_edit_saves_details(client, org_contact):
    client.force_login(org_contact)

    client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Min-ji Park",
            "job_title": "CIO",
            "preferred_language": "ko",
            "time_zone": "Asia/Seoul",
            "digest_hour": "9",
        },
    )

    org_contact.refresh_from_db()
    assert (org_contact.full_name, org_contact.job_title, org_contact.preferred_language, org_contact.time_zone) == (
        "Min-ji Park",
        "CIO",
        "ko",
        "Asia/Seoul",
    )
    assert org_contact.digest_hour == 9  # a leader's daily digest comes at 09:00 Seoul time


def test_profile_with_empty_name_keeps_the_typed_job_title(client, org_contact):
    client.force_login(org_contact)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "", "job_title": "Chief Data Officer", "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert 'value="Chief Data Officer"' in response.content.decode()


@pytest.mark.parametrize("organisations", [1, 60])
def test_join_search_query_count_is_constant(client, user, django_assert_max_num_queries, organisations):
    OrganisationFactory.create_batch(organisations)
    client.force_login(user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:organisation_join"))

    assert response.status_code == 200


def test_join_search_filters_by_name_and_country(client, user):
    OrganisationFactory(name="Seoul Metropolitan Government", country="KR")
    OrganisationFactory(name="Seoul Digital Foundation", country="KR")
    OrganisationFactory(name="City of Lyon", country="FR")
    client.force_login(user)

    response = client.get(reverse("accounts:organisation_join"), {"q": "seoul", "country": "KR"})

    assert [o.name for o in response.context["page_obj"]] == [
        "Seoul Digital Foundation",
        "Seoul Metropolitan Government",
    ]


# Look-alike names (security review, finding 8): "Demo City" spelt with a Cyrillic capital Es reads the same.
LOOKALIKE = "Demo \N{CYRILLIC CAPITAL LETTER ES}ity"
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "Demo City")
MIXED_CYRILLIC = (
    "D\N{CYRILLIC SMALL LETTER IE}m\N{CYRILLIC SMALL LETTER O} C\N{CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I}ty"
)


def test_a_cyrillic_look_alike_of_an_organisation_is_refused_and_names_the_existing_one(client, user):
    OrganisationFactory(name="Demo City", country="PH", city="Manila")
    client.force_login(user)

    response = client.post(reverse("accounts:organisation_create"), {**NEW_CITY, "name": LOOKALIKE})

    html = response.content.decode()
    assert response.status_code == 200
    assert "“Demo City” (Manila) is already registered in this country. Ask to join it" in html
    assert "Find my organisation" in html
    assert 'value="Quezon City"' in html  # what the person typed is kept
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("name", ["DEMO CITY", "demo-city", "Demo City.", FULL_WIDTH, MIXED_CYRILLIC])
def test_case_punctuation_and_other_look_alikes_are_refused_by_the_service(user, name):
    OrganisationFactory(name="Demo City", country="PH")

    with pytest.raises(ValidationError, match="Demo City"):
        services.organisation_create(user=user, name=name, kind="city", country="PH")

    assert Organisation.objects.count() == 1


def test_a_genuinely_different_name_in_the_same_country_is_accepted(user):
    OrganisationFactory(name="Demo City", country="PH")

    services.organisation_create(user=user, name="Demo County", kind="city", country="PH")

    assert Organisation.objects.filter(country="PH").count() == 2


def test_a_look_alike_in_another_country_is_accepted(user):
    OrganisationFactory(name="Demo City", country="PH")

    services.organisation_create(user=user, name=LOOKALIKE, kind="city", country="KR")

    assert Organisation.objects.filter(name=LOOKALIKE, country="KR").exists()


def test_renaming_to_a_look_alike_of_another_organisation_is_refused(client, organisation, org_admin):
    OrganisationFactory(name="Demo City", country=organisation.country)
    client.force_login(org_admin)
    original_name = organisation.name

    response = client.post(
        reverse("accounts:organisation_edit"),
        {"name": LOOKALIKE, "kind": organisation.kind, "country": organisation.country.code, "city": "", "website": ""},
    )

    assert response.status_code == 200
    assert "is already registered in this country, and this name looks the same" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == original_name


def test_an_organisation_keeps_its_own_name_when_edited(organisation, org_admin):
    services.organisation_update(organisation=organisation, by=org_admin, name=organisation.name.upper())

    organisation.refresh_from_db()
    assert organisation.name_skeleton == organisation_name_skeleton(organisation.name)


def test_the_back_office_refuses_a_look_alike_too(client, staff_user):
    OrganisationFactory(name="Demo City", country="PH")
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:accounts_organisation_add"), {"name": LOOKALIKE, "kind": "city", "country": "PH"}
    )

    assert response.status_code == 200
    assert "“Demo City”" in response.content.decode() and "is already registered in this country" in (
        response.content.decode()
    )
    assert Organisation.objects.count() == 1


def test_the_migration_gives_existing_organisations_their_skeleton():
    from importlib import import_module

    from django.apps import apps as django_apps

    migration = import_module("accounts.migrations.0005_organisation_name_skeleton")
    organisation = OrganisationFactory(name="Demo City")
    Organisation.objects.filter(pk=organisation.pk).update(name_skeleton="")

    migration.fill_name_skeletons(django_apps, None)

    organisation.refresh_from_db()
    assert organisation.name_skeleton == organisation_name_skeleton(LOOKALIKE) == "democity"
