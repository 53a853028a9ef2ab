"""Thematic clusters (WeGO) and GCTC action clusters, grouped under SuperClusters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterQuerySet(models.QuerySet):
    def open(self):
        """Clusters people can see and join: forming or active, not closed."""
        return self.exclude(status=Cluster.Status.CLOSED)


class Cluster(models.Model):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("WeGO thematic cluster")
        ACTION = "action", _("GCTC action cluster")
        SUPER = "super", _("GCTC SuperCluster")

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming, launching soon")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.THEMATIC, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    summary = models.CharField(_("theme summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FORMING, db_index=True)
    supercluster = models.ForeignKey(
        "self",
        verbose_name=_("SuperCluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_clusters",
        limit_choices_to={"kind": Kind.SUPER},
    )
    discussion_url = models.URLField(
        _("private discussion group"), blank=True, help_text=_("Shown to the cluster's members only.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = ClusterQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
