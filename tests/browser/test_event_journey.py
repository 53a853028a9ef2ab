"""A city official finds an event, registers in person, gets the confirmation with a calendar file, and cancels."""

from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from events.models import Registration
from tests.browser.helpers import sign_in
from tests.factories import EventFactory, OrganisationMembershipFactory, RegistrationFactory
from tests.i18n.catalogue import catalogue


def test_member_registers_sees_the_confirmation_and_cancels(page, check_page, screenshot):
    EventFactory(name="Smart Governance Workshop", slug="smart-governance-workshop", capacity=2)
    official = OrganisationMembershipFactory(
        user__email="ana.reyes@quezoncity.example", organisation__name="Quezon City Government"
    ).user

    sign_in(page, official.email)
    page.get_by_role("link", name="Events", exact=True).click()
    expect(page.get_by_role("heading", name="Upcoming events", level=1)).to_be_visible()
    page.get_by_role("link", name="Smart Governance Workshop").click()
    expect(page.get_by_role("heading", name="Smart Governance Workshop", level=1)).to_be_visible()
    expect(page.get_by_text("2 places left")).to_be_visible()

    # Sent without a choice, the form says what is missing.
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Please choose whether you will attend in person or online.")).to_be_visible()
    check_page("event-register-error")
    page.get_by_label("In person").check()
    screenshot("event-register-filled")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text("You are registered for Smart Governance Workshop.")).to_be_visible()
    expect(page.get_by_text("You are registered (in person).")).to_be_visible()
    expect(page.get_by_text("1 place left")).to_be_visible()
    check_page("event-registered")
    screenshot("event-registered", phone=True)
    [confirmation] = mail.outbox
    assert confirmation.to == [official.email]
    assert confirmation.attachments[0].get_filename() == "smart-governance-workshop.ics"

    page.get_by_role("link", name="My events").first.click()
    expect(page.get_by_role("row", name="Smart Governance Workshop")).to_contain_text("Confirmed")
    check_page("my-events")
    screenshot("my-events", phone=True)
    page.get_by_role("link", name="Smart Governance Workshop").click()

    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_text("Your registration for Smart Governance Workshop is cancelled.")).to_be_visible()
    expect(page.get_by_text("2 places left")).to_be_visible()
    expect(page.get_by_role("button", name="Register")).to_be_visible()
    check_page("event-cancelled")
    screenshot("event-cancelled")
    assert Registration.objects.get().status == "cancelled"


def test_a_korean_official_is_asked_before_cancelling_and_can_keep_the_registration(page, check_page, screenshot):
    """Issue 27: one click cancelled at once, with no way back from a slip. Now the button asks first."""
    event = EventFactory(name="GCTC Tech Jam", name_ko="GCTC 테크 잼", slug="gctc-tech-jam", capacity=2)
    official = OrganisationMembershipFactory(
        user__email="min-ji@seoul.example", user__preferred_language="ko", organisation__name="Seoul"
    ).user
    RegistrationFactory(event=event, user=official, attendance="online")

    sign_in(page, official.email)
    with translation.override("ko"):
        page.goto(event.get_absolute_url())
    screenshot("event-registered-ko", phone=True)
    page.get_by_role("link", name=_ko("Cancel my registration")).click()

    question = _ko("Cancel your registration for %(event)s?") % {"event": "GCTC 테크 잼"}
    expect(page.get_by_role("heading", name=question, level=1)).to_be_visible()
    expect(
        page.get_by_text(
            _ko("If you cancel, your place goes to the first person on the waiting list, or to whoever registers next.")
        )
    ).to_be_visible()
    check_page("event-cancel-question-ko")
    screenshot("event-cancel-question-ko", phone=True)

    # A slip: keep it.
    page.get_by_role("link", name=_ko("Keep my registration")).click()
    expect(page.get_by_role("heading", name="GCTC 테크 잼", level=1)).to_be_visible()
    assert Registration.objects.get().status == "confirmed"

    page.get_by_role("link", name=_ko("Cancel my registration")).click()
    page.get_by_role("button", name=_ko("Yes, cancel my registration")).click()
    expect(
        page.get_by_text(_ko("Your registration for %(event)s is cancelled.") % {"event": "GCTC 테크 잼"})
    ).to_be_visible()
    expect(page.get_by_role("button", name=_ko("Register"), exact=True)).to_be_visible()
    check_page("event-cancelled-ko")
    assert Registration.objects.get().status == "cancelled"


def _ko(english: str) -> str:
    entry = catalogue("ko").find(english)
    assert entry and entry.msgstr, f"Korean has no translation of {english!r}"
    return entry.msgstr
