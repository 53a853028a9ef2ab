"""Demo teams for `make run` (frontoffice's seed_demo calls this): the GCTC 2018 round with its key events, and a
few teams, some with open roles, so the directory "Teams looking for partners" is filled. Safe to run again."""

import datetime as dt

from accounts.models import Organisation
from clusters.models import Cluster, Round
from events.models import Event

from .models import Milestone, OpenRole, Role, Team, TeamMembership

GCTC_2018_EVENTS = ["gctc-sc3-kickoff-2018", "gctc-tech-jam-2018", "gctc-expo-2018"]

DEMO_INVESTOR = {
    "name": "Demo Impact Ventures",
    "kind": Organisation.Kind.INVESTOR,
    "country": "KR",
    "city": "Seoul",
    "is_verified": True,
}

# (name, lead key, thematic cluster, SuperCluster or None, summary, members [(key, role)], open roles, milestones)
DEMO_TEAMS = [
    (
        "Smart street lighting for Demo City",
        "city",
        "smart-utility-waste",
        None,
        "Motion sensors dim the street lights when nobody is around; the team measures the electricity saved and "
        "publishes a playbook other cities can replicate (demo).",
        [("university", Role.RESEARCH)],
        [
            (Role.TECHNOLOGY, "LoRaWAN motion sensors and their management system"),
            (Role.INVESTOR, "Co-funding the city-wide roll-out"),
        ],
        [
            ("Pilot district lit", dt.date(2018, 5, 31), dt.date(2018, 5, 20)),
            ("Results at the GCTC Expo", dt.date(2018, 12, 1), None),
        ],
    ),
    (
        "Connected corridor pilot",
        "second_city",
        "smart-mobility",
        "demo-gctc-transportation",
        "Connected traffic signals along one corridor, with shared travel-time and safety KPIs (demo).",
        [("company", Role.TECHNOLOGY)],
        [(Role.PARTNER_CITY, "A city with a signalised corridor willing to replicate the pilot")],
        [("Signals connected", dt.date(2018, 6, 20), None)],
    ),
    (
        "Open budget data",
        "city",
        "smart-governance",
        None,
        "The city's budget as open data, with a participatory budgeting pilot (demo).",
        [("company", Role.TECHNOLOGY), ("investor", Role.INVESTOR)],
        [],
        [],
    ),
]


def seed_demo_teams(*, organisations: dict[str, Organisation], official) -> Round:
    gctc, _created = Round.objects.get_or_create(
        slug="gctc-2018",
        defaults={
            "year": 2018,
            "name": "GCTC 2018",
            "summary": "The 2018 round of the Global City Teams Challenge, led by NIST and co-hosted with the U.S. "
            "Department of Homeland Security Science and Technology Directorate; it emphasises cybersecurity and "
            "privacy.",
        },
    )
    Event.objects.filter(slug__in=GCTC_2018_EVENTS, round__isnull=True).update(round=gctc)
    organisations = {
        **organisations,
        "investor": Organisation.objects.get_or_create(
            name=DEMO_INVESTOR["name"], country=DEMO_INVESTOR["country"], defaults=DEMO_INVESTOR
        )[0],
    }
    clusters = {cluster.slug: cluster for cluster in Cluster.objects.all()}
    for name, lead, cluster, supercluster, summary, members, roles, milestones in DEMO_TEAMS:
        if Team.objects.filter(name=name).exists() or cluster not in clusters:
            continue
        team = Team.objects.create(
            name=name,
            summary=summary,
            lead_organisation=organisations[lead],
            round=gctc,
            cluster=clusters[cluster],
            supercluster=clusters.get(supercluster) if supercluster else None,
            discussion_url=f"https://groups.google.com/g/wego-demo-team-{len(name)}",
            created_by=official,
        )
        for key, role in [(lead, Role.LEAD_CITY), *members]:
            TeamMembership.objects.create(team=team, organisation=organisations[key], role=role, state="active")
        OpenRole.objects.bulk_create(OpenRole(team=team, role=role, expertise=text) for role, text in roles)
        Milestone.objects.bulk_create(
            Milestone(team=team, title=title, planned_on=planned, done_on=done) for title, planned, done in milestones
        )
    return gctc
