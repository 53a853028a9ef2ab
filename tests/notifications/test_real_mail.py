"""What a mail client receives: the portal's e-mails as the test SMTP server got them, byte for byte, parsed as
standard MIME. Tasks run in-process here; tests/notifications/test_delivery_with_worker.py sends through a worker."""

import datetime as dt
import re
from email.utils import getaddresses

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from applications.models import Introduction
from applications.notifications import introduction_emails
from applications.workflow import submission_transition
from clusters import services as cluster_services
from clusters.models import ClusterEmailPreference
from events import services as event_services
from notifications import services
from notifications.models import OutboundEmail
from notifications.unsubscribe import unsubscribe_token
from tests.factories import (
    ClusterFactory,
    EventFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)
from tests.notifications.digests import A_DAY_LATER

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run `action`, then what its transaction queued for after commit: the e-mails go to the SMTP server."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def leader():
    return UserFactory(full_name="Javier Ortega")


@pytest.fixture
def cluster(leader):
    return ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])


def _received_by(smtp, address):
    return [received for received in smtp.received() if received.rcpt_tos == [address]]


def _ask_to_join(deliver, cluster, organisation_name="City of Daejeon"):
    admin = OrganisationMembershipFactory(role="admin", organisation__name=organisation_name).user
    return deliver(
        cluster_services.cluster_membership_request,
        cluster=cluster,
        organisation=admin.organisation,
        by=admin,
        motivation="Our bus priority project is ongoing.",
    )


def _headers(message) -> list[str]:
    return [name.lower() for name in message]


# --- A message as clients expect it -----------------------------------------------------------------


def test_the_received_bytes_are_standard_mime_with_text_and_html_from_one_template(smtp, deliver, cluster, leader):
    membership = _ask_to_join(deliver, cluster)

    [received] = smtp.received()
    message = received.message
    assert (received.mail_from, received.rcpt_tos) == ("secretariat@we-gov.org", [leader.email])
    assert (received.tls, received.authenticated_as) == (True, smtp.user)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert message["Subject"] == "City of Daejeon asks to join Smart Mobility"
    for body in (text, html):
        assert "City of Daejeon" in body and membership.requested_by.full_name in body
    assert "Our bus priority project is ongoing." in text
    assert "<" not in text.replace(f"<{settings.SITE_URL}", "").replace("<http", "")  # no markup left in the text
    leader_page = f"{settings.SITE_URL}/en/clusters/lead/?cluster=smart-mobility"
    assert f"Approve or decline the request on your leader page <{leader_page}>" in text


def test_each_email_has_its_stored_message_id_on_our_domain_and_says_a_machine_wrote_it(smtp, deliver, cluster):
    _ask_to_join(deliver, cluster)

    [received] = smtp.received()
    email = OutboundEmail.objects.get()
    message = received.message
    assert message["Message-ID"] == email.message_id
    assert re.fullmatch(r"<[^@<>\s]+@127\.0\.0\.1>", email.message_id)  # SITE_URL's host in the tests
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["From"] == "WeGO Clusters <secretariat@we-gov.org>"
    assert message["Date"] is not None


def test_a_reply_to_a_leaders_email_reaches_the_person_who_asked(smtp, deliver, cluster):
    membership = _ask_to_join(deliver, cluster)

    [received] = smtp.received()
    requester = membership.requested_by
    assert received.message["Reply-To"].addresses[0].addr_spec == requester.email
    assert received.message["Reply-To"].addresses[0].display_name == requester.full_name


def test_a_reply_to_a_decision_reaches_the_secretariat(smtp, deliver, cluster, leader):
    membership = _ask_to_join(deliver, cluster)
    smtp.reset()

    deliver(cluster_services.cluster_membership_approve, membership=membership, by=leader)

    [received] = smtp.received()
    assert received.message["Reply-To"] == settings.SECRETARIAT_EMAIL


