"""The starter indicator catalogue: a few real indicators per thematic cluster, with short definitions of our own.

Codes are given only where the indicator is one of the ITU's U4SSC key performance indicators for smart
sustainable cities; the others are the portal's own. `seed_indicators()` runs in `manage.py seed` (and so in
`seed_demo`) and in the benchmark's dataset; it never overwrites what staff changed.
"""

from clusters.models import Cluster

from .models import Indicator

# (name, unit, direction, clusters (slugs), source, definition)
STARTER_INDICATORS = [
    (
        "Residents taking part in co-creation",
        "people per year",
        Indicator.Direction.HIGHER,
        ("living-labs", "smart-governance"),
        "",
        "Residents who took part in the project's workshops, tests or trials in a year, each counted once.",
    ),
    (
        "Pilots adopted after testing",
        "count",
        Indicator.Direction.HIGHER,
        ("living-labs",),
        "",
        "Solutions tested in the living lab that the city or a partner went on to deploy for real.",
    ),
    (
        "Open datasets published",
        "%",
        Indicator.Direction.HIGHER,
        ("living-labs", "digital-government-platform"),
        "ITU U4SSC EC: ICT: PS: 1A",
        "Share of the city's inventoried datasets that are published as machine-readable open data.",
    ),
    (
        "Public services available online",
        "services",
        Indicator.Direction.HIGHER,
        ("smart-governance", "digital-government-platform"),
        "ITU U4SSC EC: ICT: PS: 2A",
        "Public services that residents and businesses can complete from start to end online.",
    ),
    (
        "Visits to the open budget dashboard",
        "visits per month",
        Indicator.Direction.HIGHER,
        ("smart-governance",),
        "",
        "Visits a month to the city's public pages on budget and spending, counted by web analytics.",
    ),
    (
        "Residents voting in participatory budgeting",
        "people per year",
        Indicator.Direction.HIGHER,
        ("smart-governance",),
        "",
        "Residents who cast a verified vote on the city's participatory budget in a year.",
    ),
    (
        "Permit processing time",
        "days",
        Indicator.Direction.LOWER,
        ("digital-government-platform",),
        "",
        "Average time from a complete permit application to the city's decision.",
    ),
    (
        "Average commute time",
        "minutes",
        Indicator.Direction.LOWER,
        ("smart-mobility",),
        "",
        "Average time residents take to travel one way between home and work or school.",
    ),
    (
        "Public transport trips",
        "trips per day",
        Indicator.Direction.HIGHER,
        ("smart-mobility",),
        "",
        "Trips made on the city's buses, trams, metro and shared bicycles on an average working day.",
    ),
    (
        "Road traffic deaths",
        "people per year",
        Indicator.Direction.LOWER,
        ("smart-mobility",),
        "",
        "People who died within 30 days of a road traffic collision in the city in a year.",
    ),
    (
        "Smart electricity meters",
        "%",
        Indicator.Direction.HIGHER,
        ("smart-utility-waste",),
        "ITU U4SSC EC: ICT: ES: 1C",
        "Share of the electricity meters in the city that report consumption remotely and in near real time.",
    ),
    (
        "Drainage monitored by ICT",
        "%",
        Indicator.Direction.HIGHER,
        ("smart-utility-waste",),
        "ITU U4SSC EC: ICT: D: 1A",
        "Share of the drainage and storm-water network watched by sensors and remote control.",
    ),
    (
        "Street lighting electricity use",
        "MWh per year",
        Indicator.Direction.LOWER,
        ("smart-utility-waste",),
        "",
        "Electricity consumed by the city's street lights in a year.",
    ),
    (
        "Municipal waste recycled",
        "%",
        Indicator.Direction.HIGHER,
        ("smart-utility-waste",),
        "",
        "Share of the solid waste collected by the city that is recycled rather than burnt or landfilled.",
    ),
    (
        "Water lost before reaching customers",
        "%",
        Indicator.Direction.LOWER,
        ("smart-utility-waste",),
        "",
        "Share of the drinking water put into the network that leaks or is never billed (non-revenue water).",
    ),
]

