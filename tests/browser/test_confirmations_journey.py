"""Issue 27: a confirmation appears where the person is looking. A leader approves a request low on a long
leader page, in Spanish, and a city official saves one section of the worksheet, in French: the confirmation is
in the part the person worked on, in view (the worksheet saved in place, or a page reopened at it, where a screen
reader starts reading)."""

from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)
from tests.i18n.catalogue import catalogue


def _in(language: str, english: str, **values) -> str:
    """The catalogue's translation of `english`, filled in as the page fills it."""
    entry = catalogue(language).find(english)
    assert entry and entry.msgstr, f"{language} has no translation of {english!r}"
    return entry.msgstr % values if values else entry.msgstr


def _opened_at(page) -> str:
    """The id of the element the page opened at (its URL's fragment): where a screen reader starts reading."""
    return page.evaluate("document.querySelector(':target')?.id || ''")


def test_a_leader_sees_the_decision_confirmed_beside_the_requests_in_spanish(page, check_page, screenshot):
    leader = UserFactory(email="javier.ortega@example.org", full_name="Javier Ortega", preferred_language="es")
    for name in ("Living Labs", "Smart Governance", "Smart Mobility"):
        cluster = ClusterFactory(name=name, slug=slugify(name), leaders=[leader])
        for number in range(3):
            ClusterMembershipFactory(
                cluster=cluster, organisation__name=f"{name} applicant {number}", status="pending", decided_at=None
            )

    sign_in(page, leader.email)
    with translation.override("es"):
        page.goto(reverse("clusters:lead"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # One led cluster at a time: the others are a link each, with the requests waiting there.
    clusters = page.get_by_role("navigation", name=_in("es", "Your clusters"))
    clusters.get_by_role("link", name="Smart Mobility").click()
    expect(clusters.get_by_role("link", name="Smart Mobility")).to_have_attribute("aria-current", "page")
    page.get_by_role("button", name=_in("es", "Approve %(name)s", name="Smart Mobility applicant 1")).click()

    confirmation = page.get_by_role("status").filter(
        has_text=_in(
            "es",
            "%(organisation)s is now a member of %(cluster)s.",
            **{"organisation": "Smart Mobility applicant 1", "cluster": "Smart Mobility"},
        )
    )
    expect(confirmation).to_be_in_viewport()
    expect(page.get_by_role("heading", name=_in("es", "Requests to join"))).to_be_in_viewport()
    assert _opened_at(page) == "cluster-smart-mobility-requests-messages"
    check_page("leader-page-decision-confirmed-es")
    screenshot("leader-page-decision-confirmed-es", phone=True)

    # The e-mail choice of the first cluster: confirmed in its own form.
    clusters.get_by_role("link", name="Living Labs").click()
    page.get_by_role(
        "group", name=_in("es", "How should we e-mail you about %(name)s?", name="Living Labs")
    ).get_by_label(_in("es", "One daily digest")).check()
    page.get_by_role("button", name=_in("es", "Save e-mail choice for %(name)s", name="Living Labs")).click()
    confirmation = page.get_by_role("status").filter(
        has_text=_in("es", "You will get one daily digest about %(cluster)s.", cluster="Living Labs")
    )
    expect(confirmation).to_be_in_viewport()
    check_page("leader-page-e-mail-choice-confirmed-es")


def test_an_official_saving_one_worksheet_section_sees_it_saved_there_in_french(page, check_page, screenshot):
    """The worksheet saves a section in place (static/js/save-in-place.js): the confirmation is beside the button,
    the page not left. A section whose rows were added is opened again there, with the confirmation in it."""
    official = OrganisationMembershipFactory(
        user__email="claire.martin@lyon.example", user__preferred_language="fr", organisation__name="Ville de Lyon"
    ).user
    application = ProjectApplicationFactory(
        title="Capteurs de crue",
        organisation=official.organisation,
        cluster=ClusterFactory(name="Smart Utility"),
        privacy="",
    )

    sign_in(page, official.email)
    with translation.override("fr"):
        page.goto(reverse("applications:edit", args=[application.pk]))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    security = page.locator("#section-security")
    expect(security.get_by_text(_in("fr", "to do"), exact=True)).to_be_visible()
    security.get_by_label(_in("fr", "privacy measures")).fill("Les capteurs n'enregistrent aucune donnée personnelle.")
    to_do_before = len(application.incomplete_sections())
    page.evaluate("window.stillThisPage = true")
    security.get_by_role("button", name=_in("fr", "Save draft")).click()

    saved_at = _in("fr", "Draft saved at %(time)s", time="|").split("|")[0]
    confirmation = security.locator("[data-save-status]")
    expect(confirmation).to_contain_text(saved_at)
    expect(confirmation).to_be_in_viewport()
    expect(security.get_by_text(_in("fr", "complete"), exact=True)).to_be_visible()
    sections = page.get_by_role("navigation", name=_in("fr", "Sections"))
    expect(sections.get_by_text(_in("fr", "to do"), exact=True)).to_have_count(to_do_before - 1)
    assert page.evaluate("window.stillThisPage") is True
    application.refresh_from_db()
    assert application.privacy == "Les capteurs n'enregistrent aucune donnée personnelle."
    check_page("worksheet-section-saved-fr")
    screenshot("worksheet-section-saved-fr", phone=True)

    team = page.locator("#section-team")
    team.locator('input[name="team-0-name"]').fill("Claire Martin")
    team.locator('input[name="team-0-organisation"]').fill("Ville de Lyon")
    team.get_by_role("button", name=_in("fr", "Save draft")).click()

    placed = page.locator("#section-team-messages")
    expect(placed).to_have_text(_in("fr", "Draft saved."))
    expect(placed).to_be_in_viewport()
    assert _opened_at(page) == "section-team-messages"
    assert page.evaluate("window.stillThisPage") is None
    expect(team.locator('input[name="team-0-name"]')).to_have_value("Claire Martin")
    expect(team.locator('input[name="team-0-id"]')).to_have_value(str(application.team.get().pk))
    check_page("worksheet-row-added-fr")
