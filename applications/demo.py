"""Demo project applications for `manage.py seed_demo`: a published case, one waiting for review, a draft."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from clusters.models import Cluster
from kpis.services import indicator_for_row

from .models import ApplicationHistory, Call, Kpi, ProjectApplication
from .services import call_criteria_start
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
        "kpis": [("Visits to the open budget dashboard", "visits per month", 2_000, 50_000, "Web analytics")],
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


# A second demo city measures the same indicator as the demo city's published case, in another unit (visits a
# year rather than a month), so that the benchmark page shows two lines: `make run`, then a cluster's benchmarks.
SECOND_CITY_CASE = {
    "title": "Budget transparency portal",
    "cluster": "smart-governance",
    "summary": "The harbour city publishes every contract and payment, searchable by neighbourhood (demo).",
    "problem": "Residents could not see what the city spent in their neighbourhood.",
    "approach": "A portal fed every night by the finance system, with maps and open data downloads.",
}
# (indicator, unit, baseline, target, reports: (months ago, value))
DEMO_MEASURES = {
    "Open Budget Dashboard": (
        "Visits to the open budget dashboard",
        "visits per month",
        [(10, 4_000), (7, 12_500), (4, 21_000), (1, 30_500)],
    ),
    "Budget transparency portal": (
        "Visits to the open budget dashboard",
        "visits per year",
        [(9, 90_000), (6, 150_000), (3, 190_000), (1, 230_000)],
    ),
}


def _months_ago(today, months: int):
    month = today.month - months
    year = today.year + (month - 1) // 12
    return today.replace(year=year, month=(month - 1) % 12 + 1, day=1)


def seed_demo_benchmark(*, city, second_city, official, staff) -> None:
    """The second city's published case measuring the demo case's indicator, and a few reports for each.
    Idempotent: a KPI that already has reports is left as people changed it."""
    now = timezone.now()
    case = ProjectApplication.objects.filter(organisation=second_city, title=SECOND_CITY_CASE["title"]).first()
    if case is None:
        fields = {key: value for key, value in SECOND_CITY_CASE.items() if key != "cluster"}
        case = ProjectApplication.objects.create(
            organisation=second_city,
            cluster=Cluster.objects.get(slug=SECOND_CITY_CASE["cluster"]),
            contact_name="Demo Harbour City budget office",
            contact_email="budget@harbour.demo.wego.example",
            start_date=_months_ago(now.date(), 12),
            status=Status.ACCEPTED,
            submitted_at=now,
            decided_at=now,
            published_at=now,
            **{**COMMON, **fields},
        )
        for action, before, after, who in HISTORY[Status.ACCEPTED]:
            ApplicationHistory.objects.create(
                application=case,
                actor=staff if who == "staff" else None,
                action=action,
                from_status=before,
                to_status=after,
                at=now,
            )
        indicator = indicator_for_row(
            name=DEMO_MEASURES[case.title][0], unit="visits per year", organisation=second_city
        )
        Kpi.objects.create(
            application=case,
            indicator=indicator,
            unit="visits per year",
            baseline=24_000,
            target=600_000,
            how_measured="Web analytics",
        )
    for application in ProjectApplication.objects.filter(
        organisation__in=[city, second_city], title__in=list(DEMO_MEASURES)
    ):
        name, unit, reports = DEMO_MEASURES[application.title]
        kpi = application.kpis.filter(indicator__name_en=name).first()
        if kpi is None or kpi.reports.exists():
            continue
        for months, value in reports:
            kpi.reports.create(
                measured_on=_months_ago(now.date(), months),
                value=value,
                unit=unit,
                reported_by=official if application.organisation_id == city.pk else None,
            )


# Demo calls, relative to today so that one is always open and one announced: `make run`, then /en/calls/.
DEMO_CALLS = (
    {
        "slug": "demo-smart-mobility-projects",
        "kind": Call.Kind.APPLICATIONS,
        "title": "Smart mobility projects",
        "description": (
            "Cities with an ongoing or completed project that makes moving around the city cleaner, safer or "
            "fairer: apply with your project worksheet. The Smart Mobility cluster's leader reviews with the "
            "secretariat (demo)."
        ),
        "clusters": ("smart-mobility",),
        "opens_in_days": -7,
        "closes_in_days": 21,
    },
    {
        "slug": "demo-open-data-solutions",
        "kind": Call.Kind.SOLUTIONS,
        "title": "Open data and digital government solutions",
        "description": (
            "Companies, nonprofits and universities: register a solution that helps cities open their data (demo)."
        ),
        "clusters": ("digital-government-platform", "smart-governance"),
        "opens_in_days": 7,
        "closes_in_days": 45,
    },
)


def seed_demo_calls() -> None:
    """Idempotent: a call that exists (by its short name) is left as staff changed it. Closes at 17:00 in Seoul."""
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    today = timezone.localdate(timezone=seoul)
    for data in DEMO_CALLS:
        if Call.objects.filter(slug=data["slug"]).exists():
            continue

        def at(days, hour):
            return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=seoul)

        call = Call.objects.create(
            slug=data["slug"],
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            time_zone="Asia/Seoul",
            opens_at=at(data["opens_in_days"], 9),
            closes_at=at(data["closes_in_days"], 17),
        )
        call.clusters.set(Cluster.objects.filter(slug__in=data["clusters"]))
        call_criteria_start(call)  # as a call opened in the back office: the GCTC's criteria
