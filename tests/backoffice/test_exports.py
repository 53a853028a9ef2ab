"""CSV and XLSX exports of applications, memberships and registrations: content, filters, formula safety."""

import csv
import datetime as dt
import html
import io

import openpyxl
import pytest
from django.contrib import admin
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import ProjectApplication
from core.admin_exports import ExportAdminMixin
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    OrganisationFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db

APPLICATIONS = "admin:applications_projectapplication"


def _csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_application_csv_action_exports_the_selected(admin_client):
    seoul = OrganisationFactory(name="Seoul Metropolitan Government", country="KR")
    chosen = SubmittedApplicationFactory(title="Smart street lighting", organisation=seoul)
    SubmittedApplicationFactory(title="Not chosen")

    response = admin_client.post(
        reverse(f"{APPLICATIONS}_changelist"), {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    header, *rows = _csv(response)
    assert header[:5] == ["reference", "project title", "city", "country", "thematic cluster"]
    assert [row[:4] for row in rows] == [[str(chosen.pk), "Smart street lighting", seoul.name, "South Korea"]]
    assert rows[0][6] == "Submitted"
    assert 'filename="projectapplications.csv"' in response["Content-Disposition"]


def test_application_xlsx_action_reads_back_with_typed_cells(admin_client):
    chosen = SubmittedApplicationFactory(title="Smart street lighting", budget=250000)

    response = admin_client.post(
        reverse(f"{APPLICATIONS}_changelist"), {"action": "export_xlsx", "_selected_action": [chosen.pk]}
    )

    header, row = _xlsx(response)
    assert header[:3] == ("reference", "project title", "city")
    assert row[0] == chosen.pk
    assert row[1] == "Smart street lighting"
    assert row[header.index("budget")] == 250000
    assert row[header.index("submitted (UTC)")].date() == chosen.submitted_at.date()


@pytest.mark.parametrize(("file_format", "read"), [("csv", _csv), ("xlsx", _xlsx)])
def test_changelist_export_respects_the_current_filter_and_search(admin_client, file_format, read):
    governance = ClusterFactory(name="Smart Governance")
    SubmittedApplicationFactory(title="Open data portal", cluster=governance)
    SubmittedApplicationFactory(title="Open budget", cluster=governance, status="accepted")
    SubmittedApplicationFactory(title="Open transit data")
    ProjectApplicationFactory(title="Draft elsewhere")
    changelist = admin_client.get(
        reverse(f"{APPLICATIONS}_changelist") + f"?cluster__id__exact={governance.pk}&status__exact=submitted&q=open"
    )
    export_url = reverse(f"{APPLICATIONS}_export", args=[file_format]) + changelist.context["cl"].get_query_string()

    assert html.escape(export_url) in changelist.content.decode()
    _header, *rows = read(admin_client.get(export_url))
    assert [row[1] for row in rows] == ["Open data portal"]


def test_export_of_an_unknown_format_is_404(admin_client):
    assert admin_client.get(reverse(f"{APPLICATIONS}_export", args=["pdf"])).status_code == 404


def test_export_with_a_broken_filter_goes_back_to_the_list(admin_client):
    response = admin_client.get(reverse(f"{APPLICATIONS}_export", args=["csv"]) + "?nonsense__field=1")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_export_needs_admin_access(client, user):
    client.force_login(user)

    response = client.get(reverse(f"{APPLICATIONS}_export", args=["csv"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_formula_like_text_stays_text_in_both_formats(admin_client):
    application = SubmittedApplicationFactory(title='=HYPERLINK("http://evil.example")')
    url = reverse(f"{APPLICATIONS}_export", args=["csv"])

    [_header, csv_row] = _csv(admin_client.get(url))
    [_header, xlsx_row] = _xlsx(admin_client.get(reverse(f"{APPLICATIONS}_export", args=["xlsx"])))

    assert csv_row[1] == '\'=HYPERLINK("http://evil.example")'
    assert xlsx_row[1] == application.title  # stored as a text cell, never as a formula


def test_cluster_membership_export_respects_the_status_filter(admin_client):
    cluster = ClusterFactory(name="Urban Resilience")
    ClusterMembershipFactory(cluster=cluster, organisation__name="Quezon City", status="pending")
    ClusterMembershipFactory(cluster=cluster, organisation__name="Ulaanbaatar", status="active")
    url = reverse("admin:clusters_clustermembership_export", args=["xlsx"]) + "?status__exact=pending"

    header, *rows = _xlsx(admin_client.get(url))

    assert header[:3] == ("cluster", "kind of cluster", "organisation")
    assert [(row[0], row[2], row[5]) for row in rows] == [("Urban Resilience", "Quezon City", "Waiting for a decision")]


def test_registration_export_of_an_event_as_xlsx(admin_client):
    event = EventFactory(name="GCTC Expo")
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory()

    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_registrations_xlsx", "_selected_action": [event.pk]},
    )

    header, *rows = _xlsx(response)
    assert header[:2] == ("event", "event starts (UTC)")
    assert [row[0] for row in rows] == ["GCTC Expo", "GCTC Expo"]


def test_organisation_export_lists_the_filtered_organisations(admin_client):
    OrganisationFactory(name="Verified City", is_verified=True)
    OrganisationFactory(name="Unverified City", is_verified=False)

    _header, *rows = _csv(
        admin_client.get(reverse("admin:accounts_organisation_export", args=["csv"]) + "?is_verified__exact=0")
    )

    assert "Unverified City" in [row[0] for row in rows]
    assert "Verified City" not in [row[0] for row in rows]


def test_export_reads_rows_in_a_fixed_number_of_queries(admin_client):
    """select_related plus iterator(): the row count changes what is streamed, never the queries made."""
    url = reverse("admin:events_registration_export", args=["csv"])
    RegistrationFactory()
    admin_client.get(url)  # the first view caches the changelist's event filter
    with CaptureQueriesContext(connection) as one:
        assert len(_csv(admin_client.get(url))) == 2
    RegistrationFactory.create_batch(30)
    admin_client.get(url)  # the new rows renewed the cached filter choices
    with CaptureQueriesContext(connection) as many:
        assert len(_csv(admin_client.get(url))) == 32

    assert len(many) == len(one)


def test_an_admin_without_export_columns_exports_its_list_columns():
    """How a newly registered submission admin (the solutions') exports before it names its own columns."""

    class ListColumnsAdmin(ExportAdminMixin, admin.ModelAdmin):
        list_display = ["title", "organisation", "status", "submitted_at", "is_published"]

        @admin.display(description="published")
        def is_published(self, application):
            return application.is_published

    application = SubmittedApplicationFactory(title="Smart street lighting", organisation__name="Seoul")
    model_admin = ListColumnsAdmin(ProjectApplication, admin.site)

    header, row = _csv(model_admin.export_response(ProjectApplication.objects.all(), "csv"))

    assert header == ["project title", "city", "status", "submitted", "published"]
    assert row[:3] == ["Smart street lighting", "Seoul", "Submitted"]
    assert row[3] == application.submitted_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    assert row[4] == "no"