# Korean, Spanish and French names and definitions, per English name.
TRANSLATIONS = {
    "Residents taking part in co-creation": {
        "ko": (
            "공동 창작에 참여한 주민",
            "1년 동안 프로젝트의 워크숍, 시험 또는 실증에 참여한 주민 수(한 사람은 한 번만 셈).",
        ),
        "es": (
            "Residentes que participan en la cocreación",
            "Residentes que participaron en talleres, pruebas o ensayos del proyecto en un año, contados una sola vez.",
        ),
        "fr": (
            "Habitants participant à la co-création",
            "Habitants ayant pris part aux ateliers, tests ou essais du projet en un an, chacun compté une fois.",
        ),
    },
    "Pilots adopted after testing": {
        "ko": ("시험 후 도입된 시범사업", "리빙랩에서 시험한 솔루션 중 시 또는 협력기관이 실제로 도입한 수."),
        "es": (
            "Pilotos adoptados tras las pruebas",
            "Soluciones probadas en el laboratorio vivo que la ciudad o un socio desplegó después de verdad.",
        ),
        "fr": (
            "Pilotes adoptés après essai",
            "Solutions testées dans le laboratoire vivant que la ville ou un partenaire a ensuite déployées pour de bon.",
        ),
    },
    "Open datasets published": {
        "ko": ("공개된 개방 데이터셋", "시가 보유한 데이터셋 중 기계 판독 가능한 개방 데이터로 공개된 비율."),
        "es": (
            "Conjuntos de datos abiertos publicados",
            "Proporción de los conjuntos de datos inventariados de la ciudad publicados como datos abiertos legibles por máquina.",
        ),
        "fr": (
            "Jeux de données ouverts publiés",
            "Part des jeux de données inventoriés de la ville publiés en données ouvertes lisibles par machine.",
        ),
    },
    "Public services available online": {
        "ko": (
            "온라인으로 이용 가능한 공공서비스",
            "주민과 기업이 처음부터 끝까지 온라인으로 처리할 수 있는 공공서비스 수.",
        ),
        "es": (
            "Servicios públicos disponibles en línea",
            "Servicios públicos que residentes y empresas pueden completar de principio a fin en línea.",
        ),
        "fr": (
            "Services publics disponibles en ligne",
            "Services publics que les habitants et les entreprises peuvent accomplir entièrement en ligne.",
        ),
    },
    "Visits to the open budget dashboard": {
        "ko": ("개방형 예산 대시보드 방문 수", "웹 분석으로 집계한 시 예산·지출 공개 페이지의 월간 방문 수."),
        "es": (
            "Visitas al panel de presupuesto abierto",
            "Visitas al mes a las páginas públicas de presupuesto y gasto de la ciudad, según la analítica web.",
        ),
        "fr": (
            "Visites du tableau de bord budgétaire ouvert",
            "Visites par mois des pages publiques de la ville sur son budget et ses dépenses, comptées par l’analyse web.",
        ),
    },
    "Residents voting in participatory budgeting": {
        "ko": ("주민참여예산 투표 참여 주민", "1년 동안 시의 주민참여예산에 인증된 투표를 한 주민 수."),
        "es": (
            "Residentes que votan en el presupuesto participativo",
            "Residentes que emitieron un voto verificado en el presupuesto participativo de la ciudad en un año.",
        ),
        "fr": (
            "Habitants votant au budget participatif",
            "Habitants ayant exprimé un vote vérifié sur le budget participatif de la ville en un an.",
        ),
    },
    "Permit processing time": {
        "ko": ("인허가 처리 기간", "완결된 인허가 신청서 접수부터 시의 결정까지 걸린 평균 기간."),
        "es": (
            "Plazo de tramitación de permisos",
            "Tiempo medio entre una solicitud de permiso completa y la decisión de la ciudad.",
        ),
        "fr": (
            "Délai de traitement des permis",
            "Temps moyen entre une demande de permis complète et la décision de la ville.",
        ),
    },
    "Average commute time": {
        "ko": ("평균 통근 시간", "주민이 집과 직장 또는 학교 사이를 편도로 이동하는 데 걸리는 평균 시간."),
        "es": (
            "Tiempo medio de desplazamiento",
            "Tiempo medio que los residentes tardan en un trayecto entre su casa y el trabajo o la escuela.",
        ),
        "fr": (
            "Temps moyen de trajet domicile-travail",
            "Temps moyen d’un trajet simple des habitants entre leur domicile et leur travail ou leur école.",
        ),
    },
    "Public transport trips": {
        "ko": ("대중교통 이용 횟수", "평일 하루 동안 시의 버스, 트램, 지하철, 공유 자전거로 이루어진 통행 수."),
        "es": (
            "Viajes en transporte público",
            "Viajes realizados en autobuses, tranvías, metro y bicicletas compartidas de la ciudad en un día laborable medio.",
        ),
        "fr": (
            "Déplacements en transports publics",
            "Déplacements en bus, tram, métro et vélos partagés de la ville un jour ouvré moyen.",
        ),
    },
    "Road traffic deaths": {
        "ko": ("교통사고 사망자", "1년 동안 시내 교통사고 발생 후 30일 이내에 사망한 사람 수."),
        "es": (
            "Muertes por tráfico",
            "Personas fallecidas en los 30 días siguientes a un accidente de tráfico en la ciudad, en un año.",
        ),
        "fr": (
            "Décès sur les routes",
            "Personnes décédées dans les 30 jours suivant un accident de la circulation dans la ville, sur un an.",
        ),
    },
    "Smart electricity meters": {
        "ko": ("스마트 전력계량기", "원격으로 거의 실시간 사용량을 보고하는 전력계량기의 비율."),
        "es": (
            "Contadores eléctricos inteligentes",
            "Proporción de contadores eléctricos de la ciudad que informan del consumo a distancia y casi en tiempo real.",
        ),
        "fr": (
            "Compteurs électriques intelligents",
            "Part des compteurs électriques de la ville qui transmettent la consommation à distance, presque en temps réel.",
        ),
    },
    "Drainage monitored by ICT": {
        "ko": ("ICT로 감시되는 배수시설", "센서와 원격 제어로 감시되는 배수·우수 관망의 비율."),
        "es": (
            "Drenaje supervisado con TIC",
            "Proporción de la red de drenaje y aguas pluviales vigilada por sensores y control remoto.",
        ),
        "fr": (
            "Assainissement surveillé par les TIC",
            "Part du réseau d’assainissement et d’eaux pluviales surveillée par capteurs et commande à distance.",
        ),
    },
    "Street lighting electricity use": {
        "ko": ("가로등 전력 사용량", "1년 동안 시의 가로등이 사용한 전력량."),
        "es": (
            "Consumo eléctrico del alumbrado público",
            "Electricidad consumida por el alumbrado público de la ciudad en un año.",
        ),
        "fr": (
            "Consommation électrique de l’éclairage public",
            "Électricité consommée par l’éclairage public de la ville en un an.",
        ),
    },
    "Municipal waste recycled": {
        "ko": ("생활폐기물 재활용률", "시가 수거한 고형 폐기물 중 소각·매립되지 않고 재활용된 비율."),
        "es": (
            "Residuos municipales reciclados",
            "Proporción de los residuos sólidos recogidos por la ciudad que se reciclan en lugar de incinerarse o enterrarse.",
        ),
        "fr": (
            "Déchets municipaux recyclés",
            "Part des déchets solides collectés par la ville qui sont recyclés plutôt qu’incinérés ou mis en décharge.",
        ),
    },
    "Water lost before reaching customers": {
        "ko": (
            "고객에게 도달하기 전 손실된 물",
            "관망에 공급된 상수 중 누수되거나 요금이 부과되지 않은 비율(무수수량).",
        ),
        "es": (
            "Agua perdida antes de llegar a los clientes",
            "Proporción del agua potable introducida en la red que se fuga o nunca se factura (agua no registrada).",
        ),
        "fr": (
            "Eau perdue avant d’arriver aux abonnés",
            "Part de l’eau potable mise en réseau qui fuit ou n’est jamais facturée (eau non facturée).",
        ),
    },
}


def seed_indicators() -> int:
    """Create the starter indicators that are missing (by English name); returns how many were created.
    An indicator staff already changed, renamed or translated is left as it is."""
    clusters = {cluster.slug: cluster for cluster in Cluster.objects.filter(kind=Cluster.Kind.THEMATIC)}
    created = 0
    for name, unit, direction, slugs, source, definition in STARTER_INDICATORS:
        texts = {"name_en": name, "definition_en": definition}
        for language, (translated_name, translated_definition) in TRANSLATIONS[name].items():
            texts[f"name_{language}"] = translated_name
            texts[f"definition_{language}"] = translated_definition
        indicator, was_created = Indicator.objects.get_or_create(
            name_en=name,
            status=Indicator.Status.CATALOGUE,
            defaults={
                "name": name,
                "definition": definition,
                "unit": unit,
                "direction": direction,
                "source": source,
                **texts,
            },
        )
        if was_created:
            created += 1
            indicator.clusters.set([clusters[slug] for slug in slugs if slug in clusters])
    return created
