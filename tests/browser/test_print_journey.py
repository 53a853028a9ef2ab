"""Issue 27: a city official, in Spanish, opens the printable copy of their application from its page: the whole
worksheet with its status and dates on one page, and on paper without the portal's navigation. The company's
solution has the same copy."""

from django.utils import timezone, translation
from playwright.sync_api import expect

from applications.models import ApplicationHistory
from tests.applications.solution_factories import SolutionFactory
from tests.browser.helpers import sign_in
from tests.factories import ClusterFactory, OrganisationMembershipFactory, ProjectApplicationFactory
from tests.i18n.catalogue import catalogue


def _es(english: str) -> str:
    entry = catalogue("es").find(english)
    assert entry and entry.msgstr, f"Spanish has no translation of {english!r}"
    return entry.msgstr


def test_an_official_prints_the_application_in_spanish(page, check_page, screenshot):
    official = OrganisationMembershipFactory(
        user__email="lucia.gomez@bogota.example", user__preferred_language="es", organisation__name="Bogotá"
    ).user
    application = ProjectApplicationFactory(
        title="Alerta temprana de inundaciones",
        organisation=official.organisation,
        cluster=ClusterFactory(name="Smart Utility", name_es="Servicios inteligentes"),
        status="submitted",
        submitted_at=timezone.now(),
    )
    ApplicationHistory.objects.create(
        application=application, actor=official, from_status="draft", to_status="submitted", action="submit"
    )

    sign_in(page, official.email)
    with translation.override("es"):
        page.goto(application.get_absolute_url())
    check_page("application-page-with-print-link-es")
    screenshot("application-page-with-print-link-es", phone=True)
    page.get_by_role("link", name=_es("Printable copy")).click()

    expect(page.get_by_role("heading", name="Alerta temprana de inundaciones", level=1)).to_be_visible()
    expect(page.locator(".print-facts")).to_contain_text(_es("Submitted on"))
    expect(page.get_by_role("heading", name=_es("Cybersecurity and privacy"))).to_be_visible()
    expect(page.get_by_role("heading", name=_es("History"))).to_be_visible()
    check_page("application-print-es")
    screenshot("application-print-es", phone=True)

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name=_es("Main navigation"))).to_be_hidden()
    expect(page.get_by_role("link", name=_es("Back to the application"))).to_be_hidden()
    expect(page.get_by_role("heading", name="Alerta temprana de inundaciones", level=1)).to_be_visible()
    screenshot("application-print-es-on-paper")
    page.emulate_media(media="screen")

    page.get_by_role("link", name=_es("Back to the application")).click()
    expect(page.get_by_role("link", name=_es("Printable copy"))).to_be_visible()


def test_a_company_prints_its_solution(page, check_page, screenshot):
    provider = OrganisationMembershipFactory(
        user__email="claire@urbansensors.example", organisation__name="Urban Sensors", organisation__kind="company"
    ).user
    solution = SolutionFactory(
        name="Signal priority for buses", organisation=provider.organisation, created_by=provider
    )

    sign_in(page, provider.email)
    page.goto(solution.get_absolute_url())
    screenshot("solution-page-with-print-link", phone=True)
    page.get_by_role("link", name="Printable copy").click()

    expect(page.get_by_role("heading", name="Signal priority for buses", level=1)).to_be_visible()
    expect(page.locator(".print-facts")).to_contain_text("Draft")
    check_page("solution-print")
    screenshot("solution-print", phone=True)
