"""A visitor switches the portal to Korean with the mouse and back to English with the keyboard (the switcher's
links: tests/browser/test_signed_in_pages.py and tests/i18n cover the signed-in form)."""

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, switch_language
from tests.factories import ClusterFactory, UserFactory
from tests.i18n.catalogue import catalogue


def _korean(english: str) -> str:
    entry = catalogue("ko").find(english)
    return entry.msgstr if entry else ""


def test_visitor_switches_to_korean_and_back_on_the_same_page(page, check_page, screenshot):
    cluster = ClusterFactory(name="Smart Water", name_ko="스마트 물 관리", status="active")
    with translation.override("ko"):
        korean_address = reverse("clusters:detail", args=[cluster.slug])
    page.goto(reverse("clusters:detail", args=[cluster.slug]))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switch_language(page, "ko")

    assert page.url.endswith(korean_address)
    expect(page.get_by_role("heading", level=1)).to_have_text("스마트 물 관리")
    check_page("language-korean-cluster")
    screenshot("language-korean", phone=True)
    clusters_in_korean = _korean("Clusters")
    assert clusters_in_korean, "The Korean catalogue has no translation of 'Clusters' yet"
    expect(page.get_by_role("navigation", name=_korean("Main navigation"))).to_contain_text(clusters_in_korean)

    # The visitor walks on in Korean: every page they open is accessible and valid in Korean too.
    navigation = page.get_by_role("navigation", name=_korean("Main navigation"))
    for english_name in ("Clusters", "Best practices", "Events", "Solutions"):
        navigation.get_by_role("link", name=_korean(english_name), exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(f"language-korean-{english_name.lower().replace(' ', '-')}")
    page.goto(korean_address)

    english = page.get_by_role("link", name="English")
    english.focus()
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(reverse("clusters:detail", args=[cluster.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Smart Water")
    expect(
        page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Clusters", exact=True)
    ).to_be_visible()


def test_a_korean_speaker_on_an_english_link_switches_to_korean_then_spanish(page, check_page, screenshot):
    """Issue 27: signed in, on an English address someone shared, the switch lands on the same page in the
    language pressed, and the profile keeps that choice."""
    cluster = ClusterFactory(name="Smart Water", name_ko="스마트 물 관리", name_es="Agua inteligente", status="active")
    person = UserFactory(email="min-ji@seoul.example", preferred_language="ko")
    sign_in(page, person.email)
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    page.goto(reverse("clusters:detail", args=[cluster.slug]))  # the shared link, in English
    expect(page.get_by_role("heading", level=1)).to_have_text("Smart Water")
    page.locator(".language-switcher").get_by_role("button", name="한국어", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "ko")
    with translation.override("ko"):
        assert page.url.endswith(reverse("clusters:detail", args=[cluster.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("스마트 물 관리")
    expect(page.locator(".language-switcher").get_by_role("button", name="한국어")).to_have_attribute(
        "aria-current", "true"
    )
    check_page("language-signed-in-korean")
    screenshot("language-signed-in-korean", phone=True)

    page.locator(".language-switcher").get_by_role("button", name="Español", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agua inteligente")
    person.refresh_from_db()
    assert person.preferred_language == "es"
