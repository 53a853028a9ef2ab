"""The 2018 GCTC and WeGO programme from the source documents, in English, Korean, Spanish and French. Loaded by
`manage.py seed`, which is safe to re-run: it creates what is missing, fills texts left empty in a language,
links the events to the clusters the documents name, and corrects what an earlier release seeded wrongly while
staff have not changed it. A text or link staff entered is never overwritten or removed."""

import datetime as dt
import zoneinfo

from clusters.models import Cluster
from clusters.seed import THEMATIC_CLUSTERS
from core.languages import translation_texts_fill

from .models import Event

# "Participants of every thematic cluster may meet" at these: linked to all five thematic clusters.
EVERY_THEMATIC_CLUSTER = [data["slug"] for data in THEMATIC_CLUSTERS]


def _at(day: dt.date, hour: int, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(tz))


PROGRAMME_2018 = [
    {
        "slug": "gctc-sc3-kickoff-2018",
        "kind": Event.Kind.CONFERENCE,
        "start": dt.date(2018, 2, 6),
        "end": dt.date(2018, 2, 8),
        "time_zone": "America/New_York",
        "city": "Washington, DC",
        "country": "US",
        "texts": {
            "en": {
                "name": "GCTC-SC3 Kickoff Conference",
                "host": "NIST and the U.S. Department of Homeland Security Science and Technology Directorate",
                "description": "The opening of the 2018 Global City Teams Challenge round, where cities and "
                "companies form action clusters around shared projects. This round emphasises cybersecurity and "
                "privacy.",
            },
            "ko": {
                "name": "GCTC-SC3 킥오프 콘퍼런스",
                "host": "미국 국립표준기술연구소(NIST)와 미국 국토안보부 과학기술국",
                "description": "2018년 글로벌 시티 팀 챌린지(GCTC) 라운드를 여는 행사로, 도시와 기업이 공동 "
                "프로젝트를 중심으로 액션 클러스터를 구성합니다. 이번 라운드는 사이버보안과 개인정보 보호를 "
                "강조합니다.",
            },
            "es": {
                "name": "Conferencia inaugural GCTC-SC3",
                "host": "El NIST y la Dirección de Ciencia y Tecnología del Departamento de Seguridad Nacional de "
                "los EE. UU.",
                "description": "La apertura de la edición 2018 del Global City Teams Challenge, en la que ciudades "
                "y empresas forman clústeres de acción en torno a proyectos compartidos. Esta edición pone el "
                "acento en la ciberseguridad y la privacidad.",
            },
            "fr": {
                "name": "Conférence de lancement GCTC-SC3",
                "host": "Le NIST et la Direction de la science et de la technologie du département de la Sécurité "
                "intérieure des États-Unis",
                "description": "L’ouverture de l’édition 2018 du Global City Teams Challenge, où villes et "
                "entreprises forment des clusters d’action autour de projets communs. Cette édition met l’accent "
                "sur la cybersécurité et la protection de la vie privée.",
            },
        },
    },
    {
        "slug": "gctc-tech-jam-2018",
        "kind": Event.Kind.TECH_JAM,
        "start": dt.date(2018, 6, 20),
        "end": dt.date(2018, 6, 22),
        "time_zone": "America/Los_Angeles",
        "city": "Portland, Oregon",
        "country": "US",
        # Earlier releases named NIST as the host; the documents say the City of Portland hosted it.
        "superseded": {"host_en": "NIST"},
        "texts": {
            "en": {
                "name": "GCTC Tech Jam",
                "host": "City of Portland",
                "description": "Action clusters work side by side on their projects, KPIs and measurable benefits.",
            },
            "ko": {
                "name": "GCTC 테크 잼",
                "host": "포틀랜드시",
                "description": "액션 클러스터들이 나란히 모여 각자의 프로젝트, 핵심성과지표(KPI), 측정 가능한 "
                "효과를 함께 다듬습니다.",
            },
            "es": {
                "name": "GCTC Tech Jam",
                "host": "Ciudad de Portland",
                "description": "Los clústeres de acción trabajan codo con codo en sus proyectos, sus KPI y sus "
                "beneficios medibles.",
            },
            "fr": {
                "name": "GCTC Tech Jam",
                "host": "Ville de Portland",
                "description": "Les clusters d’action travaillent côte à côte sur leurs projets, leurs indicateurs "
                "clés (KPI) et leurs bénéfices mesurables.",
            },
        },
    },
    {
        # "Winter 2018", date and place to be announced: the period below only orders the calendar and says when
        # the event counts as past; pages show the words, and no calendar file carries it.
        "slug": "gctc-expo-2018",
        "kind": Event.Kind.EXPO,
        "start": dt.date(2018, 12, 1),
        "end": dt.date(2019, 2, 28),
        "time_zone": "UTC",
        "city": "",
        "country": "",
        "date_to_be_announced": True,
        "texts": {
            "en": {
                "name": "GCTC Expo",
                "expected_period": "Winter 2018",
                "description": "The GCTC Expo closes the 2018 Global City Teams Challenge round. Its date and "
                "place are to be announced.",
            },
            "ko": {
                "name": "GCTC 엑스포",
                "expected_period": "2018년 겨울",
                "description": "GCTC 엑스포는 2018년 글로벌 시티 팀 챌린지 라운드를 마무리하는 행사입니다. "
                "일정과 장소는 추후 발표됩니다.",
            },
            "es": {
                "name": "GCTC Expo",
                "expected_period": "Invierno de 2018",
                "description": "La GCTC Expo cierra la edición 2018 del Global City Teams Challenge. Su fecha y "
                "su lugar se anunciarán más adelante.",
            },
            "fr": {
                "name": "GCTC Expo",
                "expected_period": "Hiver 2018",
                "description": "La GCTC Expo clôt l’édition 2018 du Global City Teams Challenge. Sa date et son "
                "lieu seront annoncés ultérieurement.",
            },
        },
    },
    {
        "slug": "seoul-wego-global-digital-summit-2018",
        "kind": Event.Kind.SUMMIT,
        "start": dt.date(2018, 9, 18),
        "end": dt.date(2018, 9, 19),
        "time_zone": "Asia/Seoul",
        "city": "Seoul",
        "country": "KR",
        "clusters": EVERY_THEMATIC_CLUSTER,
        "texts": {
            "en": {
                "name": "Seoul-WeGO Global Digital Summit",
                "host": "Seoul Metropolitan Government and WeGO",
                "description": "City leaders and experts share digital government practice and the results of the "
                "thematic clusters.",
            },
            "ko": {
                "name": "서울-WeGO 글로벌 디지털 서밋",
                "host": "서울특별시와 WeGO",
                "description": "도시 지도자와 전문가들이 디지털 정부 실천 사례와 주제별 클러스터의 성과를 공유합니다.",
            },
            "es": {
                "name": "Cumbre Digital Global Seúl-WeGO",
                "host": "Gobierno Metropolitano de Seúl y WeGO",
                "description": "Líderes municipales y personas expertas comparten prácticas de gobierno digital y "
                "los resultados de los clústeres temáticos.",
            },
            "fr": {
                "name": "Sommet numérique mondial Séoul-WeGO",
                "host": "Gouvernement métropolitain de Séoul et WeGO",
                "description": "Dirigeants municipaux et experts partagent leurs pratiques de gouvernement "
                "numérique et les résultats des clusters thématiques.",
            },
        },
    },
    {
        "slug": "wego-executive-committee-2018",
        "kind": Event.Kind.MEETING,
        "start": dt.date(2018, 10, 17),
        "end": dt.date(2018, 10, 19),
        "time_zone": "Asia/Manila",
        "city": "Quezon City",
        "country": "PH",
        "clusters": EVERY_THEMATIC_CLUSTER,
        "texts": {
            "en": {
                "name": "WeGO Executive Committee Meeting",
                "host": "Quezon City Government and WeGO",
                "co_located_with": "Philippine Smart City Summit 2018",
                "description": "The WeGO Executive Committee meets to review the year's programme, co-located with "
                "the Philippine Smart City Summit 2018.",
            },
            "ko": {
                "name": "WeGO 집행위원회 회의",
                "host": "케손시 정부와 WeGO",
                "co_located_with": "2018 필리핀 스마트시티 서밋",
                "description": "WeGO 집행위원회가 모여 한 해의 프로그램을 검토합니다. 2018 필리핀 스마트시티 "
                "서밋과 함께 열립니다.",
            },
            "es": {
                "name": "Reunión del Comité Ejecutivo de WeGO",
                "host": "Gobierno de Quezon City y WeGO",
                "co_located_with": "Cumbre de Ciudades Inteligentes de Filipinas 2018",
                "description": "El Comité Ejecutivo de WeGO se reúne para revisar el programa del año, junto con "
                "la Cumbre de Ciudades Inteligentes de Filipinas 2018.",
            },
            "fr": {
                "name": "Réunion du Comité exécutif de WeGO",
                "host": "Gouvernement de Quezon City et WeGO",
                "co_located_with": "Sommet des villes intelligentes des Philippines 2018",
                "description": "Le Comité exécutif de WeGO se réunit pour faire le bilan du programme de l’année, "
                "en marge du Sommet des villes intelligentes des Philippines 2018.",
            },
        },
    },
]


def seed_events() -> int:
    """Create the 2018 programme where missing and complete it (see the module's docstring); returns how many
    events were created."""
    created = 0
    for data in PROGRAMME_2018:
        data = dict(data)
        start, end, tz = data.pop("start"), data.pop("end"), data["time_zone"]
        texts, superseded = data.pop("texts"), data.pop("superseded", None)
        cluster_slugs = data.pop("clusters", [])
        event, was_created = Event.objects.get_or_create(
            slug=data.pop("slug"),
            defaults={"starts_at": _at(start, 9, tz), "ends_at": _at(end, 18, tz), **data, **texts["en"]},
        )
        created += was_created
        if changed := translation_texts_fill(event, texts, superseded=superseded):
            event.save(update_fields=[*changed, "updated_at"])
        if cluster_slugs:
            event.related_clusters.add(*Cluster.objects.filter(slug__in=cluster_slugs))
    return created
