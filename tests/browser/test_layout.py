"""The two navigation bars fit at every width, in every language, for a visitor and for the person with the most
links (a city official who leads a cluster and works for the secretariat, with a long name): no sideways
scrolling, no bar wrapped onto two rows. Spanish and French name signing in and up at length (issue 27)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import sign_in
from tests.factories import ClusterFactory, OrganisationMembershipFactory

WIDTHS = [390, 768, 992, 1024, 1199, 1200, 1280, 1440]


@pytest.mark.parametrize("language", ["en", "ko", "es", "fr"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "official-leader-staff"])
def test_navigation_fits_at_every_width(page, signed_in, language):
    if signed_in:
        person = OrganisationMembershipFactory(
            user__full_name="Maria Fernanda Gonzalez-Rodriguez de la Cruz",
            user__is_staff=True,
            user__preferred_language=language,
            role="admin",
        ).user
        ClusterFactory(leaders=[person])
        sign_in(page, person.email)
    with translation.override(language):
        page.goto(reverse("home"))
    bad = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        layout = page.evaluate(
            """() => ({
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                navbar: document.querySelector("nav.navbar").getBoundingClientRect().height,
            })"""
        )
        if layout["scrollWidth"] > layout["innerWidth"] or layout["navbar"] >= 80:
            bad.append((width, layout))
        if width == 1200:  # the narrowest width with the full bar
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            who = "signed-in" if signed_in else "visitor"
            page.screenshot(path=SCREENSHOTS / f"navigation-1200-{who}-{language}.png")
    assert not bad, f"The navigation scrolls sideways or wraps in {language} at: {bad}"
