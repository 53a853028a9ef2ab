"""Demo project applications for `manage.py seed_demo`: a published case, one waiting for review, a draft."""

from django.utils import timezone

from clusters.models import Cluster
from kpis.services import indicator_for_row

from .models import ApplicationHistory, Kpi, ProjectApplication
from .workflow import Action, Status

COMMON = {
    "stage": ProjectApplication.Stage.ONGOING,
    "technologies": "Open data platform, public API, web and mobile front ends.",
    "standards": "DCAT-AP for the catalogue, OpenAPI 3 for the API.",
    "interoperability": "Every dataset is published through the same open API that other cities can read.",
    "replicability": "The platform is open source; the playbook describes each step for another city.",
    "scalability": "New departments publish by adding datasets; the platform runs on the city cloud.",
    "cybersecurity": "Single sign-on for staff, yearly penetration test, signed releases.",
    "privacy": "Only aggregated, non-personal data is published; a privacy officer reviews each dataset.",
    "budget": 480000,
    "currency": "USD",
    "funding_sources": "City budget (70 %) and the national digital government fund (30 %).",
}

DEMO_APPLICATIONS = [
    {
        "title": "Open Budget Dashboard",
        "cluster": "smart-governance",
        "status": Status.ACCEPTED,
        "publish": True,
        "summary": "Residents follow every won of the city budget on a public dashboard, from the council "
        "vote to the last invoice.",
        "problem": "Residents did not trust how the budget was spent because spending data was scattered across "
        "departments and published as scanned documents.",
        "approach": "A transparency dashboard fed nightly from the finance system, with open data downloads "
        "and a participatory budgeting module.",
        "kpis": [("Visits to the open budget dashboard", "visits per month", 0, 50_000, "Web analytics")],
    },
    {
        "title": "Participatory budgeting by mobile phone",
        "cluster": "smart-governance",
        "status": Status.SUBMITTED,
        "summary": "Residents propose and vote on neighbourhood projects from their phones.",
        "problem": "Few residents attend the neighbourhood assemblies where budget priorities are chosen.",
        "approach": "A mobile voting app with identity verification and open results.",
        "kpis": [
            ("Residents voting in participatory budgeting", "people per year", 1_200, 20_000, "Verified votes cast")
        ],
    },
    {
        "title": "Smart street lighting",
        "cluster": "digital-government-platform",
        "status": Status.DRAFT,
        "summary": "Dim the street lights when nobody is around.",
        "problem": "",
        "approach": "",
        "kpis": [],
    },
]

HISTORY = {
    Status.SUBMITTED: [(Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, "official")],
    Status.ACCEPTED: [
        (Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, "official"),
        (Action.START_REVIEW, Status.SUBMITTED, Status.UNDER_REVIEW, "staff"),
        (Action.ACCEPT, Status.UNDER_REVIEW, Status.ACCEPTED, "staff"),
    ],
}


def seed_demo_applications(*, city, official, staff) -> None:
    """Idempotent: an application the demo city already has (by title) is left as people changed it."""
    now = timezone.now()
    for data in DEMO_APPLICATIONS:
        if ProjectApplication.objects.filter(organisation=city, title=data["title"]).exists():
            continue
        fields = {key: value for key, value in data.items() if key not in {"cluster", "kpis", "publish"}}
        status = data["status"]
        application = ProjectApplication.objects.create(
            organisation=city,
            created_by=official,
            cluster=Cluster.objects.get(slug=data["cluster"]),
            contact_name=official.full_name,
            contact_email=official.email,
            start_date=now.date().replace(month=1, day=1),
            submitted_at=now if status != Status.DRAFT else None,
            decided_at=now if status == Status.ACCEPTED else None,
            published_at=now if data.get("publish") else None,
            **{**COMMON, **fields},
        )
        for name, unit, baseline, target, how in data["kpis"]:
            Kpi.objects.create(
                application=application,
                indicator=indicator_for_row(name=name, unit=unit, organisation=city),
                unit=unit,
                baseline=baseline,
                target=target,
                how_measured=how,
            )
        people = {"official": official, "staff": staff}
        for action, before, after, who in HISTORY.get(status, []):
            ApplicationHistory.objects.create(
                application=application, actor=people[who], action=action, from_status=before, to_status=after, at=now
            )
