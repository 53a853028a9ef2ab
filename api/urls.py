"""/api/: the public read API (v1), its OpenAPI schema and its documentation; the Atom feeds (feed_urlpatterns,
under the language prefix)."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from . import docs, errors, feeds, organisation, registrations, staff, token_views, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = True
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("events", views.EventViewSet, basename="event")
router.register("cases", views.CaseViewSet, basename="case")
router.register("solutions", views.SolutionViewSet, basename="solution")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("teams", views.TeamViewSet, basename="team")
router.register("calls", views.CallViewSet, basename="call")
router.register(
    "organisation/applications", organisation.OrganisationApplicationViewSet, basename="organisation-application"
)
router.register("organisation/solutions", organisation.OrganisationSolutionViewSet, basename="organisation-solution")
router.register(
    "organisation/registrations", registrations.OrganisationRegistrationViewSet, basename="organisation-registration"
)
for name, viewset in staff.export_viewsets():
    router.register(f"staff/{name}", viewset, basename=f"staff-{name}")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    re_path(r"^.*$", errors.json_not_found),
]

feed_urlpatterns = (
    [
        path("cases/", feeds.CasesFeed(), name="cases"),
        path("solutions/", feeds.SolutionsFeed(), name="solutions"),
        path("events/", feeds.EventsFeed(), name="events"),
    ],
    "feeds",
)

# The organisation's API tokens page, under the language prefix (/en/me/tokens/).
token_urlpatterns = (
    [
        path("", token_views.tokens, name="list"),
        path("<int:pk>/revoke/", token_views.token_revoke, name="revoke"),
    ],
    "tokens",
)