def test_an_introduction_asks_each_side_to_reply_to_the_other(smtp, deliver, leader):
    from tests.applications.solution_factories import ApprovedSolutionFactory

    official = OrganisationMembershipFactory(role="admin", user__full_name="Ana Reyes").user
    application = ProjectApplicationFactory(
        organisation=official.organisation, created_by=official, contact_name="Ana Reyes", contact_email=official.email
    )
    provider = OrganisationMembershipFactory(role="admin", user__full_name="Min-jun Park").user
    solution = ApprovedSolutionFactory(organisation=provider.organisation, created_by=provider)
    introduction = Introduction.objects.create(application=application, solution=solution, introduced_by=leader)

    deliver(introduction_emails, introduction)

    [to_city] = _received_by(smtp, official.email)
    [to_company] = _received_by(smtp, provider.email)
    assert str(to_city.message["Reply-To"]) == f"Min-jun Park <{provider.email}>"
    assert str(to_company.message["Reply-To"]) == f"Ana Reyes <{official.email}>"
    assert to_city.message["References"] == to_company.message["References"]


def test_the_calendar_file_is_attached_as_a_calendar_with_its_method(smtp, deliver):
    person = OrganisationMembershipFactory(role="admin").user
    event = EventFactory(name="GCTC Expo")

    deliver(event_services.registration_create, event=event, user=person, attendance="in_person")

    [received] = smtp.received()
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename().endswith(".ics")
    assert "BEGIN:VCALENDAR" in attachment.get_content()
    assert "METHOD:PUBLISH" in attachment.get_content()
    assert received.message.get_body(("plain",)) is not None and received.message.get_body(("html",)) is not None


# --- Threads -------------------------------------------------------------------------------------------


def test_every_email_about_one_application_is_one_thread(smtp, deliver, cluster, leader, staff_user):
    official = OrganisationMembershipFactory(role="admin", organisation__is_verified=True).user
    application = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)
    other = ProjectApplicationFactory(organisation=official.organisation, cluster=cluster, created_by=official)

    deliver(submission_transition, application, "submit", by=official)
    deliver(submission_transition, other, "submit", by=official)
    deliver(submission_transition, application, "start_review", by=staff_user)
    deliver(submission_transition, application, "accept", by=staff_user, note="Welcome.")

    root = f"<thread.application-{application.pk}@127.0.0.1>"
    about_it = [r.message for r in smtp.received() if application.title in r.message["Subject"]]
    assert {message["References"] for message in about_it} == {root}
    assert {message["In-Reply-To"] for message in about_it} == {root}
    assert {tuple(r.rcpt_tos) for r in smtp.received() if r.message["References"] == root} == {
        (leader.email,),
        (official.email,),
    }
    [about_other] = [r.message for r in smtp.received() if other.title in r.message["Subject"]]
    assert about_other["References"] == f"<thread.application-{other.pk}@127.0.0.1>"
    assert len({r.message["Message-ID"] for r in smtp.received()}) == len(smtp.received())


def test_a_join_request_and_its_decision_are_one_thread(smtp, deliver, cluster, leader):
    membership = _ask_to_join(deliver, cluster)
    deliver(cluster_services.cluster_membership_decline, membership=membership, by=leader, note="Not this year.")

    request, decision = (received.message for received in smtp.received())
    root = f"<thread.cluster-membership-{membership.pk}@127.0.0.1>"
    assert request["References"] == decision["References"] == decision["In-Reply-To"] == root


# --- Unsubscribe ---------------------------------------------------------------------------------------


def _unsubscribe_address(message) -> str:
    return re.fullmatch(r"<(\S+)>", str(message["List-Unsubscribe"]).strip()).group(1)


def test_a_leaders_email_carries_one_click_unsubscribe(smtp, deliver, cluster):
    _ask_to_join(deliver, cluster)

    [received] = smtp.received()
    address = _unsubscribe_address(received.message)
    assert address.startswith(f"{settings.SITE_URL}/en/unsubscribe/")
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these e-mails <{address}>" in received.message.get_body(("plain",)).get_content()
    assert "because you lead Smart Mobility" in received.message.get_body(("plain",)).get_content()


def test_one_click_unsubscribe_turns_off_that_clusters_emails_and_no_other(smtp, deliver, cluster, leader):
    governance = ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])
    _ask_to_join(deliver, cluster)
    address = _unsubscribe_address(smtp.received()[0].message)
    from django.test import Client

    # As a mail provider does it (RFC 8058): a POST with this body, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        address.removeprefix(settings.SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Done: you will get no more e-mails about Smart Mobility." in response.content.decode()
    assert ClusterEmailPreference.objects.get(user=leader, cluster=cluster).frequency == "off"
    assert not ClusterEmailPreference.objects.filter(user=leader, cluster=governance).exists()
    smtp.reset()
    _ask_to_join(deliver, cluster, "City of Quezon")
    _ask_to_join(deliver, governance, "City of Seoul")
    assert [received.message["Subject"] for received in smtp.received()] == [
        "City of Seoul asks to join Smart Governance"
    ]


