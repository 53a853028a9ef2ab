"""Leaders choose digest or immediate e-mails on the leader page; staff see and resend the outbox in admin."""

from html import unescape

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterEmailPreference
from notifications import services
from notifications.models import OutboundEmail
from tests.factories import ClusterFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return UserFactory(full_name="Javier Ortega")


@pytest.fixture
def cluster(leader):
    return ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])


def _choose(client, cluster, frequency):
    return client.post(reverse("clusters:email_preference", kwargs={"slug": cluster.slug}), {"frequency": frequency})


def test_leader_page_offers_the_choice_with_each_event_as_the_default(client, leader, cluster):
    client.force_login(leader)

    html = client.get(reverse("clusters:lead")).content.decode()

    assert "How should we e-mail you about Smart Mobility?" in html
    assert 'for="frequency-smart-mobility-daily">One daily digest</label>' in html
    assert 'value="immediate" id="frequency-smart-mobility-immediate" checked' in html


def test_leader_chooses_the_daily_digest_for_a_cluster(client, leader, cluster):
    client.force_login(leader)

    response = _choose(client, cluster, "daily")

    assert response.status_code == 302
    # Back at the cluster's e-mail choice, with the confirmation there (core/messages.py).
    assert response["Location"].endswith(cluster.get_leader_page_url() + "#cluster-smart-mobility-emails-messages")
    assert ClusterEmailPreference.objects.get(user=leader, cluster=cluster).frequency == "daily"
    html = client.get(reverse("clusters:lead")).content.decode()
    assert "You will get one daily digest about Smart Mobility." in html
    assert 'value="daily" id="frequency-smart-mobility-daily" checked' in html


def test_leader_switches_back_to_an_email_per_event(client, leader, cluster):
    client.force_login(leader)
    _choose(client, cluster, "daily")

    _choose(client, cluster, "immediate")

    assert ClusterEmailPreference.objects.get(user=leader, cluster=cluster).frequency == "immediate"


def test_unknown_choice_is_refused_with_a_message(client, leader, cluster):
    client.force_login(leader)

    response = _choose(client, cluster, "hourly")

    assert not ClusterEmailPreference.objects.exists()
    assert "Please choose an e-mail per event or a daily digest." in client.get(response["Location"]).content.decode()


def test_someone_who_does_not_lead_the_cluster_cannot_choose(client, user, cluster):
    client.force_login(user)

    response = _choose(client, cluster, "daily")

    assert response.status_code == 403
    assert "Only the cluster's leaders choose how they are e-mailed about it." in unescape(response.content.decode())
    assert not ClusterEmailPreference.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, cluster):
    response = _choose(client, cluster, "daily")

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Admin ----------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _queued(count: int, *, status: str = "sent") -> list[OutboundEmail]:
    cluster = ClusterFactory()
    with transaction.atomic():
        emails = [
            services.email_queue(
                user=UserFactory(),
                template="outbox_check",
                context={"number": number},
                dedup_key=f"admin-test:{number}",
                topic=cluster.name,
            )
            for number in range(count)
        ]
    OutboundEmail.objects.update(status=status)
    return emails


def test_outbox_changelist_searches_recipients_and_filters_by_status(admin_client):
    [email] = _queued(1, status="failed")
    url = reverse("admin:notifications_outboundemail_changelist")

    assert email.recipient in admin_client.get(f"{url}?q={email.recipient}").content.decode()
    assert email.recipient in admin_client.get(f"{url}?status__exact=failed").content.decode()
    assert email.recipient not in admin_client.get(f"{url}?status__exact=sent").content.decode()


@pytest.mark.parametrize("url_name", ["notifications_outboundemail", "clusters_clusteremailpreference"])
def test_changelist_queries_stay_constant_as_rows_grow(admin_client, url_name):
    url = reverse(f"admin:{url_name}_changelist")
    _queued(1)
    ClusterEmailPreference.objects.create(user=UserFactory(), cluster=ClusterFactory())
    admin_client.get(url)  # the first view caches the outbox's template filter
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(url).status_code == 200

    _queued(0)
    for number in range(30):
        with transaction.atomic():
            services.email_queue(
                user=UserFactory(), template="outbox_check", context={"number": 0}, dedup_key=f"more:{number}"
            )
        ClusterEmailPreference.objects.create(user=UserFactory(), cluster=ClusterFactory())
    admin_client.get(url)  # the new clusters renewed the cached filters
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200

    assert len(many) == len(one)


def test_outbox_list_reads_the_rows_without_the_bodies_of_the_emails(admin_client):
    _queued(2)

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("admin:notifications_outboundemail_changelist"))

    [page] = [q["sql"] for q in queries if q["sql"].startswith('SELECT "notifications_outboundemail"."id"')]
    assert '"subject"' in page and '"topic"' in page
    assert '"html"' not in page and '"text"' not in page


def test_outbox_change_page_shows_the_email_read_only(admin_client):
    [email] = _queued(1)

    html = admin_client.get(reverse("admin:notifications_outboundemail_change", args=[email.pk])).content.decode()

    assert email.subject in html
    assert 'name="subject"' not in html


def test_send_again_action_resends_failed_rows_only(admin_client, django_capture_on_commit_callbacks):
    failed, sent = _queued(2, status="failed")
    OutboundEmail.objects.filter(pk=sent.pk).update(status="sent")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_outboundemail_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    html = response.content.decode()
    assert "1 e-mail will be sent again." in html
    assert "1 selected e-mail had not failed and was left alone." in html
    assert [message.to for message in mail.outbox] == [[failed.recipient]]
    failed.refresh_from_db()
    assert failed.status == "sent"
