"""What a city measured after its baseline: dated values of its KPIs, each in the unit it was measured in."""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text_limits import texts_within_limits

from .documents import PrivateDocument
from .project import Kpi


class ProgressReport(models.Model):
    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="reports")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=50)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["kpi", "measured_on", "pk"]
        indexes = [models.Index(fields=["kpi", "-measured_on", "-id"], name="report_kpi_latest")]
        constraints = [texts_within_limits(note=1000)]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value} {self.unit}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        kpi_latest_renew(self.kpi_id)


def kpi_latest_renew(kpi_id: int) -> None:
    """Give the KPI its latest report's value (by the date measured, then the last entered), and the figures that
    follow from it: after a report is saved or deleted."""
    kpi = Kpi.objects.filter(pk=kpi_id).first()
    if kpi is None:  # the KPI itself is being deleted with its reports
        return
    latest = ProgressReport.objects.filter(kpi_id=kpi_id).order_by("-measured_on", "-pk").first()
    kpi.latest_value = latest.value if latest else None
    kpi.latest_unit = latest.unit if latest else ""
    kpi.latest_on = latest.measured_on if latest else None
    kpi.save(update_fields=["latest_value", "latest_unit", "latest_on"])


@receiver(post_delete, sender=ProgressReport)
def _report_deleted(sender, instance, **kwargs):
    kpi_latest_renew(instance.kpi_id)


class ReportEvidence(PrivateDocument):
    """The file that backs a measured value (a meter export, a survey summary), checked as every upload is."""

    UPLOAD_FOLDER = "evidence"

    report = models.OneToOneField(ProgressReport, on_delete=models.CASCADE, related_name="evidence")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence files")

    def get_absolute_url(self) -> str:
        return reverse("applications:evidence", args=[self.report.kpi.application_id, self.report_id])
