"""Reads about teams and rounds: the directory, the team page, the round's figures, the teams of a cluster and of
an organisation. Each is a constant number of queries however many rows there are."""

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When

from accounts.models import Organisation, OrganisationMembership
from clusters.models import Round

from .models import Milestone, OpenRole, Team, TeamMembership

ACTIVE = TeamMembership.State.ACTIVE


def _unfilled_roles() -> Prefetch:
    return Prefetch(
        "open_roles", queryset=OpenRole.objects.filter(filled_by__isnull=True).order_by("pk"), to_attr="unfilled_roles"
    )


def team_directory(
    *, cluster=None, supercluster=None, role: str = "", country: str = "", round=None, search: str = ""
) -> QuerySet[Team]:
    """Teams with at least one unfilled open role, newest first, filtered; each with its unfilled roles."""
    wanted = OpenRole.objects.filter(team=OuterRef("pk"), filled_by__isnull=True)
    if role:
        wanted = wanted.filter(role=role)
    teams = Team.objects.current().filter(Exists(wanted))
    if cluster is not None:
        teams = teams.filter(cluster=cluster)
    if supercluster is not None:
        teams = teams.filter(supercluster=supercluster)
    if country:
        teams = teams.filter(lead_organisation__country=country)
    if round is not None:
        teams = teams.filter(round=round)
    if search:
        teams = teams.filter(
            Q(name__icontains=search) | Q(summary__icontains=search) | Q(lead_organisation__name__icontains=search)
        )
    return (
        teams.select_related("lead_organisation", "cluster", "supercluster", "round")
        .prefetch_related(_unfilled_roles())
        .order_by("-created_at", "-pk")
    )


def team_for_page(pk: int) -> Team:
    """A team with what its page shows: members (active, and pending for its lead), open roles, milestones."""
    return (
        Team.objects.select_related(
            "lead_organisation", "cluster", "supercluster", "round", "application", "merged_into"
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.filter(state__in=TeamMembership.OPEN_STATES)
                .select_related("organisation", "requested_by", "open_role")
                .order_by("requested_at", "pk"),
                to_attr="open_memberships",
            ),
            _unfilled_roles(),
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "pk"), to_attr="milestone_list"),
        )
        .get(pk=pk)
    )


def member_contacts(team: Team) -> dict[int, list]:
    """{organisation id: its active administrators (or members)} of the team's active members: the contacts members
    see of each other."""
    organisation_ids = [m.organisation_id for m in team.open_memberships if m.state == ACTIVE]
    contacts: dict[int, list] = {}
    rows = (
        OrganisationMembership.objects.filter(
            organisation_id__in=organisation_ids, status="active", user__is_active=True
        )
        .select_related("user")
        .order_by("-role", "pk")  # "contact" < "admin": administrators first
    )
    for row in rows:
        contacts.setdefault(row.organisation_id, []).append(row)
    return contacts


def team_kpis(team: Team) -> list:
    """The project's KPIs, when its application is published as a case (what the city made public)."""
    application = team.application
    if application is None or application.published_at is None:
        return []
    return list(application.kpis.select_related("indicator").order_by("pk"))


def teams_of_cluster(cluster, limit: int = 20) -> list[Team]:
    return list(
        Team.objects.current().filter(cluster=cluster).select_related("lead_organisation").order_by("name")[:limit]
    )


def teams_of_organisation(organisation: Organisation) -> QuerySet[TeamMembership]:
    """The teams an organisation is an active member of, for its public profile."""
    return (
        organisation.team_memberships.filter(state=ACTIVE, team__merged_into__isnull=True)
        .select_related("team", "team__round")
        .order_by("team__name", "pk")
    )


def teams_for_its_people(organisation: Organisation) -> QuerySet[TeamMembership]:
    """The organisation's places in teams still open, for "My teams": invitations to answer first, then the teams
    it is in, then its requests waiting for an answer; for a team it leads, how many requests wait for it. One
    query for the page of rows (and the count), however many teams."""
    first = Case(
        When(state=TeamMembership.State.INVITED, then=Value(0)),
        When(state=TeamMembership.State.ACTIVE, then=Value(1)),
        default=Value(2),
    )
    asked = Count("team__memberships", filter=Q(team__memberships__state=TeamMembership.State.ASKED))
    return (
        organisation.team_memberships.filter(state__in=TeamMembership.OPEN_STATES, team__merged_into__isnull=True)
        .select_related("team", "team__cluster", "team__round", "team__lead_organisation")
        .annotate(requests_waiting=asked, first=first)
        .order_by("first", "team__name", "pk")
    )


def teams_of_application(application) -> list[Team]:
    return list(Team.objects.current().filter(application=application).order_by("pk"))


def round_figures(round: Round) -> dict:
    """What the round's public page counts: participating cities, their countries, action clusters (its teams),
    SuperClusters and partner organisations by kind. Participants are the active members of its teams and the
    organisations that sent it an application."""
    sent = ("submitted", "under_review", "changes_requested", "accepted")
    participants = Organisation.objects.filter(
        Q(
            pk__in=TeamMembership.objects.filter(
                team__round=round, team__merged_into__isnull=True, state=ACTIVE
            ).values("organisation_id")
        )
        | Q(pk__in=round.applications.filter(status__in=sent).values("organisation_id"))
    )
    by_kind = {row["kind"]: row["n"] for row in participants.values("kind").annotate(n=Count("pk")).order_by("kind")}
    teams = (
        Team.objects.current()
        .filter(round=round)
        .aggregate(action_clusters=Count("pk"), superclusters=Count("supercluster", distinct=True))
    )
    labels = dict(Organisation.Kind.choices)
    return {
        "cities": by_kind.get("city", 0),
        "countries": participants.filter(kind="city").values("country").distinct().count(),
        "action_clusters": teams["action_clusters"],
        "superclusters": teams["superclusters"],
        "partners_by_kind": [(labels[kind], by_kind[kind]) for kind in labels if kind != "city" and by_kind.get(kind)],
    }
