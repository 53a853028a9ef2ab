"""Deleting an account leaves nothing that names the person (security review, finding 9), and the
personal-data download holds the clusters they lead and the files they uploaded."""

import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from accounts import services as account_services
from accounts.models import OrganisationMembership
from applications import services as application_services
from applications.models import ApplicationDocument, ProjectApplication, TeamMember
from applications.workflow import Action, submission_transition
from clusters import services as cluster_services
from clusters.models import ClusterMembership
from events import services as event_services
from notifications.models import OutboundEmail
from tests.applications.files import pdf_bytes, upload
from tests.factories import (
    TEST_PASSWORD,
    ClusterFactory,
    EventFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Hannah Kowalczyk"
EMAIL = "hannah.kowalczyk@riverton.example"
# Kept on purpose (documented): an organisation's name is its own, even when it is also a person's.
KEPT = {("accounts.Organisation", "name"), ("accounts.HistoricalOrganisation", "name")}


def _rows_naming(*needles: str) -> list[tuple[str, str, object]]:
    """(model, column, pk) of every row of every model whose text columns (JSON included) hold a needle."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            if (model._meta.label, field.name) in KEPT:
                continue
            as_text = Cast(field.name, TextField())
            mentions = Q()
            for needle in needles:
                mentions |= Q(as_text__icontains=needle)
            for pk in model._base_manager.annotate(as_text=as_text).filter(mentions).values_list("pk", flat=True):
                found.append((model._meta.label, field.name, pk))
    return found


@pytest.fixture
def hannah(django_capture_on_commit_callbacks):
    """A city official who did a bit of everything, with e-mails about her sent, waiting and held."""
    person = UserFactory(full_name=NAME, email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        city = account_services.organisation_create(user=person, name="Riverton", kind="city", country="US")
    colleague = OrganisationMembershipFactory(organisation=city, role="admin").user
    leader = UserFactory()
    cluster = ClusterFactory(name="Smart Mobility")
    cluster.leaders.add(leader, person)
    with django_capture_on_commit_callbacks(execute=True):
        cluster_services.cluster_membership_request(
            cluster=cluster, organisation=city, by=person, motivation=f"{NAME} runs our mobility pilots."
        )
        application = ProjectApplicationFactory(
            organisation=city,
            created_by=person,
            cluster=cluster,
            title="Bike lanes",
            contact_name=NAME.upper(),
            contact_email=EMAIL,
        )
        TeamMember.objects.create(application=application, name=NAME, organisation="Riverton", role="Lead")
        application_services.attachment_add(
            submission=application,
            by=person,
            upload=upload("plan.pdf", pdf_bytes()),
            model=ApplicationDocument,
            kind="",
        )
        submission_transition(application, Action.SUBMIT, by=person, note=f"Questions to {EMAIL}, please.")
        event_services.registration_create(event=EventFactory(), user=person, attendance="in_person")
    # One e-mail about her still waiting for a worker (broker down), to her colleague.
    OutboundEmail.objects.create(
        recipient=colleague.email,
        language="en",
        template="organisation_join_requested",
        subject=f"{NAME} asked to join",
        text=f"{NAME} <{EMAIL}> asked to join Riverton.",
        dedup_key="test:waiting-about-hannah",
    )
    # One e-mail to her still waiting, found by address only.
    OutboundEmail.objects.create(
        recipient=EMAIL.upper(), language="en", template="x", subject="Hello", text="Hi", dedup_key="test:pending"
    )
    staff = UserFactory(is_staff=True)
    membership = OrganisationMembership.objects.get(user=person)
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(OrganisationMembership),
        object_id=str(membership.pk),
        object_repr=str(membership),
        action_flag=CHANGE,
        change_message=f"Checked {EMAIL}",
    )
    return person


def test_the_person_is_found_before_deletion(hannah):
    """The search below can fail: before deletion it finds the person in many tables."""
    tables = {label for label, _column, _pk in _rows_naming(EMAIL, NAME)}
    assert {"notifications.OutboundEmail", "applications.ProjectApplication", "admin.LogEntry"} <= tables
    assert OutboundEmail.objects.filter(recipient_user=hannah, status="sent").exists()


def test_deleting_an_account_leaves_no_row_holding_its_address_or_name(client, hannah):
    client.force_login(hannah)

    response = client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD}, follow=True)

    assert "Your account has been deleted." in response.text
    assert _rows_naming(EMAIL, NAME) == []


def test_what_the_organisation_needs_stays_without_naming_her(client, hannah):
    client.force_login(hannah)

    client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})

    application = ProjectApplication.objects.get()
    assert (application.title, application.status, application.created_by) == ("Bike lanes", "submitted", None)
    assert (application.contact_name, application.contact_email) == ("", "")
    assert application.documents.get().original_name == "plan.pdf"
    assert application.history.get().note == "Questions to former member, please."
    assert TeamMember.objects.get().name == "former member"
    membership = ClusterMembership.objects.get()
    assert membership.motivation == "Removed: the person who wrote this deleted their account."
    waiting = OutboundEmail.objects.get(dedup_key="test:waiting-about-hannah")
    assert (waiting.status, waiting.text) == ("pending", "former member <former member> asked to join Riverton.")


def test_e_mails_to_her_go_and_those_not_sent_yet_are_cancelled_and_emptied(client, hannah):
    sent_to_her = list(OutboundEmail.objects.filter(recipient_user=hannah, status="sent").values_list("pk", flat=True))
    client.force_login(hannah)

    client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})

    assert sent_to_her and not OutboundEmail.objects.filter(pk__in=sent_to_her).exists()
    cancelled = OutboundEmail.objects.get(dedup_key="test:pending")
    assert (cancelled.status, cancelled.recipient, cancelled.subject, cancelled.text) == ("cancelled", "", "", "")
    assert not OutboundEmail.objects.filter(template__startswith="event_registration").exists()


def test_a_one_word_name_is_not_searched_in_free_text(client):
    person = OrganisationMembershipFactory(user__full_name="Paris", role="admin").user
    other = ProjectApplication.objects.create(organisation=OrganisationFactory(), title="Paris metro")
    client.force_login(person)

    client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})

    other.refresh_from_db()
    assert other.title == "Paris metro"


def test_the_download_lists_the_clusters_she_leads_and_the_files_she_uploaded(client, hannah):
    client.force_login(hannah)

    data = json.loads(client.get(reverse("accounts:data_download")).content)

    assert [cluster["name"] for cluster in data["clusters.Cluster"]["leaders"]] == ["Smart Mobility"]
    [uploaded] = data["uploaded_files"]
    assert (uploaded["record"], uploaded["original_name"], uploaded["size"]) == (
        "applications.ApplicationDocument",
        "plan.pdf",
        len(pdf_bytes()),
    )


def test_staff_deleting_the_account_in_the_back_office_leaves_nothing_either(client, hannah, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("admin:accounts_user_delete", args=[hannah.pk]), {"post": "yes"}, follow=True)

    assert response.status_code == 200
    assert _rows_naming(EMAIL, NAME) == []


def test_staff_deleting_accounts_with_the_list_action_leaves_nothing_either(client, hannah, staff_user):
    client.force_login(staff_user)

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [hannah.pk], "post": "yes"},
    )

    assert _rows_naming(EMAIL, NAME) == []
