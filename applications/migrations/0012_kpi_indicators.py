"""KPI rows name an indicator of the shared catalogue (kpis.Indicator) instead of a free-text name, and keep
their baseline and target as numbers.

Each existing row is linked to the catalogue indicator of the same name (any language, case ignored), or else
to a proposal of that name made for its city, in the row's unit: the secretariat then accepts or merges it.
Baselines and targets that were not numbers ("about 20 %") are kept as empty: the city enters them again.
"""

import re
from decimal import Decimal, InvalidOperation

import django.db.models.deletion
from django.db import migrations, models

NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")


def _number(text: str) -> Decimal | None:
    """"50,000" -> 50000, "3.5" -> 3.5, "1 200" -> 1200; anything else -> None."""
    text = (text or "").replace(" ", "").replace("\u00a0", "")
    match = NUMBER.fullmatch(text)
    if not match:
        return None
    if "," in text and "." not in text and not re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
        text = text.replace(",", ".")  # a decimal comma: "3,5"
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if abs(value) < Decimal("1e14") else None


def link_indicators(apps, schema_editor):
    Kpi = apps.get_model("applications", "Kpi")
    Indicator = apps.get_model("kpis", "Indicator")
    by_name: dict[str, object] = {}
    for indicator in Indicator.objects.filter(status="catalogue"):
        for language in ("en", "ko", "es", "fr"):
            name = getattr(indicator, f"name_{language}", None)
            if name:
                by_name.setdefault(name.strip().lower(), indicator)
    used: set[tuple[int, int]] = set()
    for kpi in Kpi.objects.select_related("application").order_by("pk").iterator():
        name = " ".join((kpi.name or "").split())[:190] or "Indicator"
        key, indicator, number = name.lower(), None, 1
        while indicator is None or (kpi.application_id, indicator.pk) in used:
            indicator = by_name.get(key)
            if indicator is None:
                indicator = Indicator.objects.create(
                    name=name,
                    name_en=name,
                    unit=(kpi.unit or "").strip()[:50],
                    status="proposed",
                    proposed_by_id=kpi.application.organisation_id,
                )
                by_name[key] = indicator
            if (kpi.application_id, indicator.pk) in used:
                number += 1
                name = f"{' '.join((kpi.name or '').split())[:180]} ({number})"
                key, indicator = name.lower(), None
        used.add((kpi.application_id, indicator.pk))
        kpi.indicator = indicator
        kpi.baseline_value = _number(kpi.baseline)
        kpi.target_value = _number(kpi.target)
        kpi.save(update_fields=["indicator", "baseline_value", "target_value"])


def unlink_indicators(apps, schema_editor):
    Kpi = apps.get_model("applications", "Kpi")
    for kpi in Kpi.objects.select_related("indicator").iterator():
        kpi.name = kpi.indicator.name
        kpi.baseline = "" if kpi.baseline_value is None else f"{kpi.baseline_value.normalize():f}"
        kpi.target = "" if kpi.target_value is None else f"{kpi.target_value.normalize():f}"
        kpi.save(update_fields=["name", "baseline", "target"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0011_application_cluster_accepted"),
        ("kpis", "0001_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="kpi",
            name="indicator",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="kpis",
                to="kpis.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.AddField(
            model_name="kpi",
            name="baseline_value",
            field=models.DecimalField(decimal_places=6, max_digits=20, null=True, verbose_name="baseline"),
        ),
        migrations.AddField(
            model_name="kpi",
            name="target_value",
            field=models.DecimalField(decimal_places=6, max_digits=20, null=True, verbose_name="target"),
        ),
        migrations.AlterField(
            model_name="kpi", name="name", field=models.CharField(blank=True, max_length=200, verbose_name="indicator")
        ),
        migrations.AlterField(
            model_name="kpi", name="baseline", field=models.CharField(blank=True, max_length=100, verbose_name="baseline")
        ),
        migrations.AlterField(
            model_name="kpi", name="target", field=models.CharField(blank=True, max_length=100, verbose_name="target")
        ),
        migrations.RunPython(link_indicators, unlink_indicators),
        migrations.RemoveField(model_name="kpi", name="name"),
        migrations.RemoveField(model_name="kpi", name="baseline"),
        migrations.RemoveField(model_name="kpi", name="target"),
        migrations.RenameField(model_name="kpi", old_name="baseline_value", new_name="baseline"),
        migrations.RenameField(model_name="kpi", old_name="target_value", new_name="target"),
        migrations.AlterField(
            model_name="kpi",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="kpis",
                to="kpis.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.AddIndex(
            model_name="kpi",
            index=models.Index(fields=["indicator", "application"], name="kpi_indicator_application"),
        ),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.UniqueConstraint(
                fields=("application", "indicator"), name="kpi_indicator_once_per_application"
            ),
        ),
    ]
