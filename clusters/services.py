"""Writes about clusters: join requests and their decisions, leaving, theme suggestions.

Views, the leader page and admin actions all call these functions, nothing else changes a membership's or
a suggestion's status. Each one checks who may act, records who did what and when, and queues its e-mails
inside the same transaction.
"""

from datetime import timedelta

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import is_organisation_admin
from accounts.services import organisation_is_verified_locked
from core.text_limits import text_length_validate
from notifications.services import email_queue

from .models import RESERVED_SLUGS, Cluster, ClusterEmailPreference, ClusterMembership, ThemeSuggestion
from .rules import (
    can_decide_cluster_membership,
    can_leave_cluster,
    can_withdraw_cluster_request,
    is_cluster_leader,
)
from .selectors import leaders_email_options, requests_leaders_see


def _open_membership(*, cluster: Cluster, organisation: Organisation) -> ClusterMembership | None:
    return ClusterMembership.objects.filter(
        cluster=cluster, organisation=organisation, status__in=ClusterMembership.OPEN_STATUSES
    ).first()


def _already_open_message(membership: ClusterMembership) -> str:
    names = {"organisation": membership.organisation.name, "cluster": membership.cluster.name}
    if membership.is_active:
        return _("%(organisation)s is already a member of %(cluster)s.") % names
    if not membership.cluster.active_leaders():
        return (
            _(
                "%(organisation)s has already asked to join %(cluster)s. While the cluster has no leader the WeGO "
                "secretariat decides; it has not decided yet, and you will receive an e-mail when it has."
            )
            % names
        )
    return (
        _(
            "%(organisation)s has already asked to join %(cluster)s. The cluster's leaders have not decided yet; "
            "you will receive an e-mail when they have."
        )
        % names
    )