def test_the_unsubscribe_page_shows_the_persons_choices_without_signing_in(client, smtp, deliver, cluster, leader):
    governance = ClusterFactory(name="Smart Governance", slug="smart-governance", leaders=[leader])
    cluster_services.cluster_email_preference_set(user=leader, cluster=governance, frequency="daily")
    _ask_to_join(deliver, cluster)
    address = _unsubscribe_address(smtp.received()[0].message)

    html = client.get(address.removeprefix(settings.SITE_URL)).content.decode()

    assert "<strong>Smart Governance</strong>: One daily digest" in html
    assert "<strong>Smart Mobility</strong>: An e-mail for each event, as it happens" in html
    assert "Stop e-mails about Smart Mobility" in html
    assert not ClusterEmailPreference.objects.filter(cluster=cluster).exists()  # looking changes nothing


@pytest.mark.parametrize("token", ["not-a-token", "altered"])
def test_a_bad_unsubscribe_link_says_so_and_changes_nothing(client, cluster, leader, token):
    if token == "altered":
        token = unsubscribe_token(user_id=leader.pk, scopes=[f"cluster:{cluster.pk}"])[:-2] + "xx"

    response = client.post(reverse("unsubscribe", kwargs={"token": token}))

    assert response.status_code == 404
    assert "This unsubscribe link is no longer valid" in response.content.decode()
    assert not ClusterEmailPreference.objects.exists()


def test_an_unsubscribe_link_expires(client, cluster, leader, monkeypatch):
    two_months_ago = timezone.now().timestamp() - (settings.EMAIL_UNSUBSCRIBE_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: two_months_ago)
    token = unsubscribe_token(user_id=leader.pk, scopes=[f"cluster:{cluster.pk}"])
    monkeypatch.undo()

    response = client.post(reverse("unsubscribe", kwargs={"token": token}))

    assert response.status_code == 404
    assert not ClusterEmailPreference.objects.exists()


def test_emails_one_cannot_opt_out_of_say_why_they_were_sent(smtp, deliver, cluster, leader):
    membership = _ask_to_join(deliver, cluster)
    smtp.reset()

    deliver(cluster_services.cluster_membership_approve, membership=membership, by=leader)

    [received] = smtp.received()
    assert "list-unsubscribe" not in _headers(received.message)
    text = received.message.get_body(("plain",)).get_content()
    assert "it is about your own account, request, registration or submission on the portal" in text
    assert "Stop these e-mails" not in text


def test_the_daily_digest_carries_unsubscribe_for_the_clusters_it_gathers(smtp, deliver, cluster, leader):
    cluster_services.cluster_email_preference_set(user=leader, cluster=cluster, frequency="daily")
    _ask_to_join(deliver, cluster)
    assert smtp.received() == []
    assert "List-Unsubscribe" not in OutboundEmail.objects.get().html  # held: its own link would not be used

    deliver(lambda: services.digests_send(now=A_DAY_LATER()))

    [digest] = smtp.received()
    assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = _unsubscribe_address(digest.message)
    from django.test import Client

    Client().post(address.removeprefix(settings.SITE_URL), "List-Unsubscribe=One-Click", content_type="text/plain")
    assert ClusterEmailPreference.objects.get(user=leader, cluster=cluster).frequency == "off"


def test_the_digest_shows_times_in_the_leaders_time_zone_and_language(smtp, deliver, cluster, leader):
    leader.time_zone, leader.preferred_language = "Asia/Seoul", "fr"
    leader.save()
    cluster_services.cluster_email_preference_set(user=leader, cluster=cluster, frequency="daily")
    _ask_to_join(deliver, cluster)
    OutboundEmail.objects.update(created_at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC))

    deliver(lambda: services.digests_send(now=A_DAY_LATER()))

    [digest] = smtp.received()
    text = digest.message.get_body(("plain",)).get_content()
    assert "3 mars 2026 08:30" in text  # 23:30 UTC is 08:30 the next morning in Seoul


# --- Safety ----------------------------------------------------------------------------------------------


INJECTION = "Evil\r\nBcc: victim@example.org\r\nX-Injected: yes"


