"""Atom feeds (Django's syndication framework): published cases, newly approved solutions, upcoming events.

Under the language prefix (/en/feeds/cases/, /ko/feeds/cases/...): titles, texts and links in that language.
Each feed reads the app's own selector, so it lists what the public page lists.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from applications import selectors as case_selectors
from applications import solution_selectors
from events import selectors as event_selectors

FEED_LENGTH = 50


class PortalFeed(Feed):
    feed_type = Atom1Feed

    def item_updateddate(self, item):
        return item.updated_at


class CasesFeed(PortalFeed):
    title = _("WeGO Cluster Portal: published cases")
    subtitle = _("Best-practice projects that cities have published, the newest first.")

    def link(self):
        return reverse("cases:library")

    def items(self):
        return case_selectors.published_cases()[:FEED_LENGTH]

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return reverse("cases:detail", kwargs={"pk": case.pk})

    def item_pubdate(self, case):
        return case.published_at

    def item_author_name(self, case):
        return case.organisation.name


class SolutionsFeed(PortalFeed):
    title = _("WeGO Cluster Portal: newly approved solutions")
    subtitle = _("Solutions of companies, nonprofits and academia, the latest approved first.")

    def link(self):
        return reverse("solutions:directory")

    def items(self):
        return solution_selectors.approved_solutions()[:FEED_LENGTH]

    def item_title(self, solution):
        return solution.name

    def item_description(self, solution):
        return solution.summary

    def item_link(self, solution):
        return reverse("solutions:detail", kwargs={"pk": solution.pk})

    def item_pubdate(self, solution):
        return solution.decided_at

    def item_author_name(self, solution):
        return solution.organisation.name


class EventsFeed(PortalFeed):
    title = _("WeGO Cluster Portal: upcoming events")
    subtitle = _("GCTC and WeGO events, the soonest first.")

    def link(self):
        return reverse("events:upcoming")

    def items(self):
        return event_selectors.upcoming_events()[:FEED_LENGTH]

    def item_title(self, event):
        return event.name

    def item_description(self, event):
        if event.date_to_be_announced:
            starts = _("The date is to be announced. Expected: %(period)s.") % {"period": event.expected_period}
        else:
            starts = event.local_starts_at.strftime("%Y-%m-%d %H:%M")
        return _("%(starts)s, %(place)s. %(description)s") % {
            "starts": starts,
            "place": ", ".join(part for part in (event.city, event.country.name) if part),
            "description": event.description,
        }

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        return event.created_at
