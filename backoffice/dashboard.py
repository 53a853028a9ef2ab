"""What waits for the secretariat, read for the back office's front page in a fixed number of queries.

The page is built from lists: the queues (how many of each kind wait, with a link to them: SUBMISSION_QUEUES for
the reviewed submissions, then _other_queues) and WAITING (the oldest of each kind, each a table). A new kind of
work (teams asking for partners, messages waiting for an answer) is one more entry in each; the template draws
every entry the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Count, F, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationMembership
from applications.models import ProjectApplication, SolutionRegistration
from applications.workflow import HELD_STATUSES, Status
from clusters.models import Cluster, ClusterMembership, ThemeSuggestion
from core.languages import translation_columns
from events.models import Event

# Statuses in which a submission waits for the secretariat's next move.
WAITING_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
# The dashboard also counts submissions sent back to their organisation, waiting for it to resubmit.
COUNTED_STATUSES = (*WAITING_STATUSES, Status.CHANGES_REQUESTED)
OLDEST_SHOWN = 8
# Organisations waiting for verification listed first, those holding the most back first.
TO_VERIFY_SHOWN = 15
UPCOMING_SHOWN = 6
WAITING_QUERY = "status__in=submitted,under_review"


@dataclass(frozen=True)
class Queue:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class WaitingRow:
    """One item of a WAITING table: its name (linking to its page in the back office), the other cells in the
    order of the table's columns, and since when it waits."""

    name: str
    url: str
    cells: tuple[str, ...]
    since: datetime | None


@dataclass(frozen=True)
class WaitingTable:
    key: str
    caption: str
    columns: tuple[str, ...]  # the name's column first, the "waiting since" column last
    rows: list[WaitingRow]
    all_url: str
    empty: str


@dataclass(frozen=True)
class Waiting:
    """A kind of item that waits for the secretariat, listed oldest first."""

    key: str
    caption: str
    columns: tuple[str, ...]
    oldest: Callable[[], QuerySet]  # every waiting item, oldest first
    row: Callable[[Model], WaitingRow]
    all_query: str  # the back office's list of all of them: the model's list with this query
    empty: str

    def table(self) -> WaitingTable:
        queryset = self.oldest()
        return WaitingTable(
            key=self.key,
            caption=str(self.caption),
            columns=tuple(str(column) for column in self.columns),
            rows=[self.row(item) for item in queryset[:OLDEST_SHOWN]],
            all_url=_changelist(queryset.model, self.all_query),
            empty=str(self.empty),
        )


def _changelist(model, query: str = "") -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _change(item: Model) -> str:
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def _application_row(application: ProjectApplication) -> WaitingRow:
    cells = (application.organisation.name, application.cluster.name if application.cluster else "—")
    return WaitingRow(
        application.title, _change(application), (*cells, application.get_status_display()), application.submitted_at
    )


def _solution_row(solution: SolutionRegistration) -> WaitingRow:
    clusters = ", ".join(cluster.name for cluster in solution.clusters.all()) or "—"
    cells = (solution.organisation.name, clusters, solution.get_status_display())
    return WaitingRow(solution.name, _change(solution), cells, solution.submitted_at)


def _request_row(request: ClusterMembership) -> WaitingRow:
    return WaitingRow(request.organisation.name, _change(request), (request.cluster.name,), request.requested_at)


def _pending_requests() -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING)
        .select_related("organisation", "cluster")
        .order_by("requested_at", "pk")
    )


