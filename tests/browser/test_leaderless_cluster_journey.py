"""In Spanish: a city asks to join a cluster that has no leader yet. The form and the pending request say the WeGO
secretariat decides; the secretariat finds the request on its dashboard and opens it."""

import re

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from clusters.models import ClusterMembership
from tests.browser.conftest import DJANGO_ADMIN
from tests.browser.helpers import sign_in, sign_in_as_staff, switch_language
from tests.browser.words import translated
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory


def es(english: str) -> str:
    return translated("es", english)


def test_a_city_asks_to_join_a_cluster_without_a_leader_and_the_secretariat_finds_it(page, check_page, screenshot):
    ClusterFactory(name="Smart Mobility", name_es="Movilidad inteligente", slug="smart-mobility", status="forming")
    official = OrganisationMembershipFactory(
        user__email="lucia.garcia@valencia.example",
        user__preferred_language="es",
        organisation__name="Ayuntamiento de Valencia",
        organisation__country="ES",
        role="admin",
    ).user
    staff = UserFactory(email="secretariat@we-gov.example", is_staff=True, is_superuser=True)

    sign_in(page, official.email)
    with translation.override("es"):
        page.goto(reverse("clusters:list"))
    page.get_by_role("link", name="Movilidad inteligente").first.click()
    expect(page.get_by_role("heading", name="Movilidad inteligente", level=1)).to_be_visible()
    expect(page.get_by_text("Este clúster aún no tiene líder, así que decide la Secretaría de WeGO")).to_be_visible()
    check_page("leaderless-join-form-es")
    screenshot("take-leaderless-join-form-es", phone=True)

    page.get_by_label(es("Why does your organisation want to join?")).fill(
        "Nuestro plan de carriles bus y la red de bicicletas compartidas son proyectos en curso."
    )
    page.get_by_role("button", name=es("Ask to join")).click()
    expect(page.get_by_text("Mientras este clúster no tenga líder, decide la Secretaría de WeGO")).to_be_visible()
    check_page("leaderless-join-pending-es")
    screenshot("take-leaderless-join-pending-es", phone=True)
    request = ClusterMembership.objects.get()
    assert (request.status, request.organisation.name) == ("pending", "Ayuntamiento de Valencia")

    # The secretariat's dashboard, in Spanish: the request waits for it, and nobody else can decide it.
    sign_in_as_staff(page, staff)
    switch_language(page, "es")  # the back office speaks the language the staff member chose
    page.goto(reverse("admin:index"))
    waiting = page.get_by_role(
        "table", name=es("Requests to join a cluster without a leader (the secretariat decides)")
    )
    expect(waiting).to_contain_text("Ayuntamiento de Valencia")
    expect(waiting).to_contain_text("Movilidad inteligente")
    check_page("admin-dashboard-leaderless-es", tolerate=DJANGO_ADMIN)
    screenshot("take-backoffice-dashboard-es", phone=True)

    waiting.get_by_role("link", name=es("See them all")).click()
    expect(page).to_have_url(re.compile(r"decider=secretariat"))
    expect(page.get_by_role("link", name="Ayuntamiento de Valencia")).to_have_count(1)
    check_page("admin-leaderless-requests-es", tolerate=DJANGO_ADMIN)
    page.get_by_role("link", name="Ayuntamiento de Valencia").click()
    expect(page).to_have_url(re.compile(rf"/clustermembership/{request.pk}/change/"))
