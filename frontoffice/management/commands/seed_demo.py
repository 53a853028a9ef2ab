import datetime as dt
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationMembership, User
from applications.demo import seed_demo_applications, seed_demo_benchmark, seed_demo_calls
from applications.solution_demo import seed_demo_solutions
from clusters.models import Cluster, ClusterMembership
from core.languages import translation_texts_fill
from events.models import Event, Registration
from teams.demo import seed_demo_teams

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
    # A second city whose published case measures the same indicator as the demo city's: the benchmark's two lines.
    "second_city": {
        "name": "Demo Harbour City",
        "kind": Organisation.Kind.CITY,
        "country": "ES",
        "city": "Demo Harbour City",
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

# Example links only: the real groups are created by the secretariat and entered in the back office.
DEMO_DISCUSSION_URL = "https://groups.google.com/g/wego-demo-{slug}"
# Clusters the demo leader facilitates.
DEMO_LED_CLUSTERS = ["smart-governance", "digital-government-platform"]
# A GCTC SuperCluster with two action clusters (demo data, not facts from the programme documents), with their
# Korean, Spanish and French texts.
DEMO_GCTC_CLUSTERS = [
    {
        "slug": "demo-gctc-transportation",
        "kind": Cluster.Kind.SUPER,
        "name": "Transportation SuperCluster",
        "status": Cluster.Status.ACTIVE,
        "summary": "GCTC action clusters working on connected, safer and cleaner urban transport (demo).",
        "description": "A demo SuperCluster grouping GCTC action clusters that share KPIs and benchmark their "
        "measurables together.",
        "texts": {
            "ko": {
                "name": "교통 슈퍼클러스터",
                "summary": "더 잘 연결되고 안전하며 깨끗한 도시 교통을 위해 일하는 GCTC 액션 클러스터들입니다(데모).",
                "description": "KPI를 공유하고 측정 지표를 함께 벤치마킹하는 GCTC 액션 클러스터들을 묶은 데모 슈퍼클러스터입니다.",
            },
            "es": {
                "name": "SuperCluster de Transporte",
                "summary": "Clústeres de acción del GCTC que trabajan por un transporte urbano conectado, más seguro y más limpio (demostración).",
                "description": "Un SuperCluster de demostración que agrupa clústeres de acción del GCTC que comparten KPI y comparan juntos sus mediciones.",
            },
            "fr": {
                "name": "SuperCluster Transports",
                "summary": "Des clusters d’action GCTC qui œuvrent pour des transports urbains connectés, plus sûrs et plus propres (démo).",
                "description": "Un SuperCluster de démonstration qui regroupe des clusters d’action GCTC partageant leurs KPI et comparant ensemble leurs mesures.",
            },
        },
    },
    {
        "slug": "demo-gctc-connected-corridors",
        "kind": Cluster.Kind.ACTION,
        "supercluster": "demo-gctc-transportation",
        "name": "Connected Corridors",
        "status": Cluster.Status.ACTIVE,
        "summary": "Cities and companies deploy connected traffic signals and share one set of safety KPIs (demo).",
        "description": "A demo GCTC action cluster: replicable, standards-based corridor deployments with measurable "
        "travel-time and safety benefits, and the cybersecurity and privacy measures that protect them.",
        "texts": {
            "ko": {
                "name": "커넥티드 코리도",
                "summary": "도시와 기업이 연결형 교통 신호를 설치하고 하나의 안전 KPI를 공유합니다(데모).",
                "description": "데모 GCTC 액션 클러스터입니다. 이동 시간과 안전에서 측정 가능한 효과를 내는, 다른 도시가 따라 할 수 있고 표준에 기반한 교통축 구축 사업과 이를 지키는 사이버보안 및 개인정보 보호 조치를 다룹니다.",
            },
            "es": {
                "name": "Corredores Conectados",
                "summary": "Ciudades y empresas instalan semáforos conectados y comparten un mismo conjunto de KPI de seguridad (demostración).",
                "description": "Un clúster de acción del GCTC de demostración: despliegues de corredores replicables y basados en estándares, con beneficios medibles en tiempos de viaje y seguridad, y las medidas de ciberseguridad y privacidad que los protegen.",
            },
            "fr": {
                "name": "Corridors connectés",
                "summary": "Villes et entreprises déploient des feux de circulation connectés et partagent un même ensemble de KPI de sécurité (démo).",
                "description": "Un cluster d’action GCTC de démonstration : des déploiements de corridors reproductibles et fondés sur des normes, aux bénéfices mesurables en temps de trajet et en sécurité, et les mesures de cybersécurité et de protection de la vie privée qui les protègent.",
            },
        },
    },
    {
        "slug": "demo-gctc-smart-parking",
        "kind": Cluster.Kind.ACTION,
        "supercluster": "demo-gctc-transportation",
        "name": "Open Parking Data",
        "status": Cluster.Status.FORMING,
        "summary": "An interoperable data model for on-street parking, piloted in several cities (demo).",
        "description": "A demo GCTC action cluster that is still forming.",
        "texts": {
            "ko": {
                "name": "개방형 주차 데이터",
                "summary": "여러 도시에서 시범 운영하는 노상 주차용 상호운용 데이터 모델입니다(데모).",
                "description": "아직 구성 중인 데모 GCTC 액션 클러스터입니다.",
            },
            "es": {
                "name": "Datos Abiertos de Aparcamiento",
                "summary": "Un modelo de datos interoperable para el aparcamiento en la calle, a prueba en varias ciudades (demostración).",
                "description": "Un clúster de acción del GCTC de demostración que aún está en formación.",
            },
            "fr": {
                "name": "Données ouvertes de stationnement",
                "summary": "Un modèle de données interopérable pour le stationnement sur voirie, expérimenté dans plusieurs villes (démo).",
                "description": "Un cluster d’action GCTC de démonstration, encore en cours de constitution.",
            },
        },
    },
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
        "venue": "Seoul Global Center",
        "capacity": 40,
        "clusters": ["smart-governance", "digital-government-platform"],
        "description": "A working day for members of the Smart Governance cluster (demo event).",
        "texts": {
            "ko": {
                "name": "스마트 거버넌스 클러스터 워크숍",
                "host": "WeGO 사무국",
                "description": "스마트 거버넌스 클러스터 회원들을 위한 하루 실무 워크숍입니다(데모 행사).",
            },
            "es": {
                "name": "Taller del clúster de Gobernanza Inteligente",
                "host": "Secretaría de WeGO",
                "description": "Una jornada de trabajo para los miembros del clúster de Gobernanza Inteligente (evento de demostración).",
            },
            "fr": {
                "name": "Atelier du cluster Gouvernance intelligente",
                "host": "Secrétariat de WeGO",
                "description": "Une journée de travail pour les membres du cluster Gouvernance intelligente (événement de démonstration).",
            },
        },
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
        "capacity": 300,
        "clusters": ["demo-gctc-transportation", "demo-gctc-connected-corridors"],
        "description": "Action clusters show their results to cities, companies and the public (demo event).",
        "texts": {
            "ko": {
                "name": "GCTC 엑스포",
                "description": "액션 클러스터들이 도시, 기업, 시민에게 성과를 선보입니다(데모 행사).",
            },
            "es": {
                "name": "GCTC Expo",
                "description": "Los clústeres de acción presentan sus resultados a ciudades, empresas y al público (evento de demostración).",
            },
            "fr": {
                "name": "GCTC Expo",
                "description": "Les clusters d’action présentent leurs résultats aux villes, aux entreprises et au public (événement de démonstration).",
            },
        },
    },
    {
        "slug": "demo-smart-mobility-tech-jam",
        "name": "Smart Mobility Tech Jam",
        "kind": Event.Kind.TECH_JAM,
        "days_ahead": 45,
        "length_days": 2,
        "time_zone": "Europe/Madrid",
        "venue": "Demo Institute of Urban Technology",
        "city": "Barcelona",
        "country": "ES",
        "host": "Demo Institute of Urban Technology",
        # Small on purpose: the demo leader's registration fills it, so the next person joins the waiting list.
        "capacity": 1,
        "clusters": ["smart-mobility"],
        "description": "Two days of hands-on work on open mobility data (demo event, one place only, so the "
        "waiting list can be tried).",
        "texts": {
            "ko": {
                "name": "스마트 모빌리티 테크 잼",
                "description": "개방형 모빌리티 데이터를 직접 다루는 이틀간의 실습 행사입니다(데모 행사이며 자리가 하나뿐이라 대기자 명단을 시험해 볼 수 있습니다).",
            },
            "es": {
                "name": "Tech Jam de Movilidad Inteligente",
                "description": "Dos días de trabajo práctico con datos abiertos de movilidad (evento de demostración con una sola plaza, para probar la lista de espera).",
            },
            "fr": {
                "name": "Tech Jam Mobilité intelligente",
                "description": "Deux jours de travail pratique sur les données ouvertes de mobilité (événement de démonstration, une seule place, pour essayer la liste d’attente).",
            },
        },
    },
]
# (e-mail, event slug, attendance): registrations the demo data starts with.
DEMO_REGISTRATIONS = [
    ("official@demo.wego.example", "demo-smart-governance-workshop", "in_person"),
    ("leader@demo.wego.example", "demo-smart-mobility-tech-jam", "in_person"),
]


