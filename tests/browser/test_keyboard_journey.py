"""Everything done with the keyboard alone (Tab, Shift+Tab, Enter, Space, typing; no clicks): a city official
signs in, registers for an event and asks to join a cluster; every control reached shows a focus ring. On a
phone the menu opens from its toggler by keyboard."""

from django.urls import reverse
from playwright.sync_api import expect

from clusters.models import ClusterMembership
from events.models import Registration
from tests.browser.conftest import PHONE
from tests.browser.helpers import has_focus_ring, tab_to
from tests.factories import TEST_PASSWORD, ClusterFactory, EventFactory, OrganisationMembershipFactory, UserFactory


def press_on(page, target, key: str = "Enter", *, backwards: bool = False) -> None:
    """Tab to the control, check that its focus is visible, then use it."""
    tab_to(page, target, backwards=backwards)
    assert has_focus_ring(target), f"No visible focus on {target}"
    page.keyboard.press(key)


def test_official_signs_in_registers_and_asks_to_join_by_keyboard_only(page, check_page):
    EventFactory(name="Smart Governance Workshop")
    ClusterFactory(name="Smart Governance", leaders=[UserFactory()])
    official = OrganisationMembershipFactory(
        user__email="ana.reyes@quezoncity.example", organisation__name="Quezon City Government", role="admin"
    ).user
    page.goto(reverse("home"))
    main_nav = page.get_by_role("navigation", name="Main navigation")

    # The skip link comes first and is visible when focused.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    press_on(page, main_nav.get_by_role("link", name="Sign in"))
    email = page.get_by_label("E-mail address")
    tab_to(page, email)
    assert has_focus_ring(email)
    page.keyboard.type(official.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    press_on(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Register for an event: a radio chosen with Space, the form sent with Enter.
    press_on(page, main_nav.get_by_role("link", name="Events", exact=True))
    press_on(page, page.get_by_role("link", name="Smart Governance Workshop"))
    in_person = page.get_by_label("In person")
    press_on(page, in_person, "Space")
    expect(in_person).to_be_checked()
    press_on(page, page.get_by_role("button", name="Register"))
    expect(page.get_by_text("You are registered for Smart Governance Workshop.")).to_be_visible()
    check_page("keyboard-event-registered")
    assert Registration.objects.get().user == official

    # Ask to join a cluster; Shift+Tab goes back to fix the text before sending.
    press_on(page, main_nav.get_by_role("link", name="Clusters", exact=True))
    press_on(page, page.get_by_role("link", name="Smart Governance"))
    motivation = page.get_by_label("Why does your organisation want to join?")
    tab_to(page, motivation)
    assert has_focus_ring(motivation)
    page.keyboard.type("Our open data portal is ongoing.")
    send = page.get_by_role("button", name="Ask to join")
    tab_to(page, send)
    tab_to(page, motivation, backwards=True)
    page.keyboard.type(" So is participatory budgeting.")
    press_on(page, send, "Space")
    expect(page.get_by_text("Your request to join Smart Governance was sent.")).to_be_visible()
    check_page("keyboard-join-requested")
    assert ClusterMembership.objects.get().motivation == (
        "Our open data portal is ongoing. So is participatory budgeting."
    )


def test_the_phone_menu_opens_by_keyboard(page, check_page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(reverse("home"))
    clusters = page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Clusters", exact=True)
    expect(clusters).to_be_hidden()

    toggler = page.get_by_role("button", name="Show or hide the menu")
    press_on(page, toggler)
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(clusters).to_be_visible()
    check_page("phone-menu-open")
    screenshot("phone-menu-open")

    press_on(page, clusters)
    expect(page.get_by_role("heading", name="Clusters", level=1)).to_be_visible()