WAITING = (
    Waiting(
        "applications",
        _("Oldest applications waiting"),
        (_("Application"), _("City"), _("Cluster"), _("Status"), _("Submitted on")),
        lambda: (
            ProjectApplication.objects.filter(status__in=WAITING_STATUSES)
            .select_related("organisation", "cluster")
            .order_by("submitted_at", "pk")
        ),
        _application_row,
        WAITING_QUERY,
        _("No application is waiting."),
    ),
    Waiting(
        "solutions",
        _("Oldest solutions waiting"),
        (_("Solution"), _("Organisation"), _("Clusters"), _("Status"), _("Submitted on")),
        lambda: (
            SolutionRegistration.objects.filter(status__in=WAITING_STATUSES)
            .select_related("organisation")
            .prefetch_related("clusters")
            .order_by("submitted_at", "pk")
        ),
        _solution_row,
        WAITING_QUERY,
        _("No solution is waiting."),
    ),
    Waiting(
        "leaderless-requests",
        _("Requests to join a cluster without a leader (the secretariat decides)"),
        (_("Organisation"), _("Cluster"), _("Requested")),
        lambda: _pending_requests().decided_by_secretariat(),
        _request_row,
        "status__exact=pending&decider=secretariat",
        _("No request waits for a cluster without a leader."),
    ),
    Waiting(
        "requests",
        _("Oldest cluster membership requests"),
        (_("Organisation"), _("Cluster"), _("Requested")),
        _pending_requests,
        _request_row,
        "status__exact=pending",
        _("No membership request is waiting."),
    ),
)

# The reviewed submissions whose statuses the queues count, with the words of their queue.
SUBMISSION_QUEUES = (
    (ProjectApplication, _("Project applications: %(status)s")),
    (SolutionRegistration, _("Company solutions: %(status)s")),
)


def _submission_queues() -> list[Queue]:
    queues = []
    for model, label in SUBMISSION_QUEUES:
        counts = model.objects.aggregate(
            **{status.value: Count("pk", filter=Q(status=status)) for status in COUNTED_STATUSES}
        )
        queues += [
            Queue(
                label % {"status": Status(status).label},
                count,
                _changelist(model, f"status__exact={status}"),
            )
            for status, count in counts.items()
        ]
    return queues


def _other_queues() -> list[Queue]:
    pending_org = OrganisationMembership.Status.PENDING
    requests = ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING)
    return [
        Queue(
            _("Cluster membership requests"),
            requests.count(),
            _changelist(ClusterMembership, "status__exact=pending"),
        ),
        Queue(
            _("Requests to join a cluster without a leader"),
            requests.decided_by_secretariat().count(),
            _changelist(ClusterMembership, "status__exact=pending&decider=secretariat"),
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
    """Each cluster with something waiting: applications and solutions under or awaiting review, requests."""
    rows: dict[int, dict] = {}
    counted = {
        "applications": ProjectApplication.objects.filter(status__in=WAITING_STATUSES, cluster__isnull=False),
        "solutions": SolutionRegistration.clusters.through.objects.filter(
            solutionregistration__status__in=WAITING_STATUSES
        ),
        "requests": ClusterMembership.objects.filter(status=ClusterMembership.Status.PENDING),
    }
    for key, queryset in counted.items():
        for row in queryset.values("cluster_id").annotate(count=Count("pk")).order_by():
            rows.setdefault(row["cluster_id"], dict.fromkeys(counted, 0))[key] = row["count"]
    # The names in the reader's language (a values() query would read the untranslated column).
    names = Cluster.objects.filter(pk__in=rows).only("pk", *translation_columns("name"))
    for cluster in names:
        rows[cluster.pk]["name"] = cluster.name
    for cluster_id, entry in rows.items():
        entry["applications_url"] = _changelist(ProjectApplication, f"cluster__id__exact={cluster_id}&{WAITING_QUERY}")
        entry["solutions_url"] = _changelist(SolutionRegistration, f"clusters__id__exact={cluster_id}&{WAITING_QUERY}")
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
    upcoming = Event.objects.upcoming().with_registration_counts()[:UPCOMING_SHOWN]
    return {
        "organisations_to_verify": organisations_to_verify(),
        "organisations_to_verify_url": _changelist(Organisation, "is_verified__exact=0"),
        "queues": [*_submission_queues(), *_other_queues()],
        "per_cluster": _per_cluster(),
        "waiting": [waiting.table() for waiting in WAITING],
        "upcoming_events": list(upcoming),
        "failed_emails": _failed_emails(),
        "failed_emails_url": _failed_emails_url(),
    }
