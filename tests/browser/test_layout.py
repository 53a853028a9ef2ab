"""The two navigation bars fit at every width, for the person with the most links (a city official who leads a
cluster and works for the secretariat, with a long name): no sideways scrolling, no bar wrapped onto two rows."""

import pytest
from django.urls import reverse

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import sign_in
from tests.factories import ClusterFactory, OrganisationMembershipFactory

WIDTHS = [390, 768, 992, 1024, 1199, 1200, 1280, 1440]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "official-leader-staff"])
def test_navigation_fits_at_every_width(page, signed_in):
    if signed_in:
        person = OrganisationMembershipFactory(
            user__full_name="Maria Fernanda Gonzalez-Rodriguez de la Cruz", user__is_staff=True, role="admin"
        ).user
        ClusterFactory(leaders=[person])
        sign_in(page, person.email)
    page.goto(reverse("home"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        layout = page.evaluate(
            """() => ({
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                navbar: document.querySelector("nav.navbar").getBoundingClientRect().height,
            })"""
        )
        assert layout["scrollWidth"] <= layout["innerWidth"], (width, layout)
        assert layout["navbar"] < 80, f"The main navigation wraps at {width} px: {layout}"
        if width == 1200:  # the narrowest width with the full bar
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"navigation-1200-{'signed-in' if signed_in else 'visitor'}.png")