def test_newlines_in_every_field_that_reaches_a_header_inject_nothing(smtp, deliver, leader):
    """Names, organisation names, a submission's title and the reply-to person, all with CR/LF and a header."""
    cluster = ClusterFactory(name=f"Mobility {INJECTION}", leaders=[leader])
    leader.full_name = f"Leader {INJECTION}"
    leader.save()
    organisation = OrganisationFactory(name=f"City {INJECTION}", is_verified=True)
    official = OrganisationMembershipFactory(
        role="admin", organisation=organisation, user__full_name=f"Official {INJECTION}"
    ).user
    application = ProjectApplicationFactory(
        organisation=organisation, cluster=cluster, created_by=official, title=f"Project {INJECTION}"
    )

    deliver(submission_transition, application, "submit", by=official)
    deliver(
        cluster_services.cluster_membership_request,
        cluster=cluster,
        organisation=organisation,
        by=official,
        motivation="We want in.",
    )
    deliver(
        account_services.membership_request,
        user=UserFactory(full_name=f"Joiner {INJECTION}"),
        organisation=organisation,
    )
    deliver(
        services.email_queue,
        user=leader,
        template="outbox_check",
        context={"number": 1},
        dedup_key="injection:reply-to",
        reply_to=(f"Someone {INJECTION}", "someone@example.org"),
        topic=f"Topic {INJECTION}",
        thread=f"thread {INJECTION}",
    )

    received = smtp.received()
    assert len(received) == OutboundEmail.objects.count() >= 4
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    for message in (r.message for r in received):
        assert "bcc" not in _headers(message) and "x-injected" not in _headers(message)
        assert all("\n" not in str(value) and "\r" not in str(value) for value in message.values())
    assert [r.rcpt_tos for r in received if "victim@example.org" in r.rcpt_tos] == []


# --- What staff see --------------------------------------------------------------------------------------


def test_a_refused_recipient_shows_in_the_back_office_as_failed_with_the_servers_reason(
    client, staff_user, smtp, deliver, cluster, leader
):
    smtp.fault(leader.email, "550 5.1.1 <mailbox unavailable>", times=1)
    _ask_to_join(deliver, cluster)
    email = OutboundEmail.objects.get()
    client.force_login(staff_user)

    listing = client.get(reverse("admin:notifications_outboundemail_changelist") + "?status__exact=failed")
    detail = client.get(reverse("admin:notifications_outboundemail_change", args=[email.pk]))

    reason = f"The mail server refused the recipient (SMTPRecipientsRefused): {leader.email}: 550 5.1.1"
    assert (email.status, email.attempts) == ("failed", 1)
    for page in (listing, detail):
        html = page.content.decode()
        assert leader.email in html and reason in html and "&lt;mailbox unavailable&gt;" in html
    assert smtp.received() == []

    deliver(
        client.post,
        reverse("admin:notifications_outboundemail_changelist"),
        {"action": "send_again", "_selected_action": [email.pk]},
    )

    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert [received.rcpt_tos for received in smtp.received()] == [[leader.email]]


def test_a_long_digest_quotes_the_first_items_in_full_and_lists_the_rest(smtp, deliver, cluster, leader, monkeypatch):
    monkeypatch.setattr(services, "DIGEST_ITEMS_IN_FULL", 2)
    cluster_services.cluster_email_preference_set(user=leader, cluster=cluster, frequency="daily")
    for city in ("City of Daejeon", "City of Quezon", "City of Seoul"):
        _ask_to_join(deliver, cluster, city)

    deliver(lambda: services.digests_send(now=A_DAY_LATER()))

    [digest] = smtp.received()
    text = digest.message.get_body(("plain",)).get_content()
    assert "The first 2 are quoted in full" in text
    assert text.count("Their motivation:") == 2
    assert all(f"City of {city} asks to join Smart Mobility" in text for city in ("Daejeon", "Quezon", "Seoul"))


def test_the_to_header_names_the_person_in_their_own_script(smtp, deliver, cluster, leader):
    leader.full_name = "박지원"
    leader.save(update_fields=["full_name"])
    _ask_to_join(deliver, cluster)

    [received] = smtp.received()
    [(name, address)] = getaddresses([str(received.message["To"])])
    assert (name, address) == ("박지원", leader.email)
    assert received.rcpt_tos == [leader.email]
