"""Reviewing a project application from its admin page: one button per allowed move, the note to the applicant."""

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import ProjectApplication
from tests.factories import ProjectApplicationFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


def _change_url(application) -> str:
    return reverse("admin:applications_projectapplication_change", args=[application.pk])


def _review_url(application) -> str:
    return reverse("admin:applications_projectapplication_review", args=[application.pk])


@pytest.fixture
def application(city, official):
    return SubmittedApplicationFactory(organisation=city, created_by=official, title="Smart street lighting")


def _buttons(response) -> list[str]:
    return [label for _action, label, _note in response.context["review_moves"]]


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        ("draft", []),
        ("submitted", ["Start review", "Accept", "Request changes", "Decline"]),
        ("under_review", ["Accept", "Request changes", "Decline"]),
        ("accepted", ["Publish as a best-practice case"]),
        ("declined", []),
    ],
)
def test_change_page_shows_a_button_for_each_allowed_move(admin_client, city, status, buttons):
    application = ProjectApplicationFactory(organisation=city, status=status)

    response = admin_client.get(_change_url(application))

    assert _buttons(response) == buttons
    html = response.content.decode()
    for label in buttons:
        assert f">{label}</button>" in html


def test_start_review_button_moves_it_and_writes_the_audit_row(admin_client, staff_user, application):
    response = admin_client.post(_review_url(application), {"review_action": "start_review"}, follow=True)

    application.refresh_from_db()
    assert application.status == "under_review"
    entry = application.history.get()
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
        "start_review",
        "submitted",
        "under_review",
        staff_user,
    )
    assert "is now “Under review”" in response.content.decode()
    assert response.redirect_chain[-1][0] == _change_url(application)


def test_decline_button_emails_the_note_to_the_applicant(
    admin_client, application, official, django_capture_on_commit_callbacks
):
    ProjectApplication.objects.filter(pk=application.pk).update(status="under_review")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            _review_url(application), {"review_action": "decline", "note": "The budget is not explained."}
        )

    application.refresh_from_db()
    assert application.status == "declined"
    assert application.history.get().note == "The budget is not explained."
    [email] = mail.outbox
    assert email.to == [official.email]
    assert "The budget is not explained." in email.body


def test_request_changes_without_a_note_is_refused_and_shows_the_panel_again(admin_client, application):
    ProjectApplication.objects.filter(pk=application.pk).update(status="under_review")

    response = admin_client.post(_review_url(application), {"review_action": "request_changes", "note": "  "})

    assert response.status_code == 200
    assert "Write a note that tells the applicant" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "under_review"
    assert not application.history.exists()


def test_an_illegal_move_is_refused_with_a_message_and_the_note_is_kept(admin_client, application):
    application.status = "under_review"
    application.save()
    response = admin_client.post(_review_url(application), {"review_action": "start_review", "note": "Well done."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "This cannot be done now" in html
    assert ">Well done.</textarea>" in html
    application.refresh_from_db()
    assert application.status == "under_review"


def test_an_unknown_move_is_refused_not_a_server_error(admin_client, application):
    response = admin_client.post(_review_url(application), {"review_action": "delete_everything"})

    assert response.status_code == 200
    assert "is not something that can be done here" in response.content.decode()


def test_publish_and_unpublish_buttons(admin_client, city):
    application = ProjectApplicationFactory(organisation=city, status="accepted")

    admin_client.post(_review_url(application), {"review_action": "publish"})
    application.refresh_from_db()
    assert application.is_published
    assert _buttons(admin_client.get(_change_url(application))) == ["Take out of the best-practice library"]

    admin_client.post(_review_url(application), {"review_action": "unpublish"})
    application.refresh_from_db()
    assert not application.is_published


def test_publishing_a_declined_application_is_refused(admin_client, city):
    application = ProjectApplicationFactory(organisation=city, status="declined")

    response = admin_client.post(_review_url(application), {"review_action": "publish"})

    assert "Only accepted applications can be published" in response.content.decode()
    application.refresh_from_db()
    assert not application.is_published


def test_review_page_of_a_missing_application_is_404(admin_client):
    assert admin_client.get(reverse("admin:applications_projectapplication_review", args=[999999])).status_code == 404


def test_bulk_accept_writes_audit_rows_and_emails_each_applicant(
    admin_client, city, official, django_capture_on_commit_callbacks
):
    applications = SubmittedApplicationFactory.create_batch(2, organisation=city, created_by=official)
    ProjectApplication.objects.update(status="under_review")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:applications_projectapplication_changelist"),
            {"action": "accept", "_selected_action": [a.pk for a in applications]},
            follow=True,
        )

    assert "Accept: 2 done." in response.content.decode()
    assert set(ProjectApplication.objects.values_list("status", flat=True)) == {"accepted"}
    assert sorted(a.history.get().action for a in applications) == ["accept", "accept"]
    assert len(mail.outbox) == 2


def test_bulk_decline_asks_for_the_note_first(admin_client, application, django_capture_on_commit_callbacks):
    ProjectApplication.objects.filter(pk=application.pk).update(status="under_review")
    changelist = reverse("admin:applications_projectapplication_changelist")

    asking = admin_client.post(changelist, {"action": "decline", "_selected_action": [application.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            changelist,
            {"action": "decline", "_selected_action": [application.pk], "apply": "1", "note": "Out of scope."},
        )

    assert 'name="note"' in asking.content.decode()
    application.refresh_from_db()
    assert (application.status, application.history.get().note) == ("declined", "Out of scope.")
    assert len(mail.outbox) == 1


def test_bulk_start_review_reports_the_rows_it_refused(admin_client, city):
    draft = ProjectApplicationFactory(organisation=city, title="Still a draft")

    response = admin_client.post(
        reverse("admin:applications_projectapplication_changelist"),
        {"action": "start_review", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert "Still a draft: This cannot be done now" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
