"""The WeGO thematic clusters named in the programme documents. Loaded by `manage.py seed`."""

from .models import Cluster

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


def seed_clusters() -> int:
    """Create or refresh the five thematic clusters; returns how many were created."""
    created = 0
    for data in THEMATIC_CLUSTERS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        _cluster, was_created = Cluster.objects.get_or_create(
            slug=data["slug"], defaults={"kind": Cluster.Kind.THEMATIC, **fields}
        )
        created += was_created
    return created
