"""An outside developer with only the API documentation: the city's administrator creates a token in the browser,
a program drafts, completes and submits an application over the API, the cluster's leader is e-mailed; the
administrator revokes the token and the program is refused. Every page on the way passes axe and the Nu checker."""

import json
import urllib.error
import urllib.request

from django.contrib.auth.models import Permission
from django.core import mail
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, sign_in_as_staff
from tests.factories import ClusterFactory, OrganisationMembershipFactory, RegistrationFactory, UserFactory

WORKSHEET = {
    "summary": "Gauges on the river warn districts an hour before a flood.",
    "problem": "Flash floods reach the old town with no warning.",
    "approach": "Radar gauges upstream and SMS alerts.",
    "technologies": "LoRaWAN gauges, a public alert service.",
    "stage": "ongoing",
    "start_date": "2026-01-15",
    "standards": "OGC SensorThings",
    "replicability": "Any river city can reuse the open playbook.",
    "cybersecurity": "Signed firmware.",
    "privacy": "No personal data is collected.",
    "budget": 125000,
    "funding_sources": "City budget.",
    "contact_name": "Min-jun Kim",
    "contact_email": "minjun@city.example",
    "kpis": [{"name": "Warning time", "unit": "minutes", "baseline": "0", "target": "60", "how_measured": "Logs"}],
}


def _call(base: str, method: str, path: str, token: str, body=None) -> tuple[int, dict]:
    """What a program in any language does: JSON over HTTP with the token in the Authorization header."""
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_program_submits_an_application_with_a_token_made_in_the_browser(
    page, check_page, screenshot, live_server, settings
):
    settings.SITE_URL = live_server.url
    leader = UserFactory(email="leader@example.org")
    ClusterFactory(name="Flood Resilience", slug="flood-resilience", leaders=[leader])
    official = OrganisationMembershipFactory(
        user__email="min.park@daejeon.example", organisation__name="Daejeon Metropolitan City", role="admin"
    ).user

    sign_in(page, official.email)
    page.goto("/en/me/")
    page.get_by_role("link", name="API tokens").click()
    check_page("api-tokens-empty")
    page.get_by_label("Name").fill("City website")
    page.get_by_label("Read and write").check()
    page.get_by_label("Expires after").select_option(label="90 days")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    check_page("api-tokens-created")
    screenshot("api-tokens-created", phone=True)
    token = page.get_by_label("Token", exact=True).input_value()

    # The documentation names the endpoints; the program follows it.
    base = live_server.url
    status, draft = _call(
        base,
        "POST",
        "/api/v1/organisation/applications/",
        token,
        {"title": "Flood warning", "cluster": "flood-resilience"},
    )
    assert status == 201 and draft["status"] == "draft"
    status, changed = _call(base, "PATCH", f"/api/v1/organisation/applications/{draft['id']}/", token, WORKSHEET)
    assert status == 200 and changed["problems"] == [], changed
    status, submitted = _call(base, "POST", f"/api/v1/organisation/applications/{draft['id']}/submit/", token)
    assert status == 200 and submitted["status"] == "submitted"
    assert any(leader.email in message.to and "Flood warning" in message.body for message in mail.outbox)

    page.goto("/en/me/tokens/")
    expect(page.get_by_role("cell", name="City website wego_")).to_be_visible()
    expect(page.get_by_text("shown only this once")).to_have_count(0)
    page.get_by_role("button", name="Revoke City website").click()
    expect(page.get_by_text("it no longer works")).to_be_visible()
    check_page("api-tokens-revoked")
    status, refused = _call(base, "GET", "/api/v1/organisation/applications/", token)
    assert status == 401 and "revoked" in refused["detail"]


def test_a_staff_member_makes_a_staff_token_and_a_program_reads_the_registrations_export(
    page, check_page, screenshot, live_server
):
    staff = UserFactory(email="analyst@wego.example", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_registration"))
    registration = RegistrationFactory()

    sign_in_as_staff(page, staff)
    page.goto("/en/me/")
    page.get_by_role("link", name="Staff API tokens").click()
    expect(page.get_by_role("heading", name="Your staff tokens")).to_be_visible()
    page.get_by_label("Name").fill("Registrations report")
    page.get_by_role("button", name="Create the staff token").click()
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    check_page("api-staff-tokens-created")
    screenshot("api-staff-tokens-created", phone=True)
    token = page.get_by_label("Token", exact=True).input_value()

    status, export = _call(live_server.url, "GET", "/api/v1/staff/registrations/", token)
    assert status == 200 and [row["e_mail_address"] for row in export["results"]] == [registration.user.email]
    status, refused = _call(live_server.url, "GET", "/api/v1/staff/applications/", token)
    assert status == 403 and "may not read" in refused["detail"]
