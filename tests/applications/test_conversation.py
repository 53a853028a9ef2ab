"""Issue 25's conversation: the applicant organisation and its reviewers (the secretariat, the cluster's leaders)
write to each other on the submission's page, with files checked as every upload; reviewers' internal notes are
never shown to the applicant; the other side is e-mailed; the page's queries stay constant as messages grow."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Message
from applications.services import message_post
from tests.applications.files import GOOD_FILES, upload
from tests.applications.solution_factories import SolutionFactory
from tests.factories import ClusterFactory, SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(city, cluster, official):
    return SubmittedApplicationFactory(organisation=city, cluster=cluster, created_by=official, title="Bus lanes")


def _post(client, application, **data):
    return client.post(reverse("applications:message", args=[application.pk]), data)


def test_staff_ask_the_official_answers_with_a_file_and_each_side_is_emailed(
    client, application, staff_user, official, leader, settings, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, application, body="How many buses use the lanes each day?")
    assert response.status_code == 302
    [question] = mail.outbox
    assert question.to == [official.email] and question.subject == "New message about “Bus lanes”"
    assert "The WeGO secretariat wrote to you" in question.body and "How many buses" in question.body

    client.force_login(official)
    attachment = upload("counts.pdf", GOOD_FILES["worksheet.pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, application, body="About 420; the counts are attached.", file=attachment)
    assert response.status_code == 302
    answer = Message.objects.get(side="applicant")
    assert answer.attachment.original_name == "counts.pdf"
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted([leader.email, settings.SECRETARIAT_EMAIL])

    page = client.get(application.get_absolute_url()).text
    assert page.index("How many buses") < page.index("About 420")
    assert "WeGO secretariat" in page and staff_user.full_name not in page  # reviewers' names are theirs
    download = client.get(answer.attachment.get_absolute_url())
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_an_internal_note_is_never_shown_to_the_applicant_nor_emailed(
    client, application, staff_user, official, leader, django_capture_on_commit_callbacks
):
    note_file = upload("assessment.pdf", GOOD_FILES["worksheet.pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        note = message_post(
            submission=application, by=staff_user, body="Budget looks inflated.", internal=True, upload=note_file
        )
    assert mail.outbox == []

    client.force_login(official)
    page = client.get(application.get_absolute_url()).text
    assert "Budget looks inflated" not in page and "Internal note" not in page and "assessment.pdf" not in page
    assert client.get(note.attachment.get_absolute_url()).status_code == 404
    response = _post(client, application, body="Sneaky", internal="on")
    assert response.status_code == 302
    assert Message.objects.get(body="Sneaky").internal is False  # the applicant has no such choice

    client.force_login(leader)
    page = client.get(application.get_absolute_url()).text
    assert "Budget looks inflated" in page and "Internal note — the applicant does not see this" in page
    assert client.get(note.attachment.get_absolute_url()).status_code == 200


def test_a_leader_of_another_cluster_reads_and_writes_nothing(client, application):
    stranger = UserFactory()
    ClusterFactory(leaders=[stranger])
    message = message_post(submission=application, by=application.created_by, body="Hello reviewers")
    client.force_login(stranger)
    assert _post(client, application, body="Let me in").status_code == 404
    assert client.get(reverse("applications:message_attachment", args=[application.pk, message.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        message_post(submission=application, by=stranger, body="Let me in")


def test_nothing_is_written_before_the_submission_is_sent(city, cluster, official, staff_user):
    from tests.factories import ProjectApplicationFactory

    draft = ProjectApplicationFactory(organisation=city, cluster=cluster)
    with pytest.raises(ValidationError, match="once it is submitted"):
        message_post(submission=draft, by=official, body="Anyone there?")
    with pytest.raises(PermissionDenied):
        message_post(submission=draft, by=staff_user, body="Not yet", internal=True)


def test_bad_input_is_refused_clearly_and_what_was_typed_is_kept(client, application, official):
    client.force_login(official)
    response = _post(client, application, body="   ")
    assert response.status_code == 400 and "Write a message." in response.text

    exe = upload("counts.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = _post(client, application, body="Here are the counts, typed with care.", file=exe)
    assert response.status_code == 400
    assert "Here are the counts, typed with care." in response.text
    assert not Message.objects.exists()

    response = _post(client, application, body="x" * 5001)
    assert response.status_code == 400 and not Message.objects.exists()


def test_the_solution_conversation_reaches_the_leaders_of_its_clusters(
    client, company, provider, cluster, leader, staff_user, django_capture_on_commit_callbacks
):
    solution = SolutionFactory(organisation=company, created_by=provider, clusters=[cluster], status="submitted")
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("solutions:message", args=[solution.pk]), {"body": "Which cities use it?"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[provider.email]]
    assert "A leader of the cluster wrote to you" in mail.outbox[0].body
    client.force_login(provider)
    assert "Which cities use it?" in client.get(solution.get_absolute_url()).text


def test_the_page_shows_the_latest_messages_in_constant_queries(client, application, staff_user, official):
    def page_queries(count: int) -> tuple[int, str]:
        Message.objects.all().delete()
        Message.objects.bulk_create(
            Message(application=application, author=official, side="applicant", body=f"Message {n:03}")
            for n in range(count)
        )
        client.force_login(staff_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(application.get_absolute_url())
        assert response.status_code == 200
        return len(queries), response.text

    page_queries(0)  # the first request warms the process's caches (content types)
    few, _ = page_queries(2)
    many, page = page_queries(45)
    assert few == many
    assert "Message 044" in page and "Message 014" not in page and "Earlier messages" in page
    before = page.split('href="?before=')[1].split("#")[0]
    earlier = client.get(f"{application.get_absolute_url()}?before={before}").text
    assert "Message 014" in earlier and "Message 000" in earlier and "Message 044" not in earlier
