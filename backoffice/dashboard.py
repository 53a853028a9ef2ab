"""What waits for the secretariat, read for the back office's front page in a fixed number of queries."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationMembership
from applications.models import ProjectApplication, SolutionRegistration
from applications.workflow import HELD_STATUSES, Status
from clusters.models import ClusterMembership, ThemeSuggestion
from events.models import Event

# Statuses in which a submission waits for the secretariat's next move.
WAITING_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
# The dashboard also counts applications sent back to their city, waiting for it to resubmit.
COUNTED_STATUSES = (*WAITING_STATUSES, Status.CHANGES_REQUESTED)
OLDEST_SHOWN = 8
# Organisations waiting for verification listed first, those holding the most back first.
TO_VERIFY_SHOWN = 15
UPCOMING_SHOWN = 6


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str


def _changelist(model, query: str = "") -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _application_queues() -> list[Queue]:
    counts = ProjectApplication.objects.aggregate(
        **{
            status.value: Count("pk", filter=Q(status=status))
            for status in (*WAITING_STATUSES, Status.CHANGES_REQUESTED)
        }
    )
    return [
        Queue(
            _("Project applications: %(status)s") % {"status": Status(status).label},
            count,
            _changelist(ProjectApplication, f"status__exact={status}"),
        )
        for status, count in counts.items()
    ]


def _other_queues() -> list[Queue]:
    pending_org = OrganisationMembership.Status.PENDING
    return [
        Queue(
            _("Cluster membership requests"),
            ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING).count(),
            _changelist(ClusterMembership, "status__exact=pending"),
        ),
        Queue(
            _("Theme suggestions"),
            ThemeSuggestion.objects.filter(status=ThemeSuggestion.Status.NEW).count(),
            _changelist(ThemeSuggestion, "status__exact=new"),
        ),
        Queue(
            _("Organisations to verify"),
            Organisation.objects.filter(is_verified=False).count(),
            _changelist(Organisation, "is_verified__exact=0"),
        ),
        Queue(
            _("Requests to join an organisation"),
            OrganisationMembership.objects.filter(status=pending_org).count(),
            _changelist(OrganisationMembership, "status__exact=pending"),
        ),
    ]


def _per_cluster() -> list[dict]:
    """Each cluster with something waiting: applications under or awaiting review, membership requests."""
    rows: dict[int, dict] = {}
    applications = (
        ProjectApplication.objects.filter(status__in=WAITING_STATUSES, cluster__isnull=False)
        .values("cluster_id", "cluster__name")
        .annotate(count=Count("pk"))
    )
    requests = (
        ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING)
        .values("cluster_id", "cluster__name")
        .annotate(count=Count("pk"))
    )
    for key, queryset in (("applications", applications), ("requests", requests)):
        for row in queryset:
            entry = rows.setdefault(row["cluster_id"], {"name": row["cluster__name"], "applications": 0, "requests": 0})
            entry[key] = row["count"]
    for cluster_id, entry in rows.items():
        entry["applications_url"] = _changelist(
            ProjectApplication, f"cluster__id__exact={cluster_id}&status__in=submitted,under_review"
        )
        entry["requests_url"] = _changelist(ClusterMembership, f"cluster__id__exact={cluster_id}&status__exact=pending")
    return sorted(rows.values(), key=lambda entry: str(entry["name"]).lower())


def _failed_emails() -> int | None:
    """Failed e-mails in the outbox, when the notifications app keeps one (None otherwise)."""
    for name in ("OutboundEmail", "Outbox"):
        try:
            model = apps.get_model("notifications", name)
        except LookupError:
            continue
        return model.objects.filter(status="failed").count()
    return None


def _failed_emails_url() -> str | None:
    for name in ("OutboundEmail", "Outbox"):
        try:
            return _changelist(apps.get_model("notifications", name), "status__exact=failed")
        except LookupError:
            continue
    return None


def _count_of(queryset) -> Subquery:
    """How many rows of `queryset` belong to the outer organisation, as a subquery (0 when none)."""
    counted = queryset.filter(organisation=OuterRef("pk")).order_by().values("organisation").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))


def organisations_to_verify(limit: int = TO_VERIFY_SHOWN) -> list[Organisation]:
    """Organisations the secretariat has not verified, each with how many of its submissions and requests to join
    wait for that (its leaders see none of them until then): the most held back first, then the oldest."""
    return list(
        Organisation.objects.filter(is_verified=False)
        .annotate(
            held_applications=_count_of(ProjectApplication.objects.filter(status__in=HELD_STATUSES)),
            held_solutions=_count_of(SolutionRegistration.objects.filter(status__in=HELD_STATUSES)),
            held_requests=_count_of(ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING)),
        )
        .annotate(held=F("held_applications") + F("held_solutions") + F("held_requests"))
        .only("pk", "name", "kind", "country", "created_at")
        .order_by("-held", "created_at", "pk")[:limit]
    )


def staff_dashboard() -> dict:
    oldest = (
        ProjectApplication.objects.filter(status__in=WAITING_STATUSES)
        .select_related("organisation", "cluster")
        .order_by("submitted_at", "pk")[:OLDEST_SHOWN]
    )
    oldest_requests = (
        ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING)
        .select_related("organisation", "cluster")
        .order_by("requested_at", "pk")[:OLDEST_SHOWN]
    )
    upcoming = Event.objects.upcoming().with_registration_counts()[:UPCOMING_SHOWN]
    return {
        "organisations_to_verify": organisations_to_verify(),
        "organisations_to_verify_url": _changelist(Organisation, "is_verified__exact=0"),
        "queues": [*_application_queues(), *_other_queues()],
        "per_cluster": _per_cluster(),
        "oldest_applications": list(oldest),
        "oldest_requests": list(oldest_requests),
        "upcoming_events": list(upcoming),
        "failed_emails": _failed_emails(),
        "failed_emails_url": _failed_emails_url(),
    }
