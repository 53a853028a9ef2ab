"""In French: the 2018 programme and the demo's GCTC clusters read in French, the GCTC Expo says its date is still to
be announced, and every thematic cluster finds the Seoul summit and the Quezon City meeting."""

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from clusters.seed import CLUSTER_TRANSLATIONS
from events.seed import PROGRAMME_2018
from tests.browser.words import translated


def fr(english: str) -> str:
    return translated("fr", english)


def _french_texts(slug: str) -> dict[str, str]:
    return next(event["texts"]["fr"] for event in PROGRAMME_2018 if event["slug"] == slug)


def test_a_french_reader_finds_the_programme_and_the_demo_clusters_in_french(page, check_page, screenshot):
    with override_settings(DEBUG=True):  # seed_demo publishes its password, so it runs in development only
        call_command("seed_demo", verbosity=0)
    with translation.override("fr"):
        page.goto(reverse("events:past"))

    expect(page.get_by_role("heading", name=fr("Past events"), level=1)).to_be_visible()
    for name in (
        "Conférence de lancement GCTC-SC3",
        "GCTC Tech Jam",
        "Sommet numérique mondial Séoul-WeGO",
        "Réunion du Comité exécutif de WeGO",
    ):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_text("Date à annoncer (Hiver 2018)")).to_be_visible()
    check_page("events-past-fr")
    screenshot("take-events-past-fr", phone=True)

    page.get_by_role("link", name="GCTC Expo", exact=True).click()
    expect(page.get_by_text("La date reste à annoncer. Prévu : Hiver 2018.")).to_be_visible()
    expect(page.get_by_text(_french_texts("gctc-expo-2018")["description"])).to_be_visible()
    expect(page.get_by_role("link", name=fr("Add to my calendar (.ics)"))).to_have_count(0)
    expect(page.get_by_text(fr("This event has taken place"))).to_have_count(0)
    check_page("event-expo-fr")
    screenshot("take-event-expo-fr", phone=True)

    page.go_back()
    page.get_by_role("link", name="GCTC Tech Jam", exact=True).click()
    expect(page.get_by_text("Ville de Portland")).to_be_visible()
    check_page("event-tech-jam-fr")
    screenshot("take-event-tech-jam-fr", phone=True)

    page.go_back()
    page.get_by_role("link", name="Réunion du Comité exécutif de WeGO", exact=True).click()
    for cluster in (texts["fr"]["name"] for texts in CLUSTER_TRANSLATIONS.values()):
        expect(page.get_by_role("link", name=cluster, exact=True)).to_be_visible()
    expect(page.get_by_text("Sommet des villes intelligentes des Philippines 2018").first).to_be_visible()
    check_page("event-quezon-city-fr")

    # From a forming cluster's events, the reader finds the meetings every cluster may join.
    page.get_by_role("link", name="Mobilité intelligente", exact=True).click()
    page.get_by_role("link", name="Tous les événements de Mobilité intelligente").click()
    expect(page.get_by_role("link", name="Sommet numérique mondial Séoul-WeGO", exact=True)).to_be_visible()
    check_page("cluster-events-fr")

    navigation = page.get_by_role("navigation", name=fr("Main navigation"))
    navigation.get_by_role("link", name=fr("Clusters"), exact=True).click()
    for name in ("SuperCluster Transports", "Corridors connectés", "Données ouvertes de stationnement"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    check_page("catalogue-demo-fr")
    screenshot("take-catalogue-demo-fr", phone=True)
    page.get_by_role("link", name="Corridors connectés", exact=True).click()
    expect(page.get_by_text("Villes et entreprises déploient des feux de circulation connectés")).to_be_visible()
    navigation.get_by_role("link", name=fr("Events"), exact=True).click()
    expect(page.get_by_role("link", name="Atelier du cluster Gouvernance intelligente", exact=True)).to_be_visible()
    check_page("events-upcoming-demo-fr")
