"""A large, realistic and repeatable dataset for the benchmark (`make bench`, bench/run.py).

Rows are written with PostgreSQL's COPY, many times faster than bulk_create at this size, with ids chosen
here so related rows can point at each other without reading anything back. A fixed random seed makes every
run load the same data. Every person can sign in (one password hash, computed once, is shared).
"""

import datetime as dt
import io
import json
import random
import time
from collections.abc import Iterable
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from accounts.models import Organisation, OrganisationMembership, User, organisation_name_skeleton
from applications.models import (
    ApplicationHistory,
    Kpi,
    Message,
    MessageAttachment,
    ProgressReport,
    ProjectApplication,
    SolutionHistory,
    SolutionRegistration,
)
from applications.models.project import kpi_figures
from applications.workflow import Status
from clusters.models import Cluster, ClusterMembership, Round
from clusters.seed import seed_clusters
from events.models import Event, Registration
from events.seed import seed_events
from kpis.models import Indicator
from kpis.seed import seed_indicators
from notifications.models import OutboundEmail
from teams.models import PARTNER_ROLES, Milestone, OpenRole, Team, TeamMembership

# The accounts bench/run.py signs in with; every generated person has the same password.
# A published benchmark login, like the demo's.
BENCH_PASSWORD = "wego-bench-2026"  # nosec B105
OFFICIAL_EMAIL = "official@bench.wego.example"
LEADER_EMAIL = "leader@bench.wego.example"
STAFF_EMAIL = "staff@bench.wego.example"
# A city official with complete drafts, which the benchmark submits through the portal's form.
SUBMITTER_EMAIL = "submitter@bench.wego.example"
# The mixed phase's writers (bench/run.py): each the administrator of a city of its own, with one draft to
# save over and over, an upcoming event to register for and cancel, and an open cluster to ask to join and leave.
# Twelve, so 10 writes a second in all leave each of them 1.2 s for a write (its form, the post and the page it
# leads to) while wrk keeps the server busy.
WRITER_EMAILS = [f"writer{number}@bench.wego.example" for number in range(1, 13)]
# The staff account's authenticator key (base32), so the benchmark can answer the two-factor step.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # nosec B105

# Row counts at --scale 1 (the figures).
SIZES = {
    "organisations": 2_000,
    "users": 5_000,
    "clusters": 50,
    "applications": 20_000,
    "solutions": 5_000,
    "events": 300,
    "registrations": 30_000,
    "outbox": 100_000,
    "drafts": 1_000,
    "teams": 5_000,
    # The conversations on sent applications (issue 25: "20,000 applications and 200,000 messages").
    "messages": 200_000,
}

