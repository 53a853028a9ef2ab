"""The GCTC project worksheet as a Word document: the blank template and a fictional filled-in example.

Generated from the same section list as the online form, so the two never drift apart.
"""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from .forms import SECTION_FIELDS
from .models import ProjectApplication
from .models.project import SECTIONS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXAMPLE = {
    "title": "Riverside Flood Early Warning",
    "summary": "Riverton, a fictional city of 400,000 people, places water-level sensors along its river and "
    "alerts residents by text message two hours before streets flood.",
    "cluster": "Smart Disaster and Safety",
    "action_cluster": "Public Safety",
    "problem": "Flash floods reach the old town in under three hours; residents learn of them too late to move "
    "cars and goods.",
    "approach": "Forty LoRaWAN water-level sensors feed an open-source forecasting model; alerts go out through "
    "the national cell-broadcast service.",
    "technologies": "IoT sensors (LoRaWAN), a cyber-physical pump control loop, open data API.",
    "stage": "Ongoing",
    "start_date": "2025-04-01",
    "end_date": "2027-03-31",
    "standards": "OGC SensorThings API, Common Alerting Protocol (CAP 1.2).",
    "interoperability": "Sensors publish through SensorThings, so neighbouring cities read the same feed.",
    "replicability": "Hardware list, model and playbook are published under an open licence.",
    "scalability": "One gateway covers 5 km of river; adding a district means adding gateways, not software.",
    "cybersecurity": "Signed firmware, network segmentation, yearly penetration test.",
    "privacy": "No personal data is collected by sensors; opt-in phone numbers are kept by the operator only.",
    "budget": "1,200,000",
    "currency": "USD",
    "funding_sources": "City budget (60 %), national resilience fund (40 %).",
    "contact_name": "Dr. Ana Example, Chief Resilience Officer",
    "contact_email": "resilience@riverton.example",
    "contact_phone": "+1 555 0100",
}
EXAMPLE_TEAM = [
    ("Maria Example", "Riverton Water Authority", "Operator"),
    ("Prof. Lee Example", "Example University", "Forecast model"),
]
EXAMPLE_KPIS = [
    ("Warning lead time", "minutes", "20", "120", "Time between alert and water reaching the first street"),
    ("Flood damage claims", "USD per year", "3.1 million", "1.5 million", "Insurance and city claims records"),
]


def _label(name: str) -> str:
    return str(ProjectApplication._meta.get_field(name).verbose_name).capitalize()


def build(*, example: bool) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(_("GCTC project worksheet"), level=0)
    document.add_paragraph(
        _("A fictional example: Riverton does not exist.")
        if example
        else _(
            "Fill in every section, then attach this file to your project application on the WeGO portal, "
            "or type the same answers into the online form."
        )
    )
    for number, section in enumerate(SECTIONS, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        if section.key == "team":
            _table(
                document,
                [_("Name"), _("Organisation"), _("Role in the project")],
                EXAMPLE_TEAM if example else [("", "", "")] * 3,
            )
            continue
        if section.key == "kpis":
            _table(
                document,
                [_("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("How it is measured")],
                EXAMPLE_KPIS if example else [("",) * 5] * 3,
            )
            continue
        for name in SECTION_FIELDS[section.key]:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{_label(name)}: ").bold = True
            paragraph.add_run(EXAMPLE.get(name, "") if example else "")
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
            cell.text = value
