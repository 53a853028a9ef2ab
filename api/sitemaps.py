"""sitemap.xml: every public page in the four languages, each with its hreflang alternates and an x-default.

Only what a visitor may open: the public lists and "How to take part", every cluster and event, verified
organisations' profiles, published cases and approved solutions (the same selectors and rules as the pages).
Private addresses (personal profiles, applications, leader pages) are left out here and disallowed in
robots.txt.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from accounts.models import Organisation
from applications import selectors as case_selectors
from applications import solution_selectors
from clusters.models import Cluster
from events.models import Event


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PublicPagesSitemap(PortalSitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "take_part",
            "clusters:list",
            "cases:library",
            "solutions:directory",
            "events:upcoming",
            "events:past",
        ]

    def location(self, name):
        return reverse(name)


class OrganisationSitemap(PortalSitemap):
    """Public profiles: verified organisations only, as accounts.rules.has_public_profile says."""

    def items(self):
        return Organisation.objects.filter(is_verified=True).only("pk", "updated_at").order_by("pk")

    def location(self, organisation):
        return reverse("organisation_profile", kwargs={"pk": organisation.pk})

    def lastmod(self, organisation):
        return organisation.updated_at


class ClusterSitemap(PortalSitemap):
    def items(self):
        return Cluster.objects.only("slug", "updated_at").order_by("slug")

    def lastmod(self, cluster):
        return cluster.updated_at


class EventSitemap(PortalSitemap):
    def items(self):
        return Event.objects.only("slug", "updated_at").order_by("starts_at", "pk")

    def lastmod(self, event):
        return event.updated_at


class CaseSitemap(PortalSitemap):
    def items(self):
        return case_selectors.published_cases().select_related(None).only("pk", "updated_at")

    def location(self, case):
        return reverse("cases:detail", kwargs={"pk": case.pk})

    def lastmod(self, case):
        return case.updated_at


class SolutionSitemap(PortalSitemap):
    def items(self):
        return (
            solution_selectors.approved_solutions().select_related(None).prefetch_related(None).only("pk", "updated_at")
        )

    def lastmod(self, solution):
        return solution.updated_at


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "organisations": OrganisationSitemap,
    "clusters": ClusterSitemap,
    "events": EventSitemap,
    "cases": CaseSitemap,
    "solutions": SolutionSitemap,
}
