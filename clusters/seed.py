"""The WeGO thematic clusters named in the programme documents. Loaded by `manage.py seed`."""

from core.languages import translation_texts_fill

from .models import Cluster

TRANSLATED_FIELDS = ("name", "summary", "description")

THEMATIC_CLUSTERS = [
    {
        "slug": "living-labs",
        "name": "Living Labs for Open Innovation",
        "status": Cluster.Status.ACTIVE,
        "summary": "Cities, residents, companies and researchers co-create and test solutions in real urban "
        "settings before they scale.",
        "description": "Living labs turn a street, a district or a public service into a place where new ideas "
        "are tried with the people who will use them. Members share how they set up their labs, how they "
        "involve residents, and how pilots become city-wide services.",
    },
    {
        "slug": "smart-governance",
        "name": "Smart Governance",
        "status": Cluster.Status.ACTIVE,
        "summary": "Data-driven, transparent and participatory decision making in city administrations.",
        "description": "How cities use data, open standards and participation tools to decide better and to "
        "be accountable for it: open data portals, participatory budgeting, performance dashboards and the "
        "rules that keep them fair.",
    },
    {
        "slug": "digital-government-platform",
        "name": "Digital Government Platform",
        "status": Cluster.Status.ACTIVE,
        "summary": "Shared digital platforms that deliver public services online, securely and for everyone.",
        "description": "Identity, payments, case management and service portals that a city builds once and "
        "reuses across departments. Members compare architectures, interoperability standards, cybersecurity "
        "and privacy measures, and how to keep services accessible to every resident.",
    },
    {
        "slug": "smart-mobility",
        "name": "Smart Mobility",
        "status": Cluster.Status.FORMING,
        "summary": "Safer, cleaner and better connected transport through data, sensors and new services.",
        "description": "Traffic management, public transport information, shared and electric mobility, and "
        "the data that connects them. This cluster is forming and launches once its first members and leader "
        "are in place.",
    },
    {
        "slug": "smart-utility-waste",
        "name": "Smart Utility & Waste Management",
        "status": Cluster.Status.FORMING,
        "summary": "Water, energy and waste services that measure, predict and waste less.",
        "description": "Smart meters, leak detection, sensor-equipped bins and route optimisation: how cities "
        "and utilities cut losses and costs with measurable results. This cluster is forming and launches "
        "soon.",
    },
]