@transaction.atomic
def cluster_membership_request(
    *, cluster: Cluster, organisation: Organisation, by: User, motivation: str
) -> ClusterMembership:
    """An organisation's administrator asks for it to join; the cluster's leaders are e-mailed."""
    if not is_organisation_admin(by, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can ask to join a cluster for it."))
    if cluster.is_closed:
        raise ValidationError(_("%(cluster)s is closed and takes no new members.") % {"cluster": cluster.name})
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError(_("Please say in a sentence or two why your organisation wants to join."))
    text_length_validate(ClusterMembership, "motivation", motivation)
    existing = _open_membership(cluster=cluster, organisation=organisation)
    if existing is not None:
        raise ValidationError(_already_open_message(existing))
    try:
        with transaction.atomic():
            membership = ClusterMembership.objects.create(
                cluster=cluster, organisation=organisation, requested_by=by, motivation=motivation
            )
    except IntegrityError as exc:  # a second request racing the first one
        racing = _open_membership(cluster=cluster, organisation=organisation)
        message = _already_open_message(racing) if racing else _("Please try again in a moment.")
        raise ValidationError(message) from exc
    # Held while the secretariat has not verified the organisation: held_join_requests_release e-mails then.
    if organisation_is_verified_locked(organisation.pk):
        _join_requested_emails(membership)
    return membership


def _join_requested_emails(membership: ClusterMembership, *, template: str = "cluster_join_requested") -> None:
    """The cluster's active leaders (the secretariat when it has none) hear of a request to join: when it is made
    (`cluster_join_requested`) and, once, when it has waited a week (`cluster_join_waiting`)."""
    cluster = membership.cluster
    context = {
        "membership": membership,
        "cluster": cluster,
        "organisation": membership.organisation,
        "requester": membership.requested_by,
    }
    # Replies reach the person who asked; every e-mail about the request is one conversation.
    common = {"template": template, "thread": _thread(membership), "reply_to": membership.requested_by}
    key = template.replace("_", "-")
    # Read afresh, whole: the cluster page's prefetched leaders carry only the names it shows, and the e-mail
    # reads each leader's address, language, time zone and state (one query each for a narrowed row).
    leaders = list(User.objects.filter(led_clusters=cluster, is_active=True).order_by("pk"))
    if not leaders:
        email_queue(
            address=settings.SECRETARIAT_EMAIL,
            context={**context, "to_secretariat": True},
            dedup_key=f"{key}:{membership.pk}:{settings.SECRETARIAT_EMAIL}",
            **common,
        )
    # Each leader's choice: an e-mail now, one in the daily digest, or none.
    choices = leaders_email_options((leader, cluster) for leader in leaders)
    for leader in leaders:
        options = choices[leader.pk, cluster.pk]
        if options is not None:
            email_queue(
                user=leader,
                context={**context, "to_secretariat": False},
                dedup_key=f"{key}:{membership.pk}:user-{leader.pk}",
                **common,
                **options,
            )


# A request to join that has waited this long reminds the cluster's leaders (the secretariat when it has none).
JOIN_REQUEST_REMINDER_DAYS = 7


def join_request_reminders_send(*, now=None) -> int:
    """Remind the deciders of each request to join that has waited more than a week: once (run daily by Celery
    beat; the outbox's de-duplication keeps a second run, or a scheduler firing twice, from sending again). Only
    requests that reached them count: one held until the secretariat verifies the organisation waits from then.
    A request is reminded during its second week only, so the outbox's pruning can never make it go twice.
    Returns how many requests were reminded."""
    now = now or timezone.now()
    waited = now - timedelta(days=JOIN_REQUEST_REMINDER_DAYS)
    requests = (
        requests_leaders_see()
        .filter(requested_at__lte=waited, requested_at__gt=waited - timedelta(days=JOIN_REQUEST_REMINDER_DAYS))
        .select_related("cluster", "organisation", "requested_by")
        .order_by("pk")
    )
    count = 0
    for membership in requests.iterator(chunk_size=200):
        with transaction.atomic():
            _join_requested_emails(membership, template="cluster_join_waiting")
        count += 1
    return count


def _thread(membership: ClusterMembership) -> str:
    return f"cluster-membership-{membership.pk}"


def held_join_requests_release(*, organisation: Organisation, **kwargs) -> None:
    """The secretariat has just verified `organisation` (accounts.services.organisation_verified, inside its
    transaction): the leaders hear of its requests to join that waited. Their pages show them from now on by
    themselves: the leaders' reads filter on the organisation being verified."""
    pending = ClusterMembership.objects.filter(organisation=organisation, status=ClusterMembership.Status.PENDING)
    for membership in pending.select_related("cluster", "organisation", "requested_by"):
        _join_requested_emails(membership)


def _requester_recipients(membership: ClusterMembership) -> list[User]:
    """Who hears about a decision: the person who asked, or, if they are gone, the organisation's admins."""
    if membership.requested_by is not None:
        return [membership.requested_by]
    return [
        admin.user
        for admin in membership.organisation.memberships.filter(role="admin", status="active").select_related("user")
    ]


def _decide(
    *, membership: ClusterMembership, by: User, note: str, status: ClusterMembership.Status
) -> ClusterMembership:
    membership = (
        ClusterMembership.objects.select_for_update(of=("self",))
        .select_related("cluster", "organisation", "requested_by")
        .get(pk=membership.pk)
    )
    if not can_decide_cluster_membership(by, membership):
        raise PermissionDenied(_("Only the cluster's leaders or the secretariat can decide on requests to join."))
    text_length_validate(ClusterMembership, "decision_note", note.strip())
    membership.move_to(status, by=by, note=note.strip())
    template = "cluster_join_approved" if status == ClusterMembership.Status.ACTIVE else "cluster_join_declined"
    for recipient in _requester_recipients(membership):
        email_queue(
            user=recipient,
            template=template,
            context={"membership": membership, "cluster": membership.cluster, "organisation": membership.organisation},
            dedup_key=f"cluster-join-decided:{membership.pk}:user-{recipient.pk}",
            thread=_thread(membership),
        )
    return membership


@transaction.atomic
def cluster_membership_approve(*, membership: ClusterMembership, by: User, note: str = "") -> ClusterMembership:
    return _decide(membership=membership, by=by, note=note, status=ClusterMembership.Status.ACTIVE)


@transaction.atomic
def cluster_membership_decline(*, membership: ClusterMembership, by: User, note: str = "") -> ClusterMembership:
    return _decide(membership=membership, by=by, note=note, status=ClusterMembership.Status.DECLINED)


@transaction.atomic
def cluster_membership_leave(*, membership: ClusterMembership, by: User) -> ClusterMembership:
    """An administrator takes their organisation out of a cluster; it may ask to join again later."""
    membership = (
        ClusterMembership.objects.select_for_update(of=("self",))
        .select_related("cluster", "organisation")
        .get(pk=membership.pk)
    )
    if not can_leave_cluster(by, membership):
        raise PermissionDenied(_("Only the organisation's administrators can take it out of a cluster."))
    membership.move_to(ClusterMembership.Status.LEFT, by=by)
    return membership


@transaction.atomic
def cluster_membership_withdraw(*, membership: ClusterMembership, by: User) -> ClusterMembership:
    """An administrator takes back their organisation's request to join before the leaders decide; the request
    leaves the leaders' list, and the organisation may ask again later."""
    membership = (
        ClusterMembership.objects.select_for_update(of=("self",))
        .select_related("cluster", "organisation")
        .get(pk=membership.pk)
    )
    if not membership.is_pending:
        raise ValidationError(_("This request has already been decided."))
    if not can_withdraw_cluster_request(by, membership):
        raise PermissionDenied(_("Only the organisation's administrators can withdraw its request."))
    membership.move_to(ClusterMembership.Status.WITHDRAWN, by=by)
    return membership


@transaction.atomic
def theme_suggestion_create(*, by: User, title: str, rationale: str, participants: str) -> ThemeSuggestion:
    """Anyone signed in proposes a theme; the secretariat is e-mailed to review it."""
    suggestion = ThemeSuggestion(suggested_by=by, title=title, rationale=rationale, participants=participants)
    suggestion.full_clean()
    suggestion.save()
    email_queue(
        address=settings.SECRETARIAT_EMAIL,
        template="theme_suggested",
        context={"suggestion": suggestion, "suggested_by": by},
        dedup_key=f"theme-suggested:{suggestion.pk}",
        thread=f"theme-suggestion-{suggestion.pk}",
        reply_to=by,
    )
    return suggestion


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "theme"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Cluster.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _tell_suggester(suggestion: ThemeSuggestion, template: str) -> None:
    if suggestion.suggested_by is not None:
        email_queue(
            user=suggestion.suggested_by,
            template=template,
            context={"suggestion": suggestion, "cluster": suggestion.cluster},
            dedup_key=f"theme-decided:{suggestion.pk}",
            thread=f"theme-suggestion-{suggestion.pk}",
        )


@transaction.atomic
def theme_suggestion_to_cluster(*, suggestion: ThemeSuggestion, by: User, note: str = "") -> Cluster:
    """Staff turn a suggestion into a forming thematic cluster, to be completed (leaders, link) in admin."""
    if not rules.test_rule("clusters.turn_theme_suggestion_into_cluster", by):
        raise PermissionDenied(_("Only the secretariat can turn a suggestion into a cluster."))
    suggestion = (
        ThemeSuggestion.objects.select_for_update(of=("self",)).select_related("suggested_by").get(pk=suggestion.pk)
    )
    if suggestion.status != ThemeSuggestion.Status.NEW:
        raise ValidationError(_("This suggestion has already been decided."))
    cluster = Cluster.objects.create(
        kind=Cluster.Kind.THEMATIC,
        status=Cluster.Status.FORMING,
        name=suggestion.title,
        slug=_unique_slug(suggestion.title),
        summary=Truncator(" ".join(suggestion.rationale.split())).chars(300),
        description=suggestion.rationale,
    )
    suggestion.decide(ThemeSuggestion.Status.ACCEPTED, by=by, note=note, cluster=cluster)
    _tell_suggester(suggestion, "theme_suggestion_accepted")
    return cluster


@transaction.atomic
def theme_suggestion_decline(*, suggestion: ThemeSuggestion, by: User, note: str = "") -> ThemeSuggestion:
    if not rules.test_rule("clusters.decline_theme_suggestion", by):
        raise PermissionDenied(_("Only the secretariat can decline a theme suggestion."))
    suggestion = (
        ThemeSuggestion.objects.select_for_update(of=("self",)).select_related("suggested_by").get(pk=suggestion.pk)
    )
    suggestion.decide(ThemeSuggestion.Status.DECLINED, by=by, note=note)
    _tell_suggester(suggestion, "theme_suggestion_declined")
    return suggestion


def organisation_merge_refusal(sender, *, organisation_ids: list[int], **kwargs) -> str | None:
    """accounts.services.organisation_merge_checking: organisations that are members of (or asked to join) the
    same cluster cannot be merged, since an organisation belongs to a cluster once."""
    clashes = (
        ClusterMembership.objects.filter(
            organisation_id__in=organisation_ids, status__in=ClusterMembership.OPEN_STATUSES
        )
        .values("cluster__name")
        .annotate(organisations=Count("organisation_id", distinct=True))
        .filter(organisations__gt=1)
        .order_by("cluster__name")
    )
    names = [row["cluster__name"] for row in clashes]
    if not names:
        return None
    return _(
        "These organisations cannot be merged yet: more than one of them belongs to (or asked to join) "
        "%(clusters)s. Decline or end the extra membership first."
    ) % {"clusters": ", ".join(names)}


@transaction.atomic
def cluster_email_preference_set(*, user, cluster: Cluster, frequency: str) -> ClusterEmailPreference:
    """A leader chooses how they hear about one of their clusters."""
    if not is_cluster_leader(user, cluster):
        raise PermissionDenied(_("Only the cluster's leaders choose how they are e-mailed about it."))
    if frequency not in ClusterEmailPreference.Frequency.values:
        raise ValidationError(_("Please choose an e-mail per event or a daily digest."))
    preference, _created = ClusterEmailPreference.objects.update_or_create(
        user=user, cluster=cluster, defaults={"frequency": frequency}
    )
    return preference


@transaction.atomic
def cluster_emails_turn_off(*, user, clusters) -> None:
    """The unsubscribe link of a leader's e-mail (no sign-in: the signed link is the proof): no more e-mails about
    these clusters. The leader page still lists everything, and the leader can choose e-mails again there."""
    for cluster in clusters:
        ClusterEmailPreference.objects.update_or_create(
            user=user, cluster=cluster, defaults={"frequency": ClusterEmailPreference.Frequency.OFF}
        )
