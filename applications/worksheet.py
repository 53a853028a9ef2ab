"""The GCTC project worksheet as a Word document: the blank template and a fictional filled-in example.

Generated from the same section list as the online form, so the two never drift apart.
"""

import datetime as dt
import io

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.shared import Pt

from clusters.models import Cluster
from clusters.seed import CLUSTER_TRANSLATIONS, THEMATIC_CLUSTERS
from core.languages import translation_columns

from .models import ProjectApplication
from .models.project import SECTIONS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The fictional example, in the language of the download. Its cluster is a real thematic cluster (named as the
# portal names it, EXAMPLE_CLUSTER); it joins no GCTC action cluster, which is optional.
EXAMPLE_CLUSTER = "smart-utility-waste"
EXAMPLE = {
    "title": _("Riverside Flood Early Warning"),
    "summary": _(
        "Riverton, a fictional city of 400,000 people, places water-level sensors along its river and alerts "
        "residents by text message two hours before streets flood."
    ),
    "problem": _(
        "Flash floods reach the old town in under three hours; residents learn of them too late to move cars and goods."
    ),
    "approach": _(
        "Forty LoRaWAN water-level sensors feed an open-source forecasting model; alerts go out through the "
        "national cell-broadcast service."
    ),
    "technologies": _("IoT sensors (LoRaWAN), a cyber-physical pump control loop, open data API."),
    "standards": _("OGC SensorThings API, Common Alerting Protocol (CAP 1.2)."),
    "interoperability": _("Sensors publish through SensorThings, so neighbouring cities read the same feed."),
    "replicability": _("Hardware list, model and playbook are published under an open licence."),
    "scalability": _("One gateway covers 5 km of river; adding a district means adding gateways, not software."),
    "cybersecurity": _("Signed firmware, network segmentation, yearly penetration test."),
    "privacy": _("No personal data is collected by sensors; opt-in phone numbers are kept by the operator only."),
    "currency": "USD",
    "funding_sources": _("City budget (60 %), national resilience fund (40 %)."),
    "contact_name": _("Dr. Ana Example, Chief Resilience Officer"),
    "contact_email": "resilience@riverton.example",
    "contact_phone": "+1 555 0100",
}
EXAMPLE_TEAM = [
    ("Maria Example", _("Riverton Water Authority"), _("Operator")),
    ("Prof. Lee Example", _("Example University"), _("Forecast model")),
]
EXAMPLE_KPIS = [
    (
        _("Warning lead time"),
        _("minutes"),
        "20",
        "120",
        _("Time between alert and water reaching the first street"),
    ),
    (
        _("Flood damage claims"),
        _("USD per year"),
        _("3.1 million"),
        _("1.5 million"),
        _("Insurance and city claims records"),
    ),
]


def _example_cluster_name() -> str:
    """The example's thematic cluster as the portal names it in the active language."""
    cluster = Cluster.objects.filter(slug=EXAMPLE_CLUSTER).only(*translation_columns("name")).first()
    if cluster is not None:
        return cluster.name
    language = get_language()
    seeded = next(data for data in THEMATIC_CLUSTERS if data["slug"] == EXAMPLE_CLUSTER)
    return CLUSTER_TRANSLATIONS[EXAMPLE_CLUSTER].get(language, {}).get("name", seeded["name"])


def example_answers() -> dict[str, str]:
    """Every answer of the example, in the active language, by field name."""
    return {
        **{name: str(text) for name, text in EXAMPLE.items()},
        "cluster": _example_cluster_name(),
        "action_cluster": "",
        "round": "",
        "stage": str(ProjectApplication.Stage.ONGOING.label),
        "start_date": date_format(dt.date(2025, 4, 1), "DATE_FORMAT"),
        "end_date": date_format(dt.date(2027, 3, 31), "DATE_FORMAT"),
        "budget": number_format(1_200_000, force_grouping=True),
    }


def _label(name: str) -> str:
    return str(ProjectApplication._meta.get_field(name).verbose_name).capitalize()


def build(*, example: bool) -> bytes:
    """The worksheet in the active language: blank, or filled in with the fictional example."""
    answers = example_answers() if example else {}
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(gettext("GCTC project worksheet"), level=0)
    document.add_paragraph(
        gettext("A fictional example: Riverton does not exist.")
        if example
        else gettext(
            "Fill in every section, then attach this file to your project application on the WeGO portal, "
            "or type the same answers into the online form."
        )
    )
    for number, section in enumerate(SECTIONS, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        if section.key == "team":
            _table(
                document,
                [gettext("Name"), gettext("Organisation"), gettext("Role in the project")],
                EXAMPLE_TEAM if example else [("", "", "")] * 3,
            )
            continue
        if section.key == "kpis":
            _table(
                document,
                [
                    gettext("Indicator"),
                    gettext("Unit"),
                    gettext("Baseline"),
                    gettext("Target"),
                    gettext("How it is measured"),
                ],
                EXAMPLE_KPIS if example else [("",) * 5] * 3,
            )
            continue
        for name in section.fields:
            paragraph = document.add_paragraph()
            paragraph.add_run(gettext("%(label)s:") % {"label": _label(name)}).bold = True
            paragraph.add_run(" ")
            paragraph.add_run(answers.get(name, ""))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