# Korean, Spanish and French versions of the five clusters (formal register), per slug and language.
CLUSTER_TRANSLATIONS = {
    "living-labs": {
        "ko": {
            "name": "개방형 혁신을 위한 리빙랩",
            "summary": "도시, 시민, 기업, 연구자가 실제 도시 환경에서 해법을 함께 만들고 시험한 뒤 확산합니다.",
            "description": "리빙랩은 거리, 지역 또는 공공 서비스를 새로운 아이디어를 실제 이용자와 함께 시험하는 장소로 바꿉니다. 회원들은 리빙랩을 구축하는 방법, 시민을 참여시키는 방법, 시범 사업을 도시 전체의 서비스로 확대하는 방법을 공유합니다.",
        },
        "es": {
            "name": "Laboratorios vivos para la innovación abierta",
            "summary": "Ciudades, residentes, empresas e investigadores crean y prueban juntos soluciones en entornos urbanos reales antes de ampliarlas.",
            "description": "Los laboratorios vivos convierten una calle, un barrio o un servicio público en un lugar donde las nuevas ideas se ponen a prueba con las personas que las utilizarán. Los miembros comparten cómo organizan sus laboratorios, cómo implican a los residentes y cómo los proyectos piloto se convierten en servicios para toda la ciudad.",
        },
        "fr": {
            "name": "Laboratoires vivants pour l’innovation ouverte",
            "summary": "Villes, habitants, entreprises et chercheurs conçoivent et testent ensemble des solutions en conditions urbaines réelles avant leur déploiement à grande échelle.",
            "description": "Les laboratoires vivants font d’une rue, d’un quartier ou d’un service public un lieu où les idées nouvelles sont mises à l’essai avec les personnes qui les utiliseront. Les membres partagent la manière dont ils organisent leurs laboratoires, associent les habitants et transforment les projets pilotes en services à l’échelle de la ville.",
        },
    },
    "smart-governance": {
        "ko": {
            "name": "스마트 거버넌스",
            "summary": "도시 행정에서 데이터에 기반하고 투명하며 참여적인 의사 결정을 실현합니다.",
            "description": "도시가 데이터, 개방형 표준, 참여 도구를 활용해 더 나은 결정을 내리고 그 결정에 책임을 지는 방법을 다룹니다. 공공데이터 포털, 주민참여예산, 성과 대시보드, 그리고 이를 공정하게 운영하기 위한 규칙을 함께 살펴봅니다.",
        },
        "es": {
            "name": "Gobernanza inteligente",
            "summary": "Toma de decisiones basada en datos, transparente y participativa en las administraciones municipales.",
            "description": "Cómo las ciudades utilizan los datos, los estándares abiertos y las herramientas de participación para decidir mejor y rendir cuentas de ello: portales de datos abiertos, presupuestos participativos, cuadros de mando de resultados y las normas que garantizan su equidad.",
        },
        "fr": {
            "name": "Gouvernance intelligente",
            "summary": "Une prise de décision fondée sur les données, transparente et participative au sein des administrations municipales.",
            "description": "Comment les villes utilisent les données, les normes ouvertes et les outils de participation pour mieux décider et en rendre compte : portails de données ouvertes, budgets participatifs, tableaux de bord de performance et règles qui en garantissent l’équité.",
        },
    },
    "digital-government-platform": {
        "ko": {
            "name": "디지털 정부 플랫폼",
            "summary": "공공 서비스를 온라인으로, 안전하게, 모두에게 제공하는 공동 디지털 플랫폼입니다.",
            "description": "도시가 한 번 구축해 여러 부서에서 재사용하는 신원 확인, 결제, 민원 처리, 서비스 포털을 다룹니다. 회원들은 시스템 구조, 상호운용성 표준, 사이버보안 및 개인정보 보호 조치, 그리고 모든 주민이 서비스를 이용할 수 있도록 하는 방법을 비교합니다.",
        },
        "es": {
            "name": "Plataforma de gobierno digital",
            "summary": "Plataformas digitales compartidas que prestan servicios públicos en línea, de forma segura y para todos.",
            "description": "Identidad, pagos, gestión de expedientes y portales de servicios que una ciudad construye una sola vez y reutiliza en todos sus departamentos. Los miembros comparan arquitecturas, estándares de interoperabilidad, medidas de ciberseguridad y privacidad, y la manera de mantener los servicios accesibles para todos los residentes.",
        },
        "fr": {
            "name": "Plateforme de gouvernement numérique",
            "summary": "Des plateformes numériques partagées qui offrent des services publics en ligne, en toute sécurité et pour tous.",
            "description": "Identité, paiements, gestion des dossiers et portails de services qu’une ville construit une seule fois et réutilise dans tous ses services. Les membres comparent les architectures, les normes d’interopérabilité, les mesures de cybersécurité et de protection de la vie privée, ainsi que les moyens de garder les services accessibles à tous les habitants.",
        },
    },
    "smart-mobility": {
        "ko": {
            "name": "스마트 모빌리티",
            "summary": "데이터, 센서, 새로운 서비스를 통해 더 안전하고 깨끗하며 잘 연결된 교통을 만듭니다.",
            "description": "교통 관리, 대중교통 정보, 공유 및 전기 모빌리티, 그리고 이들을 연결하는 데이터를 다룹니다. 이 클러스터는 현재 구성 중이며, 첫 회원과 리더가 정해지면 출범합니다.",
        },
        "es": {
            "name": "Movilidad inteligente",
            "summary": "Un transporte más seguro, limpio y mejor conectado gracias a los datos, los sensores y los nuevos servicios.",
            "description": "Gestión del tráfico, información sobre el transporte público, movilidad compartida y eléctrica, y los datos que las conectan. Este clúster está en formación y se pondrá en marcha cuando cuente con sus primeros miembros y su responsable.",
        },
        "fr": {
            "name": "Mobilité intelligente",
            "summary": "Des transports plus sûrs, plus propres et mieux connectés grâce aux données, aux capteurs et aux nouveaux services.",
            "description": "Gestion du trafic, information sur les transports publics, mobilité partagée et électrique, et les données qui les relient. Ce cluster est en cours de constitution et sera lancé dès que ses premiers membres et son responsable seront en place.",
        },
    },
    "smart-utility-waste": {
        "ko": {
            "name": "스마트 유틸리티 및 폐기물 관리",
            "summary": "측정하고 예측하여 낭비를 줄이는 물, 에너지, 폐기물 서비스입니다.",
            "description": "스마트 계량기, 누수 탐지, 센서를 갖춘 수거함, 수거 경로 최적화 등 도시와 공공서비스 기관이 측정 가능한 성과를 내며 손실과 비용을 줄이는 방법을 다룹니다. 이 클러스터는 현재 구성 중이며 곧 출범합니다.",
        },
        "es": {
            "name": "Gestión inteligente de servicios públicos y residuos",
            "summary": "Servicios de agua, energía y residuos que miden, predicen y desperdician menos.",
            "description": "Contadores inteligentes, detección de fugas, contenedores con sensores y optimización de rutas: cómo las ciudades y las empresas de servicios públicos reducen pérdidas y costes con resultados medibles. Este clúster está en formación y se pondrá en marcha próximamente.",
        },
        "fr": {
            "name": "Gestion intelligente des services urbains et des déchets",
            "summary": "Des services d’eau, d’énergie et de gestion des déchets qui mesurent, anticipent et gaspillent moins.",
            "description": "Compteurs intelligents, détection des fuites, conteneurs équipés de capteurs et optimisation des tournées : comment les villes et les services publics réduisent leurs pertes et leurs coûts avec des résultats mesurables. Ce cluster est en cours de constitution et sera lancé prochainement.",
        },
    },
}


def seed_clusters() -> int:
    """Create the five thematic clusters, and give them the translations they lack; returns how many were
    created. A text staff already wrote (in any language) is never overwritten."""
    created = 0
    for data in THEMATIC_CLUSTERS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        english = {f"{key}_en": data[key] for key in TRANSLATED_FIELDS}
        cluster, was_created = Cluster.objects.get_or_create(
            slug=data["slug"], defaults={"kind": Cluster.Kind.THEMATIC, **fields, **english}
        )
        created += was_created
        if missing := translation_texts_fill(cluster, CLUSTER_TRANSLATIONS[data["slug"]]):
            cluster.save(update_fields=missing)
    return created
