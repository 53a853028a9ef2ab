"""A demo solution for `manage.py seed_demo`: the demo company's approved offer, matching the demo city's
governance projects (participatory budgeting, a budget transparency dashboard)."""

from django.utils import timezone

from clusters.models import Cluster

from .models import Deployment, SolutionHistory, SolutionRegistration
from .workflow import Action, Status

DEMO_SOLUTION = {
    "name": "Civic Dashboard Kit",
    "summary": "Open data dashboards that let residents follow the city budget, and a mobile module for "
    "participatory budgeting with verified votes and open results.",
    "description": "The kit connects to a city's finance system and publishes spending as open data on a public "
    "transparency dashboard. Its participatory budgeting module lets residents propose neighbourhood "
    "projects and vote from their mobile phones, with identity verification and results anyone can check.",
    "offering": SolutionRegistration.Offering.PRODUCT,
    "maturity": SolutionRegistration.Maturity.DEPLOYED,
    "standards": "DCAT-AP for the open data catalogue, OpenAPI 3, WCAG 2.1 AA.",
    "website": "https://example.org/urban-sensors/civic-dashboard",
}
DEMO_CLUSTERS = ["smart-governance"]
# (city, country, year, result)
DEMO_DEPLOYMENTS = [
    ("Lyon", "FR", 2023, "Budget dashboard visited 30,000 times in its first year (demo figure)."),
    ("Valencia", "ES", 2024, "Participatory budgeting votes rose from 2,000 to 11,000 (demo figure)."),
]
HISTORY = [
    (Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, "provider"),
    (Action.START_REVIEW, Status.SUBMITTED, Status.UNDER_REVIEW, "staff"),
    (Action.ACCEPT, Status.UNDER_REVIEW, Status.ACCEPTED, "staff"),
]


def seed_demo_solutions(*, company, provider, staff) -> None:
    """Idempotent: a solution the demo company already has (by name) is left as people changed it.

    Written directly rather than through the workflow: demo data sends no e-mail.
    """
    if SolutionRegistration.objects.filter(organisation=company, name=DEMO_SOLUTION["name"]).exists():
        return
    now = timezone.now()
    solution = SolutionRegistration.objects.create(
        organisation=company,
        created_by=provider,
        status=Status.ACCEPTED,
        submitted_at=now,
        decided_at=now,
        **DEMO_SOLUTION,
    )
    solution.clusters.set(Cluster.objects.filter(slug__in=DEMO_CLUSTERS))
    Deployment.objects.bulk_create(
        Deployment(solution=solution, city=city, country=country, year=year, result=result)
        for city, country, year, result in DEMO_DEPLOYMENTS
    )
    people = {"provider": provider, "staff": staff}
    SolutionHistory.objects.bulk_create(
        SolutionHistory(
            solution=solution, actor=people[who], action=action, from_status=before, to_status=after, at=now
        )
        for action, before, after, who in HISTORY
    )