COUNTRIES = [
    "KR", "US", "FR", "ES", "DE", "GB", "JP", "CN", "IN", "BR", "MX", "PH", "ID", "VN", "TH", "MY", "SG", "AU",
    "NZ", "CA", "CL", "CO", "PE", "AR", "ZA", "KE", "NG", "EG", "MA", "TR", "IT", "NL", "SE", "FI", "PL", "PT",
    "GR", "AE", "SA", "MN",
]  # fmt: skip
THEMES = [
    "traffic", "parking", "mobility", "transit", "bicycle", "air quality", "noise", "water", "waste", "recycling",
    "energy", "lighting", "flood", "heat", "open data", "e-government", "digital identity", "procurement",
    "tourism", "health", "elderly care", "education", "safety", "emergency response", "housing", "permits",
    "smart grid", "district heating", "sensors", "digital twin", "citizen participation", "budgeting",
]  # fmt: skip
TECHNOLOGIES = [
    "LoRaWAN sensors", "5G", "edge computing", "machine learning", "computer vision", "a data platform",
    "FIWARE", "oneM2M", "blockchain", "a mobile app", "chatbots", "satellite imagery", "drones", "BIM",
    "GIS", "open APIs", "smart meters", "cloud services",
]  # fmt: skip
WORDS = [
    "city", "residents", "service", "network", "pilot", "district", "monitoring", "platform", "citizens",
    "operators", "partners", "dashboard", "measurement", "reduction", "improvement", "budget", "results",
    "replication", "scale", "standard", "interoperable", "privacy", "secure", "public", "private", "community",
    "neighbourhood", "infrastructure", "maintenance", "response", "real-time", "forecast", "analysis",
]  # fmt: skip
FIRST_NAMES = [
    "Min-jun", "Seo-yeon", "Ji-ho", "Ana", "Carlos", "Lucia", "Marie", "Jean", "Chloé", "Amir", "Fatima", "Kenji",
    "Yuki", "Ravi", "Priya", "Tom", "Emma",
]  # fmt: skip
LAST_NAMES = [
    "Kim", "Lee", "Park", "Choi", "García", "López", "Martin", "Dubois", "Okafor", "Silva", "Santos", "Tanaka",
    "Sato", "Sharma", "Smith", "Jones",
]  # fmt: skip
CLUSTER_THEMES = [
    "Smart Lighting", "Air Quality", "Water Resilience", "Urban Heat", "Digital Twins", "Open Data",
    "Civic Participation", "Smart Parking", "Public Safety", "Health and Ageing", "Smart Tourism",
    "Circular Economy", "Energy Transition", "Flood Management", "Smart Buildings", "Education Technology",
    "Cybersecurity for Cities", "Urban Agriculture", "Noise Monitoring", "Micromobility", "Port Cities",
    "Smart Procurement", "Digital Inclusion", "Climate Adaptation", "Emergency Response",
]  # fmt: skip
OUTBOX_TEMPLATES = [
    "application_submitted_leader",
    "application_status",
    "registration_confirmed",
    "membership_decided",
    "solution_submitted_leader",
]


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Loader:
    """Writes rows of one model with COPY: each row a dict by attribute name, missing fields get defaults."""

    def __init__(self, cursor, now: dt.datetime):
        self.cursor = cursor
        self.now = now

    def _defaults(self, model) -> dict:
        defaults = {}
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                defaults[field.attname] = self.now
            elif field.has_default():
                defaults[field.attname] = field.get_default()
            elif field.null:
                defaults[field.attname] = None
            elif isinstance(field, models.CharField | models.TextField | models.FileField):
                defaults[field.attname] = ""
        return defaults

    @staticmethod
    def _translated_fields(model) -> list[str]:
        """The fields django-modeltranslation keeps per language; COPY bypasses the model, which would write the
        default language's column (name_en) along with the field (name) and show it in every language."""
        try:
            return list(translator.get_options_for_model(model).fields)
        except NotRegistered:
            return []

    def copy(self, model, rows: Iterable[dict]) -> int:
        defaults = self._defaults(model)
        translated = {
            name: build_localized_fieldname(name, mt_settings.DEFAULT_LANGUAGE)
            for name in self._translated_fields(model)
        }
        fields = model._meta.concrete_fields
        columns = [connection.ops.quote_name(f.column) for f in fields]
        buffer = io.StringIO()
        count = 0
        for row in rows:
            for name, default_language_column in translated.items():
                if name in row and default_language_column not in row:
                    row = {**row, default_language_column: row[name]}
            values = []
            for field in fields:
                if field.attname in row:
                    values.append(row[field.attname])
                elif field.attname in defaults:
                    values.append(defaults[field.attname])
                else:
                    raise CommandError(f"{model.__name__}.{field.attname} needs a value.")
            buffer.write("\t".join(_copy_text(v) for v in values))
            buffer.write("\n")
            count += 1
        buffer.seek(0)
        table = connection.ops.quote_name(model._meta.db_table)
        self.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        return count

    def copy_m2m(self, through, rows: Iterable[tuple]) -> int:
        fields = [f for f in through._meta.concrete_fields if not f.primary_key]
        buffer = io.StringIO()
        count = 0
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in row) + "\n")
            count += 1
        buffer.seek(0)
        table = connection.ops.quote_name(through._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        self.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        return count


def _next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


class Command(BaseCommand):
    help = "Load the benchmark's large dataset into an empty PostgreSQL database (after migrate)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the issue's row counts.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed: the same seed loads the same data.")
        parser.add_argument(
            "--admin-rows",
            type=int,
            default=0,
            help="Top the tables the admin lists (applications, registrations, the outbox) up to this many rows "
            "with history no public or signed-in page shows: withdrawn applications, registrations for past events.",
        )

    def handle(self, *args, scale: float, seed: int, admin_rows: int = 0, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark dataset is loaded with PostgreSQL's COPY: use a PostgreSQL DATABASE_URL.")
        if User.objects.filter(email=OFFICIAL_EMAIL).exists():
            raise CommandError("The benchmark dataset is already loaded in this database.")
        # Repeatable benchmark data, nothing secret.
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311
        self.now = timezone.now().replace(microsecond=0)
        self.sizes = {name: max(int(count * scale), 1) for name, count in SIZES.items()}
        self.sizes["clusters"] = max(self.sizes["clusters"], 8)
        # Enough events that even a tiny scale has upcoming ones on the event list.
        self.sizes["events"] = max(self.sizes["events"], 6)
        self.sizes["organisations"] = max(self.sizes["organisations"], 8)
        self.sizes["users"] = max(self.sizes["users"], self.sizes["organisations"])
        self.admin_rows = admin_rows
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            self.loader = Loader(cursor.cursor, self.now)
            for step in (
                self._clusters,
                self._organisations,
                self._users,
                self._cluster_memberships,
                self._applications,
                self._messages,
                self._solutions,
                self._events,
                self._teams,
                self._outbox,
                self._writers,
                self._admin_rows,
            ):
                step_started = time.monotonic()
                counts = step()
                counted = ", ".join(f"{count:,} {name}" for name, count in counts.items())
                self.stdout.write(f"  {counted} in {time.monotonic() - step_started:.1f} s")
            self._reset_sequences(cursor)
        with connection.cursor() as cursor:
            step_started = time.monotonic()
            # As autovacuum leaves a live database: statistics, and the visibility map that lets counts and
            # list pages read an index alone instead of the table. Inside a transaction (the test suite's)
            # PostgreSQL can only ANALYZE.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(command)
            self.stdout.write(f"  {command} in {time.monotonic() - step_started:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Benchmark dataset loaded in {time.monotonic() - started:.1f} s."))

    # --- helpers ----------------------------------------------------------------------------------

    def _past(self, days: int = 3 * 365) -> dt.datetime:
        return self.now - dt.timedelta(seconds=self.rng.randint(3600, days * 86400))

    def _sentence(self, words: int = 12) -> str:
        theme = self.rng.choice(THEMES)
        body = " ".join(self.rng.choice(WORDS) for _ in range(words))
        return f"{theme.capitalize()} {body} with {self.rng.choice(TECHNOLOGIES)}."

    def _paragraph(self, sentences: int = 4) -> str:
        return " ".join(self._sentence() for _ in range(sentences))

    # --- steps ------------------------------------------------------------------------------------

    def _clusters(self) -> dict:
        seed_clusters()
        seed_events()
        seed_indicators()
        existing = Cluster.objects.count()
        wanted = self.sizes["clusters"] - existing
        supers = max(wanted // 10, 1)
        actions = max(wanted // 4, 1)
        first = _next_id(Cluster)
        rows = []
        super_ids = []
        for index in range(max(wanted, 0)):
            pk = first + index
            if index < supers:
                kind, name = Cluster.Kind.SUPER, f"SuperCluster {index + 1}"
                super_ids.append(pk)
            elif index < supers + actions:
                kind, name = Cluster.Kind.ACTION, f"Action cluster {index + 1}: {self.rng.choice(THEMES).title()}"
            else:
                theme = CLUSTER_THEMES[(index - supers - actions) % len(CLUSTER_THEMES)]
                kind, name = Cluster.Kind.THEMATIC, f"{theme} {index // len(CLUSTER_THEMES) + 1}"
            rows.append(
                {
                    "id": pk,
                    "kind": kind,
                    "name": name,
                    "slug": f"bench-{pk}",
                    "summary": self._sentence(),
                    "description": self._paragraph(),
                    "status": self.rng.choice([Cluster.Status.ACTIVE] * 4 + [Cluster.Status.FORMING]),
                    "supercluster_id": self.rng.choice(super_ids) if kind == Cluster.Kind.ACTION else None,
                    "discussion_url": f"https://groups.example.org/bench-{pk}",
                }
            )
        self.loader.copy(Cluster, rows)
        clusters = list(Cluster.objects.values_list("pk", "kind", "status"))
        self.thematic_ids = [pk for pk, kind, status in clusters if kind == "thematic" and status != "closed"]
        self.action_ids = [pk for pk, kind, _status in clusters if kind == "action"]
        return {"clusters": len(clusters)}

    def _organisations(self) -> dict:
        size = self.sizes["organisations"]
        first = _next_id(Organisation)
        # Mostly cities and companies, interleaved so even a tiny scale has every kind; the first three are cities.
        kinds = ["city", "company"] * 8 + ["city", "nonprofit", "nonprofit", "academia"]
        rows = []
        self.org_kind = {}
        for index in range(size):
            pk = first + index
            kind = "city" if index < 3 else kinds[index % len(kinds)]
            country = self.rng.choice(COUNTRIES)
            label = {"city": "City", "company": "Urban Systems", "nonprofit": "Foundation", "academia": "Institute"}
            rows.append(
                {
                    "id": pk,
                    "name": f"Bench {label[kind]} {pk}",
                    "name_skeleton": organisation_name_skeleton(f"Bench {label[kind]} {pk}"),
                    "kind": kind,
                    "country": country,
                    "city": f"Town {pk % 500}",
                    "website": f"https://org{pk}.example.org",
                    "is_wego_member": kind == "city" and self.rng.random() < 0.6,
                    "is_verified": self.rng.random() < 0.8,
                    "verified_at": self._past(),
                    "created_at": self._past(),
                    "updated_at": self._past(30),
                }
            )
            self.org_kind[pk] = kind
        self.loader.copy(Organisation, rows)
        self.cities = [pk for pk, kind in self.org_kind.items() if kind == "city"]
        self.providers = [pk for pk, kind in self.org_kind.items() if kind != "city"]
        return {"organisations": len(rows)}

    def _users(self) -> dict:
        size = self.sizes["users"]
        password = self.password = make_password(BENCH_PASSWORD)
        first = _next_id(User)
        org_ids = list(self.org_kind)
        users, emails, memberships = [], [], []
        self.user_org, self.user_email = {}, {}
        membership_id = _next_id(OrganisationMembership)
        email_id = _next_id(EmailAddress)
        for index in range(size):
            pk = first + index
            # The first person of each organisation is its administrator; the rest are contacts.
            org = org_ids[index] if index < len(org_ids) else self.rng.choice(org_ids)
            if index == 0:
                email = OFFICIAL_EMAIL  # the administrator of the first organisation, a city
            elif index == 1:
                email = STAFF_EMAIL
            elif index == 2:
                email = SUBMITTER_EMAIL  # the administrator of the third organisation, a city
            elif index == len(org_ids) - 1:
                email = LEADER_EMAIL
            else:
                email = f"person{pk}@bench.wego.example"
            users.append(
                {
                    "id": pk,
                    "password": password,
                    "email": email,
                    "full_name": f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)} {pk}",
                    "job_title": "Project manager",
                    "is_staff": email == STAFF_EMAIL,
                    "is_superuser": email == STAFF_EMAIL,
                    "date_joined": self._past(),
                    "last_login": None,
                }
            )
            emails.append({"id": email_id + index, "user_id": pk, "email": email, "verified": True, "primary": True})
            memberships.append(
                {
                    "id": membership_id + index,
                    "user_id": pk,
                    "organisation_id": org,
                    "role": "admin" if index < len(org_ids) else "contact",
                    "status": "active",
                    "requested_at": self._past(),
                    "decided_at": self._past(),
                }
            )
            self.user_org[pk] = org
            self.user_email[pk] = email
        self.loader.copy(User, users)
        self.loader.copy(EmailAddress, emails)
        self.loader.copy(OrganisationMembership, memberships)
        self.user_ids = list(self.user_org)
        self.official_id = first
        self.staff_id = first + 1
        self.submitter_id = first + 2
        self.leader_id = first + len(org_ids) - 1
        staff = User.objects.get(pk=self.staff_id)
        TOTP.activate(staff, STAFF_TOTP_SECRET)
        # Leaders: the bench leader leads the two biggest thematic clusters, others lead one or two each.
        through = Cluster.leaders.through
        non_staff = [pk for pk in self.user_ids if pk != self.staff_id]
        leader_rows = {(self.thematic_ids[0], self.leader_id), (self.thematic_ids[1], self.leader_id)}
        for cluster_id in self.thematic_ids + self.action_ids:
            for user_id in self.rng.sample(non_staff, 2):
                leader_rows.add((cluster_id, user_id))
        self.loader.copy_m2m(through, sorted(leader_rows))
        self.leaders_of = {}
        for cluster_id, user_id in leader_rows:
            self.leaders_of.setdefault(cluster_id, []).append(user_id)
        return {
            "users": len(users),
            "e-mail addresses": len(emails),
            "organisation memberships": len(memberships),
            "leaders": len(leader_rows),
            "authenticators": Authenticator.objects.count(),
        }

    def _cluster_memberships(self) -> dict:
        rows = []
        pk = _next_id(ClusterMembership)
        for org in self.org_kind:
            for cluster_id in self.rng.sample(self.thematic_ids, min(self.rng.randint(1, 3), len(self.thematic_ids))):
                status = self.rng.choice(["active"] * 6 + ["pending", "declined", "left"])
                rows.append(
                    {
                        "id": pk,
                        "cluster_id": cluster_id,
                        "organisation_id": org,
                        "status": status,
                        "motivation": self._sentence(),
                        "requested_at": self._past(),
                        "decided_at": None if status == "pending" else self._past(),
                    }
                )
                pk += 1
        self.loader.copy(ClusterMembership, rows)
        return {"cluster memberships": len(rows)}

    def _status(self) -> str:
        return self.rng.choices(
            [
                Status.DRAFT,
                Status.SUBMITTED,
                Status.UNDER_REVIEW,
                Status.CHANGES_REQUESTED,
                Status.ACCEPTED,
                Status.DECLINED,
                Status.WITHDRAWN,
            ],
            weights=[15, 15, 15, 5, 40, 7, 3],
        )[0]

    @staticmethod
    def _path(status: str) -> list[tuple[str, str, str]]:
        """The audit rows (action, from, to) that lead to `status`."""
        steps = {
            Status.DRAFT: [],
            Status.SUBMITTED: [("submit", "draft", "submitted")],
            Status.UNDER_REVIEW: [("submit", "draft", "submitted"), ("start_review", "submitted", "under_review")],
        }
        review = steps[Status.UNDER_REVIEW]
        steps[Status.CHANGES_REQUESTED] = [*review, ("request_changes", "under_review", "changes_requested")]
        steps[Status.ACCEPTED] = [*review, ("accept", "under_review", "accepted")]
        steps[Status.DECLINED] = [*review, ("decline", "under_review", "declined")]
        steps[Status.WITHDRAWN] = [("withdraw", "draft", "withdrawn")]
        return steps[status]

    def _applications(self) -> dict:
        size = self.sizes["applications"]
        first = _next_id(ProjectApplication)
        kpi_id, history_id, report_id = _next_id(Kpi), _next_id(ApplicationHistory), _next_id(ProgressReport)
        city_people: dict[int, list[int]] = {}
        for user_id, org in self.user_org.items():
            city_people.setdefault(org, []).append(user_id)
        apps, kpis, history, reports = [], [], [], []
        # Projects measure indicators of the starter catalogue, in their unit: every indicator is benchmarked.
        indicators = list(Indicator.objects.catalogue().order_by("pk").values_list("pk", "unit"))
        # The benchmark's official's city has a realistic number of applications (a busy city: 30).
        official_org = self.user_org[self.official_id]
        submitter_org = self.user_org[self.submitter_id]
        drafts = self.sizes["drafts"]
        for index in range(size + drafts):
            pk = first + index
            # The last rows are the submitter's complete drafts, on active clusters, for the submission run.
            is_draft_to_submit = index >= size
            if is_draft_to_submit:
                org, status = submitter_org, Status.DRAFT
            else:
                org = official_org if index < min(30, size // 4) else self.rng.choice(self.cities)
                status = self._status()
            # Half the traffic goes to the first two clusters (the bench leader's), the rest spread out.
            if self.rng.random() < 0.3:
                cluster = self.rng.choice(self.thematic_ids[:2])
            else:
                cluster = self.rng.choice(self.thematic_ids)
            created = self._past()
            submitted = created + dt.timedelta(days=self.rng.randint(1, 30)) if status != Status.DRAFT else None
            decided = (
                submitted + dt.timedelta(days=self.rng.randint(1, 60)) if status in ("accepted", "declined") else None
            )
            updated = max(t for t in (created, submitted, decided) if t is not None)
            updated = min(updated, self.now)
            published = decided if status == Status.ACCEPTED and self.rng.random() < 0.6 else None
            theme = self.rng.choice(THEMES)
            start = (created - dt.timedelta(days=self.rng.randint(0, 400))).date()
            apps.append(
                {
                    "id": pk,
                    "status": status,
                    "created_at": created,
                    "updated_at": updated,
                    "submitted_at": submitted,
                    "decided_at": decided,
                    "organisation_id": org,
                    "created_by_id": self.submitter_id
                    if is_draft_to_submit
                    else self.rng.choice(city_people.get(org, self.user_ids)),
                    "cluster_id": cluster,
                    "action_cluster_id": self.rng.choice(self.action_ids) if self.rng.random() < 0.2 else None,
                    "title": f"{theme.capitalize()} with {self.rng.choice(TECHNOLOGIES)} in district {pk % 97}",
                    "summary": self._paragraph(2),
                    "problem": self._paragraph(3),
                    "approach": self._paragraph(3),
                    "technologies": ", ".join(self.rng.sample(TECHNOLOGIES, 3)),
                    "stage": self.rng.choice(["planned", "ongoing", "completed"]),
                    "start_date": start,
                    "end_date": start + dt.timedelta(days=self.rng.randint(90, 900)),
                    "standards": "ISO 37120, oneM2M",
                    "interoperability": self._sentence(),
                    "replicability": self._sentence(),
                    "scalability": self._sentence(),
                    "cybersecurity": self._sentence(),
                    "privacy": self._sentence(),
                    "budget": self.rng.randint(10, 5000) * 1000,
                    "currency": "USD",
                    "funding_sources": "City budget and national grant",
                    "contact_name": "Project office",
                    "contact_email": f"projects{org}@bench.wego.example",
                    "published_at": published,
                }
            )
            for indicator_id, unit in self.rng.sample(indicators, self.rng.randint(1, 3)):
                kpis.append(
                    {
                        "id": kpi_id,
                        "application_id": pk,
                        "indicator_id": indicator_id,
                        "unit": unit,
                        "baseline": self.rng.randint(10, 90),
                        "target": self.rng.randint(10, 90),
                        "how_measured": "Monthly sensor data",
                    }
                )
                # Projects under way report what they measured each quarter since they started (up to eight).
                if status in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.ACCEPTED):
                    baseline, target = kpis[-1]["baseline"], kpis[-1]["target"]
                    for quarter in range(min(8, max(0, (self.now.date() - start).days // 91))):
                        measured_on = start + dt.timedelta(days=91 * (quarter + 1))
                        reports.append(
                            {
                                "id": report_id,
                                "kpi_id": kpi_id,
                                "measured_on": measured_on,
                                "value": baseline + (target - baseline) * (quarter + 1) / 10,
                                "unit": unit,
                                "note": "Quarterly reading",
                                "reported_by_id": apps[-1]["created_by_id"],
                                "reported_at": min(
                                    dt.datetime.combine(measured_on, dt.time(9), tzinfo=dt.UTC), self.now
                                ),
                            }
                        )
                        report_id += 1
                    if reports and reports[-1]["kpi_id"] == kpi_id:
                        # What ProgressReport.save keeps on the KPI (COPY bypasses it).
                        latest = kpis[-1]
                        latest.update(
                            latest_value=reports[-1]["value"],
                            latest_unit=unit,
                            latest_on=reports[-1]["measured_on"],
                        )
                        latest["change"], latest["progress"] = kpi_figures(SimpleNamespace(**latest))
                kpi_id += 1
            moment = created
            for action, source, target in self._path(status):
                moment = min(moment + dt.timedelta(days=self.rng.randint(1, 20)), self.now)
                staff_move = action in ("start_review", "accept", "decline", "request_changes")
                history.append(
                    {
                        "id": history_id,
                        "application_id": pk,
                        "actor_id": self.staff_id if staff_move else apps[-1]["created_by_id"],
                        "action": action,
                        "from_status": source,
                        "to_status": target,
                        "note": "Thank you." if staff_move else "",
                        "at": moment,
                    }
                )
                history_id += 1
        # Sent applications, for their conversations: (id, the person who started it, when it was sent).
        self.sent_applications = [
            (app["id"], app["created_by_id"], app["submitted_at"]) for app in apps if app["submitted_at"] is not None
        ]
        self.loader.copy(ProjectApplication, apps)
        self.loader.copy(Kpi, kpis)
        self.loader.copy(ApplicationHistory, history)
        self.loader.copy(ProgressReport, reports)
        return {
            "project applications": len(apps) - drafts,
            "drafts to submit": drafts,
            "KPIs": len(kpis),
            "progress reports": len(reports),
            "audit rows": len(history),
        }

    def _messages(self) -> dict:
        """Conversations on sent applications: the city and the secretariat in turn, one in five a staff member's
        internal note, every twentieth with a file's row (its file is not written: pages list them, nobody opens
        them during the benchmark)."""
        if not self.sent_applications:
            return {"messages": 0}
        first = _next_id(Message)
        messages = []
        for index in range(self.sizes["messages"]):
            application_id, city_person, sent = self.rng.choice(self.sent_applications)
            from_city = self.rng.random() < 0.45
            internal = not from_city and self.rng.random() < 0.35
            messages.append(
                {
                    "id": first + index,
                    "application_id": application_id,
                    "author_id": city_person if from_city else self.staff_id,
                    "side": Message.Side.APPLICANT if from_city else Message.Side.SECRETARIAT,
                    "internal": internal,
                    "body": self._paragraph(2),
                    "created_at": min(sent + dt.timedelta(hours=self.rng.randint(1, 24 * 90)), self.now),
                }
            )
        first_file = _next_id(MessageAttachment)
        attachments = [
            {
                "id": first_file + number,
                "message_id": message["id"],
                "file": f"messages/bench-{message['id']}.pdf",
                "original_name": "counts.pdf",
                "content_type": "application/pdf",
                "size": 48_213,
                "uploaded_by_id": message["author_id"],
                "uploaded_at": message["created_at"],
            }
            for number, message in enumerate(messages[::20])
        ]
        self.loader.copy(Message, messages)
        self.loader.copy(MessageAttachment, attachments)
        return {"messages": len(messages), "message files": len(attachments)}

    def _solutions(self) -> dict:
        size = self.sizes["solutions"]
        first, history_id = _next_id(SolutionRegistration), _next_id(SolutionHistory)
        solutions, links, history = [], [], []
        provider_people: dict[int, int] = {}
        for user_id, org in self.user_org.items():
            provider_people.setdefault(org, user_id)
        for index in range(size):
            pk = first + index
            org = self.rng.choice(self.providers)
            status = self._status()
            created = self._past()
            submitted = created + dt.timedelta(days=3) if status != Status.DRAFT else None
            decided = submitted + dt.timedelta(days=10) if status in ("accepted", "declined") else None
            theme = self.rng.choice(THEMES)
            solutions.append(
                {
                    "id": pk,
                    "status": status,
                    "created_at": created,
                    "updated_at": min(decided or submitted or created, self.now),
                    "submitted_at": submitted,
                    "decided_at": decided,
                    "organisation_id": org,
                    "created_by_id": provider_people.get(org),
                    "name": f"{theme.title()} {self.rng.choice(TECHNOLOGIES)} suite {pk}",
                    "summary": self._paragraph(2),
                    "description": self._paragraph(5),
                    "offering": self.rng.choice(["guidance", "product", "service", "research"]),
                    "maturity": self.rng.choice(["concept", "pilot", "deployed"]),
                    "standards": "FIWARE NGSI-LD",
                    "website": f"https://solution{pk}.example.org",
                }
            )
            for cluster_id in self.rng.sample(self.thematic_ids, min(2, len(self.thematic_ids))):
                links.append((pk, cluster_id))
            moment = created
            for action, source, target in self._path(status):
                moment = min(moment + dt.timedelta(days=2), self.now)
                history.append(
                    {
                        "id": history_id,
                        "solution_id": pk,
                        "actor_id": self.staff_id,
                        "action": action,
                        "from_status": source,
                        "to_status": target,
                        "at": moment,
                    }
                )
                history_id += 1
        self.loader.copy(SolutionRegistration, solutions)
        self.loader.copy_m2m(SolutionRegistration.clusters.through, links)
        self.loader.copy(SolutionHistory, history)
        return {"solutions": len(solutions), "solution clusters": len(links), "solution audit rows": len(history)}

    def _events(self) -> dict:
        size = self.sizes["events"]
        first = _next_id(Event)
        events, links, registrations = [], [], []
        registration_id = _next_id(Registration)
        per_event = max(self.sizes["registrations"] // size, 1)
        for index in range(size):
            pk = first + index
            # A third in the past, the rest over the coming two years.
            offset = self.rng.randint(-365, 730)
            starts = self.now + dt.timedelta(days=offset, hours=self.rng.randint(0, 23))
            ends = starts + dt.timedelta(days=self.rng.randint(0, 3), hours=8)
            kind = self.rng.choice(["conference", "tech_jam", "expo", "summit", "meeting"])
            events.append(
                {
                    "id": pk,
                    "name": f"{self.rng.choice(THEMES).title()} {kind.replace('_', ' ')} {pk}",
                    "slug": f"bench-event-{pk}",
                    "kind": kind,
                    "starts_at": starts,
                    "ends_at": ends,
                    "time_zone": "Asia/Seoul",
                    "venue": "Convention centre",
                    "city": f"Town {pk % 50}",
                    "country": self.rng.choice(COUNTRIES),
                    "host": "WeGO",
                    "description": self._paragraph(3),
                    "registration_opens_at": starts - dt.timedelta(days=800),
                    "registration_closes_at": None,
                    # No limit, room to spare, or full with a short waiting list.
                    "capacity": (capacity := self.rng.choice([None, per_event * 2, per_event * 17 // 20])),
                }
            )
            for cluster_id in self.rng.sample(self.thematic_ids, min(2, len(self.thematic_ids))):
                links.append((pk, cluster_id))
            confirmed = waiting = 0
            for user_id in self.rng.sample(self.user_ids, min(per_event, len(self.user_ids))):
                # As the portal does it: people wait only once the event is full (events.services).
                if self.rng.random() < 0.1:
                    status = "cancelled"
                elif capacity is None or confirmed < capacity:
                    status, confirmed = "confirmed", confirmed + 1
                else:
                    status, waiting = "waitlisted", waiting + 1
                registrations.append(
                    {
                        "id": registration_id,
                        "event_id": pk,
                        "user_id": user_id,
                        "organisation_id": self.user_org[user_id],
                        "attendance": self.rng.choice(["in_person", "online"]),
                        "status": status,
                        "waitlist_position": waiting if status == "waitlisted" else None,
                        # Weeks before the event, or lately for events still far ahead.
                        "created_at": min(starts - dt.timedelta(days=self.rng.randint(1, 60)), self._past(120)),
                        "cancelled_at": self.now if status == "cancelled" else None,
                    }
                )
                registration_id += 1
        self.past_events = {row["id"]: row["starts_at"] for row in events if row["ends_at"] < self.now}
        self.registered = {(row["event_id"], row["user_id"]) for row in registrations if row["status"] != "cancelled"}
        self.loader.copy(Event, events)
        self.loader.copy_m2m(Event.related_clusters.through, links)
        self.loader.copy(Registration, registrations)
        return {"events": len(events), "registrations": len(registrations)}

    def _teams(self) -> dict:
        """GCTC teams of one round: a lead city each, one or two partners, half with open roles, a milestone."""
        gctc = Round.objects.create(year=2018, name="GCTC 2018 (bench)", slug="bench-gctc-2018")
        super_ids = list(Cluster.objects.filter(kind=Cluster.Kind.SUPER).values_list("pk", flat=True))
        teams, members, roles, milestones = [], [], [], []
        first, member_id, role_id = _next_id(Team), _next_id(TeamMembership), _next_id(OpenRole)
        partner_roles = [role for role, _label in PARTNER_ROLES]
        for index in range(self.sizes["teams"]):
            pk = first + index
            lead = self.rng.choice(self.cities)
            created = self._past()
            teams.append(
                {
                    "id": pk,
                    "name": f"{self.rng.choice(THEMES).title()} team {pk}",
                    "summary": self._paragraph(2),
                    "lead_organisation_id": lead,
                    "round_id": gctc.pk,
                    "cluster_id": self.rng.choice(self.thematic_ids),
                    "supercluster_id": self.rng.choice(super_ids) if super_ids and self.rng.random() < 0.5 else None,
                    "discussion_url": f"https://groups.example.org/team-{pk}",
                    "created_at": created,
                }
            )
            partners = self.rng.sample(self.providers, min(self.rng.randint(1, 2), len(self.providers)))
            for organisation, role in [(lead, "lead_city"), *((p, self.rng.choice(partner_roles)) for p in partners)]:
                members.append(
                    {
                        "id": member_id,
                        "team_id": pk,
                        "organisation_id": organisation,
                        "role": role,
                        "state": "active",
                        "requested_at": created,
                        "decided_at": created,
                    }
                )
                member_id += 1
            for _ in range(self.rng.choice([0, 1, 2])):
                roles.append(
                    {
                        "id": role_id,
                        "team_id": pk,
                        "role": self.rng.choice(partner_roles),
                        "expertise": self._sentence(6),
                    }
                )
                role_id += 1
            milestones.append({"team_id": pk, "title": self._sentence(4), "planned_on": created.date()})
        self.loader.copy(Team, teams)
        self.loader.copy(TeamMembership, members)
        self.loader.copy(OpenRole, roles)
        first_milestone = _next_id(Milestone)
        self.loader.copy(Milestone, ({"id": first_milestone + n, **row} for n, row in enumerate(milestones)))
        return {"teams": len(teams), "team members": len(members), "open roles": len(roles)}

    def _outbox(self, size: int | None = None) -> dict:
        size = self.sizes["outbox"] if size is None else size
        first = _next_id(OutboundEmail)
        emails = self.user_email
        rows = []
        for index in range(size):
            pk = first + index
            user_id = self.rng.choice(self.user_ids)
            template = self.rng.choice(OUTBOX_TEMPLATES)
            status = self.rng.choices(
                ["sent", "pending", "failed", "held", "digested", "cancelled"], weights=[90, 2, 3, 1, 3, 1]
            )[0]
            created = self._past(365)
            rows.append(
                {
                    "id": pk,
                    "recipient": emails[user_id],
                    "recipient_user_id": user_id,
                    "language": "en",
                    "template": template,
                    "subject": f"[WeGO Clusters] {template.replace('_', ' ').capitalize()} {pk}",
                    "text": self._paragraph(2),
                    "html": "",
                    "attachments": [],
                    "dedup_key": f"bench:{template}:{pk}:{user_id}",
                    "topic": f"Thematic cluster {self.rng.choice(self.thematic_ids)}",
                    "status": status,
                    "attempts": 1 if status != "pending" else 0,
                    "last_error": "Connection refused" if status == "failed" else "",
                    "next_attempt_at": created,
                    "created_at": created,
                    "sent_at": created if status == "sent" else None,
                }
            )
        self.loader.copy(OutboundEmail, rows)
        return {"outbound e-mails": len(rows)}

    def _writers(self) -> dict:
        """The mixed phase's writers (WRITER_EMAILS), at every scale: each the administrator of a city of its own,
        beside the sized organisations, with one draft; `writer_plan()` gives them an event and a cluster."""
        first_org, first_user = _next_id(Organisation), _next_id(User)
        first_email, first_membership = _next_id(EmailAddress), _next_id(OrganisationMembership)
        first_draft = _next_id(ProjectApplication)
        orgs, users, emails, memberships, drafts = [], [], [], [], []
        for index, email in enumerate(WRITER_EMAILS):
            org, user = first_org + index, first_user + index
            orgs.append(
                {
                    "id": org,
                    "name": f"Bench Writers' City {index + 1}",
                    "kind": "city",
                    "country": "KR",
                    "city": "Writers' town",
                    "is_verified": True,
                    "verified_at": self.now,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
            users.append(
                {
                    "id": user,
                    "password": self.password,
                    "email": email,
                    "full_name": f"Bench Writer {index + 1}",
                    "job_title": "Project manager",
                    "date_joined": self.now,
                    "last_login": None,
                }
            )
            emails.append(
                {"id": first_email + index, "user_id": user, "email": email, "verified": True, "primary": True}
            )
            memberships.append(
                {
                    "id": first_membership + index,
                    "user_id": user,
                    "organisation_id": org,
                    "role": "admin",
                    "status": "active",
                    "requested_at": self.now,
                    "decided_at": self.now,
                }
            )
            drafts.append(
                {
                    "id": first_draft + index,
                    "status": Status.DRAFT,
                    "created_at": self.now,
                    "updated_at": self.now,
                    "organisation_id": org,
                    "created_by_id": user,
                    "cluster_id": self.thematic_ids[index % len(self.thematic_ids)],
                    "title": f"Writers' draft {index + 1}: {self.rng.choice(THEMES)}",
                    "summary": self._paragraph(2),
                    "problem": self._paragraph(3),
                    "approach": self._paragraph(3),
                    "technologies": ", ".join(self.rng.sample(TECHNOLOGIES, 3)),
                    "currency": "USD",
                    "contact_name": "Project office",
                    "contact_email": email,
                }
            )
        self.loader.copy(Organisation, orgs)
        self.loader.copy(User, users)
        self.loader.copy(EmailAddress, emails)
        self.loader.copy(OrganisationMembership, memberships)
        self.loader.copy(ProjectApplication, drafts)
        return {"writers": len(users), "writers' drafts": len(drafts)}

    def _admin_rows(self) -> dict:
        """With --admin-rows: history the admin lists but no public or signed-in page shows, so the back office's
        lists are measured at that many rows while the portal's pages stay at the dataset's scale."""
        if not self.admin_rows:
            return {}
        counts = {}
        missing = self.admin_rows - ProjectApplication.objects.count()
        if missing > 0:
            first, history_id = _next_id(ProjectApplication), _next_id(ApplicationHistory)
            # Never the benchmark's official's or submitter's city: their pages stay as the dataset made them.
            cities = [
                pk
                for pk in self.cities
                if pk not in (self.user_org[self.official_id], self.user_org[self.submitter_id])
            ]
            apps, history = [], []
            for index in range(missing):
                pk, created, by = first + index, self._past(), self.rng.choice(self.user_ids)
                apps.append(
                    {
                        "id": pk,
                        "status": Status.WITHDRAWN,
                        "created_at": created,
                        "updated_at": created,
                        "organisation_id": self.rng.choice(cities or self.cities),
                        "created_by_id": by,
                        "cluster_id": self.rng.choice(self.thematic_ids),
                        "title": f"{self.rng.choice(THEMES).capitalize()} idea {pk}, withdrawn",
                        "summary": self._sentence(),
                        "currency": "USD",
                    }
                )
                history.append(
                    {
                        "id": history_id + index,
                        "application_id": pk,
                        "actor_id": by,
                        "action": "withdraw",
                        "from_status": "draft",
                        "to_status": "withdrawn",
                        "at": created,
                    }
                )
            self.loader.copy(ProjectApplication, apps)
            self.loader.copy(ApplicationHistory, history)
            counts["withdrawn applications for the admin"] = len(apps)
        missing = self.admin_rows - Registration.objects.count()
        if missing > 0 and self.past_events:
            first, rows = _next_id(Registration), []
            past = list(self.past_events)
            for index in range(missing):
                event, user = self.rng.choice(past), self.rng.choice(self.user_ids)
                # One active registration per person and event: a pair already taken is an earlier cancellation.
                taken = (event, user) in self.registered
                status = "cancelled" if taken else self.rng.choices(["confirmed", "cancelled"], weights=[90, 10])[0]
                if status != "cancelled":
                    self.registered.add((event, user))
                starts = self.past_events[event]
                rows.append(
                    {
                        "id": first + index,
                        "event_id": event,
                        "user_id": user,
                        "organisation_id": self.user_org[user],
                        "attendance": self.rng.choice(["in_person", "online"]),
                        "status": status,
                        "created_at": starts - dt.timedelta(days=self.rng.randint(1, 60)),
                        "cancelled_at": starts if status == "cancelled" else None,
                    }
                )
            self.loader.copy(Registration, rows)
            counts["past registrations for the admin"] = len(rows)
        missing = self.admin_rows - OutboundEmail.objects.count()
        if missing > 0:
            counts["outbox e-mails for the admin"] = self._outbox(missing)["outbound e-mails"]
        return counts

    def _reset_sequences(self, cursor) -> None:
        """Ids were chosen here; move each table's identity past them so the portal's inserts don't collide."""
        models_written = [
            Cluster, Organisation, User, EmailAddress, OrganisationMembership, ClusterMembership,
            ProjectApplication, Kpi, ProgressReport, ApplicationHistory, Message, MessageAttachment,
            SolutionRegistration, SolutionHistory, Event,
            Registration, OutboundEmail, Round, Team, TeamMembership, OpenRole, Milestone,
            Cluster.leaders.through, SolutionRegistration.clusters.through,
            Event.related_clusters.through,
        ]  # fmt: skip
        for model in models_written:
            table = connection.ops.quote_name(model._meta.db_table)
            # Table names come from the models, never from input.
            query = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608
            cursor.execute(query, [model._meta.db_table])


def writer_plan() -> list[dict]:
    """What each writer of the mixed phase (bench/run.py) posts to: its draft, an upcoming event taking
    registrations (one with no capacity first, so nobody waits) and an active thematic cluster."""
    from events.services import registration_refusal

    events = [event for event in Event.objects.upcoming() if registration_refusal(event) is None]
    events.sort(key=lambda event: (event.capacity is not None, event.starts_at, event.pk))
    clusters = list(Cluster.objects.filter(kind=Cluster.Kind.THEMATIC, status=Cluster.Status.ACTIVE).order_by("pk"))
    if not events or not clusters:
        raise CommandError("The benchmark dataset has no upcoming event taking registrations or no active cluster.")
    plan = []
    for index, email in enumerate(WRITER_EMAILS):
        draft = ProjectApplication.objects.filter(created_by__email=email, status=Status.DRAFT).order_by("pk").first()
        if draft is None:
            raise CommandError(f"The writer {email} has no draft: load the dataset again.")
        plan.append(
            {
                "email": email,
                "draft": draft.pk,
                "event": events[index % len(events)].slug,
                "cluster": clusters[index % len(clusters)].slug,
            }
        )
    return plan
