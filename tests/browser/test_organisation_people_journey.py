"""Issue 27, item 9, in French: the administrator of a city makes a colleague an administrator, removes another
after a confirmation page, and each of them is e-mailed; the only administrator who tries to leave is asked to
hand over first; a colleague leaves, and the administrators hear of it."""

from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import OrganisationMembership
from tests.browser.helpers import sign_in
from tests.browser.words import translated
from tests.factories import OrganisationFactory, OrganisationMembershipFactory


def fr(english: str) -> str:
    return translated("fr", english)


def _fr_url(name: str, *args) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


def _person(organisation, name: str, email: str, role: str) -> OrganisationMembership:
    return OrganisationMembershipFactory(
        organisation=organisation,
        role=role,
        user__full_name=name,
        user__email=email,
        user__preferred_language="fr",
    )


def test_an_administrator_manages_the_people_of_the_city_in_french(page, check_page, screenshot):
    city = OrganisationFactory(name="Ville de Lyon", kind="city", country="FR")
    claire = _person(city, "Claire Martin", "claire.martin@lyon.example", "admin")
    paul = _person(city, "Paul Durand", "paul.durand@lyon.example", "contact")
    ines = _person(city, "Inès Moreau", "ines.moreau@lyon.example", "contact")

    sign_in(page, claire.user.email)
    page.goto(_fr_url("accounts:organisation"))
    people = page.get_by_role("region", name=fr("People"))
    expect(people.get_by_role("cell", name="Paul Durand", exact=True)).to_be_visible()
    check_page("organisation-people-fr")
    screenshot("organisation-people-fr", phone=True)

    # The only administrator is told to hand over before leaving, and the page offers no way to leave.
    people.get_by_role("link", name=fr("Leave the organisation")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        fr(
            "You are the only administrator of %(organisation)s. Make someone else an administrator before you leave."
        ).replace("%(organisation)s", "Ville de Lyon")
    )
    expect(page.get_by_role("button", name=fr("Leave the organisation"))).to_have_count(0)
    check_page("organisation-leave-refused-fr")
    screenshot("organisation-leave-refused-fr", phone=True)
    page.get_by_role("link", name=fr("Go to the people of your organisation")).click()

    # Promote Paul: he is e-mailed, in French.
    make_admin = fr("Make %(name)s an administrator").replace("%(name)s", "Paul Durand")
    page.get_by_role("button", name=make_admin).click()
    expect(page.get_by_role("status")).to_contain_text(
        fr("%(name)s is now an administrator.").replace("%(name)s", "Paul Durand")
    )
    expect(
        page.get_by_role("button", name=fr("Make %(name)s a contact").replace("%(name)s", "Paul Durand"))
    ).to_be_visible()
    promoted = [message for message in mail.outbox if paul.user.email in message.to[0]]
    assert len(promoted) == 1
    assert promoted[0].subject == fr("You are now an administrator of %(organisation)s").replace(
        "%(organisation)s", "Ville de Lyon"
    )

    # Remove Inès, after a confirmation page where she can still be kept.
    page.get_by_role("link", name=fr("Remove %(name)s").replace("%(name)s", "Inès Moreau")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inès Moreau")
    check_page("organisation-remove-person-fr")
    screenshot("organisation-remove-person-fr", phone=True)
    page.get_by_role("button", name=fr("Remove %(name)s").replace("%(name)s", "Inès Moreau")).click()
    expect(page.get_by_role("cell", name="Inès Moreau", exact=True)).to_have_count(0)
    ines.refresh_from_db()
    assert ines.status == "removed"
    assert [message.subject for message in mail.outbox if ines.user.email in message.to[0]] == [
        fr("You no longer represent %(organisation)s").replace("%(organisation)s", "Ville de Lyon")
    ]

    # Claire, no longer the only administrator, may leave; Paul hears of it.
    page.get_by_role("link", name=fr("Leave the organisation")).click()
    check_page("organisation-leave-fr")
    screenshot("organisation-leave-fr", phone=True)
    page.get_by_role("button", name=fr("Leave the organisation")).click()
    expect(page).to_have_url(f"{page.url.split('/fr/')[0]}{_fr_url('accounts:organisation_start')}")
    claire.refresh_from_db()
    assert claire.status == "left"
    told = [message for message in mail.outbox if paul.user.email in message.to[0]]
    assert told[-1].subject == fr("%(name)s left %(organisation)s").replace("%(name)s", "Claire Martin").replace(
        "%(organisation)s", "Ville de Lyon"
    )
