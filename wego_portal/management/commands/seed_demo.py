import datetime as dt
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationMembership, User
from events.models import Event

DEMO_PASSWORD = "wego-demo-2026"

DEMO_ORGANISATIONS = {
    "city": {
        "name": "Demo City Metropolitan Government",
        "kind": Organisation.Kind.CITY,
        "country": "KR",
        "city": "Demo City",
        "website": "https://example.org/demo-city",
        "is_wego_member": True,
        "is_verified": True,
    },
    "company": {
        "name": "Demo Urban Sensors Ltd",
        "kind": Organisation.Kind.COMPANY,
        "country": "FR",
        "city": "Lyon",
        "website": "https://example.org/urban-sensors",
        "is_verified": True,
    },
    "university": {
        "name": "Demo Institute of Urban Technology",
        "kind": Organisation.Kind.ACADEMIA,
        "country": "ES",
        "city": "Barcelona",
        "is_verified": True,
    },
}

# (e-mail, full name, job title, organisation key or None, role in organisation, staff)
DEMO_USERS = [
    ("official@demo.wego.example", "Min-ji Park", "Smart City Policy Officer", "city", "admin", False),
    ("company@demo.wego.example", "Claire Martin", "Partnerships Manager", "company", "admin", False),
    ("leader@demo.wego.example", "Dr Javier Ortega", "Professor of Urban Informatics", "university", "admin", False),
    ("staff@demo.wego.example", "Secretariat Reviewer", "WeGO Secretariat", None, None, True),
]

UPCOMING_EVENTS = [
    {
        "slug": "demo-smart-governance-workshop",
        "name": "Smart Governance Cluster Workshop",
        "kind": Event.Kind.MEETING,
        "days_ahead": 30,
        "length_days": 1,
        "time_zone": "Asia/Seoul",
        "city": "Seoul",
        "country": "KR",
        "host": "WeGO Secretariat",
        "description": "A working day for members of the Smart Governance cluster (demo event).",
    },
    {
        "slug": "demo-gctc-expo",
        "name": "GCTC Expo",
        "kind": Event.Kind.EXPO,
        "days_ahead": 75,
        "length_days": 2,
        "time_zone": "America/New_York",
        "city": "Washington, DC",
        "country": "US",
        "host": "NIST",
        "description": "Action clusters show their results to cities, companies and the public (demo event).",
    },
]


class Command(BaseCommand):
    help = "Add demo organisations, users for every role and upcoming events, and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have a published password; refusing to add them with DEBUG off.")
        call_command("seed", stdout=self.stdout)
        organisations = {
            key: Organisation.objects.get_or_create(name=data["name"], country=data["country"], defaults=data)[0]
            for key, data in DEMO_ORGANISATIONS.items()
        }
        for email, name, title, org_key, role, is_staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"full_name": name, "job_title": title, "is_staff": is_staff, "is_superuser": is_staff},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            if org_key:
                OrganisationMembership.objects.get_or_create(
                    user=user,
                    organisation=organisations[org_key],
                    defaults={
                        "role": role,
                        "status": OrganisationMembership.Status.ACTIVE,
                        "decided_at": timezone.now(),
                    },
                )
        self._upcoming_events()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Log in with any of these (password for all: {DEMO_PASSWORD}):")
        )
        for email, name, title, _org, _role, is_staff in DEMO_USERS:
            role = "secretariat staff" if is_staff else title
            self.stdout.write(f"  {email:<32} {name} — {role}")

    def _upcoming_events(self) -> None:
        today = timezone.now().date()
        for data in UPCOMING_EVENTS:
            data = dict(data)
            start = today + dt.timedelta(days=data.pop("days_ahead"))
            end = start + dt.timedelta(days=data.pop("length_days") - 1)
            zone = ZoneInfo(data["time_zone"])
            Event.objects.update_or_create(
                slug=data.pop("slug"),
                defaults={
                    "starts_at": dt.datetime.combine(start, dt.time(9), tzinfo=zone),
                    "ends_at": dt.datetime.combine(end, dt.time(18), tzinfo=zone),
                    **data,
                },
            )