class Command(BaseCommand):
    help = "Add demo organisations, users for every role, upcoming events and GCTC teams, and print the demo logins."

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
        users = {}
        for email, name, title, org_key, role, is_staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"full_name": name, "job_title": title, "is_staff": is_staff, "is_superuser": is_staff},
            )
            users[email] = user
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
        self._clusters(organisations, users)
        seed_demo_applications(
            city=organisations["city"],
            official=users["official@demo.wego.example"],
            staff=users["staff@demo.wego.example"],
        )
        seed_demo_benchmark(
            city=organisations["city"],
            second_city=organisations["second_city"],
            official=users["official@demo.wego.example"],
            staff=users["staff@demo.wego.example"],
        )
        seed_demo_calls()
        self._upcoming_events()
        self._registrations(users)
        seed_demo_teams(organisations=organisations, official=users["official@demo.wego.example"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Log in with any of these (password for all: {DEMO_PASSWORD}):")
        )
        for email, name, title, _org, _role, is_staff in DEMO_USERS:
            role = "secretariat staff" if is_staff else title
            self.stdout.write(f"  {email:<32} {name} — {role}")
        staff = users["staff@demo.wego.example"]
        secret = self._staff_authenticator(staff)
        self.stdout.write(
            "\n  The back office asks staff for a code from an authenticator app (two-factor authentication).\n"
            f"  Add this key to one (Google Authenticator, FreeOTP, 1Password...): {secret}\n"
            f"  or open this link on the phone: {get_mfa_adapter().build_totp_url(staff, secret)}\n"
            "  or, without a phone, print the current code (valid for 30 seconds) with:\n"
            "    DEBUG=true .venv/bin/python manage.py demo_code"
        )

    def _staff_authenticator(self, staff: User) -> str:
        """The demo staff user's authenticator key: created once, the same on every later run."""
        authenticator = Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).first()
        if authenticator is not None:
            return decrypt(authenticator.data["secret"])
        secret = generate_totp_secret()
        TOTP.activate(staff, secret)
        return secret

    def _clusters(self, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
        """The demo leader's clusters, a member and a request waiting on the leader page, GCTC clusters."""
        for data in DEMO_GCTC_CLUSTERS:
            data = dict(data)
            texts = data.pop("texts")
            supercluster = data.pop("supercluster", None)
            if supercluster:
                data["supercluster"] = Cluster.objects.get(slug=supercluster)
            cluster, _created = Cluster.objects.get_or_create(slug=data.pop("slug"), defaults=data)
            if missing := translation_texts_fill(cluster, texts):
                cluster.save(update_fields=missing)
        for cluster in Cluster.objects.filter(discussion_url=""):
            cluster.discussion_url = DEMO_DISCUSSION_URL.format(slug=cluster.slug)
            cluster.save(update_fields=["discussion_url", "updated_at"])
        leader = users["leader@demo.wego.example"]
        for slug in DEMO_LED_CLUSTERS:
            Cluster.objects.get(slug=slug).leaders.add(leader)
        smart_governance = Cluster.objects.get(slug="smart-governance")
        # Only when the organisation has no history with the cluster, so re-running keeps what people did.
        if not smart_governance.memberships.filter(organisation=organisations["city"]).exists():
            ClusterMembership.objects.create(
                cluster=smart_governance,
                organisation=organisations["city"],
                status=ClusterMembership.Status.ACTIVE,
                motivation="Our open data portal and participatory budgeting pilot are ongoing projects we want to "
                "compare with other cities.",
                requested_by=users["official@demo.wego.example"],
                decided_by=leader,
                decided_at=timezone.now(),
            )
        if not smart_governance.memberships.filter(organisation=organisations["company"]).exists():
            ClusterMembership.objects.create(
                cluster=smart_governance,
                organisation=organisations["company"],
                motivation="We build sensor dashboards that city administrations use to publish performance data, "
                "and would like to meet cities working on transparency.",
                requested_by=users["company@demo.wego.example"],
            )
        # What the demo company offers in the cluster: an approved solution the leader can introduce to the city.
        seed_demo_solutions(
            company=organisations["company"],
            provider=users["company@demo.wego.example"],
            staff=users["staff@demo.wego.example"],
        )

    def _upcoming_events(self) -> None:
        today = timezone.now().date()
        for data in UPCOMING_EVENTS:
            data = dict(data)
            start = today + dt.timedelta(days=data.pop("days_ahead"))
            end = start + dt.timedelta(days=data.pop("length_days") - 1)
            zone = ZoneInfo(data["time_zone"])
            clusters = data.pop("clusters")
            texts = data.pop("texts")
            starts_at = dt.datetime.combine(start, dt.time(9), tzinfo=zone)
            event, _created = Event.objects.update_or_create(
                slug=data.pop("slug"),
                defaults={
                    "starts_at": starts_at,
                    "ends_at": dt.datetime.combine(end, dt.time(18), tzinfo=zone),
                    "registration_opens_at": timezone.now() - dt.timedelta(days=1),
                    "registration_closes_at": starts_at - dt.timedelta(days=2),
                    **data,
                },
            )
            if missing := translation_texts_fill(event, texts):
                event.save(update_fields=missing)
            event.related_clusters.set(Cluster.objects.filter(slug__in=clusters))

    def _registrations(self, users: dict[str, User]) -> None:
        """Written directly rather than through the service: demo data sends no e-mail."""
        for email, slug, attendance in DEMO_REGISTRATIONS:
            event, user = Event.objects.get(slug=slug), users[email]
            if not event.registrations.filter(user=user).exists():
                Registration.objects.create(
                    event=event,
                    user=user,
                    organisation=user.organisation,
                    attendance=attendance,
                    status=Registration.Status.CONFIRMED,
                )
