"""Cluster catalogue, cluster pages, joining and leaving, the leader page and theme suggestions.

Thin: parse the form, call a service, choose the response. Permission checks are the named rules in
clusters/rules.py; private things of a cluster the user may not see answer 404, actions the user may not
take answer 403 with the reason.
"""

import hashlib

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import organisation_figures
from core.caches import cache_public_page, kept
from core.errors import forbidden
from core.messages import message_at
from core.paginators import KnownCountPaginator
from core.rate_limits import form_rate_limit_consume
from notifications.unsubscribe import unsubscribe_read

from . import page_sections, selectors, services
from .forms import (
    CatalogueFilterForm,
    ClusterEmailPreferenceForm,
    ClusterJoinForm,
    ClusterMembershipDecisionForm,
    ThemeSuggestionForm,
)
from .models import Cluster, ClusterEmailPreference, ClusterMembership
from .rules import (
    can_leave_cluster,
    can_request_cluster_membership,
    can_withdraw_cluster_request,
    is_any_cluster_leader,
    is_cluster_leader,
    remember_led_cluster_ids,
)

CATALOGUE_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 60
CLUSTER_PAGE_EVENTS = 5


@cache_public_page("catalogue")
def cluster_list(request):
    """The public catalogue, grouped by kind and status, with the programme's headline figures."""
    filters = CatalogueFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    clusters = selectors.cluster_catalogue(kind=chosen.get("kind", ""), status=chosen.get("status", ""))
    page = Paginator(clusters, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "figures": {**organisation_figures(), **selectors.cluster_figures()},
        },
    )


def _public_part(request, cluster: Cluster) -> str:
    """The page's public column (its theme, members, events, teams, projects and solutions), the same for every
    reader in a language and time zone: rendered once and kept under "cluster-page-parts" (core/caches.py), so
    the page built for each signed-in person, and each join or withdrawal that returns to it, reads only what is
    theirs. Keyed by the query string too, as the pagination's links repeat it."""

    def render_part() -> str:
        counts = selectors.member_counts_by_kind(cluster)
        members = KnownCountPaginator(
            selectors.cluster_members(cluster), MEMBERS_PAGE_SIZE, count=sum(counts.values())
        ).get_page(request.GET.get("page"))
        context = {
            "cluster": cluster,
            "page_obj": members,
            "member_groups": selectors.group_members_by_kind(members, counts),
            "action_clusters": selectors.action_clusters_of(cluster) if cluster.kind == Cluster.Kind.SUPER else None,
            "upcoming_events": cluster.events.upcoming()[:CLUSTER_PAGE_EVENTS],
            # The projects and solutions sections (applications fills them: clusters/page_sections.py).
            **page_sections.cluster_page_context(cluster),
        }
        return render_to_string("clusters/includes/cluster_public.html", context, request=request)

    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    part = f"{cluster.pk}:{get_language()}:{timezone.get_current_timezone_name()}:{query}"
    return mark_safe(kept("cluster-page-parts", part, render_part))  # nosec B308: HTML we rendered


def _cluster_page(request, cluster: Cluster, *, join_form: ClusterJoinForm | None = None):
    user = request.user
    organisation = user.organisation if user.is_authenticated else None
    can_see_requests = rules.test_rule("clusters.see_requests", user, cluster)
    own_membership = selectors.latest_membership_of(cluster=cluster, organisation=organisation)
    context = {
        "cluster": cluster,
        "public_part": _public_part(request, cluster),
        "leaders": list(cluster.leaders.all()),
        # Requests to join a cluster without an active leader go to the WeGO secretariat, which decides them.
        "secretariat_decides": not cluster.active_leaders(),
        "verification_days": settings.VERIFICATION_WORKING_DAYS,
        "organisation": organisation,
        "own_membership": own_membership,
        "can_leave": own_membership is not None and can_leave_cluster(user, own_membership),
        "can_withdraw": own_membership is not None and can_withdraw_cluster_request(user, own_membership),
        "can_see_discussion": rules.test_rule("clusters.see_discussion", user, cluster),
        "can_request": can_request_cluster_membership(user, cluster),
        "is_leader": is_cluster_leader(user, cluster),
        "pending_count": selectors.leaders_pending_count(cluster) if can_see_requests else None,
        "join_form": join_form or ClusterJoinForm(),
    }
    return render(request, "clusters/cluster_detail.html", context)


@cache_public_page("cluster-pages")
def cluster_detail(request, slug: str):
    cluster = get_object_or_404(selectors.cluster_for_page(slug))
    return _cluster_page(request, cluster)


@login_required
@require_POST
def cluster_join(request, slug: str):
    cluster = get_object_or_404(selectors.cluster_for_page(slug))
    if request.user.organisation is None:
        return forbidden(
            request,
            _("Organisations join clusters. Register your organisation, or ask to join it, first."),
            link=(reverse("accounts:organisation_start"), _("Set up your organisation")),
        )
    if not can_request_cluster_membership(request.user, cluster):
        if cluster.is_closed:
            message = _("%(cluster)s is closed and takes no new members.") % {"cluster": cluster.name}
        else:
            message = _("Only your organisation's administrators can ask to join a cluster for it.")
        return forbidden(
            request, message, link=(cluster.get_absolute_url(), _("Back to %(cluster)s") % {"cluster": cluster.name})
        )
    form = ClusterJoinForm(request.POST)
    if form.is_valid():
        limit = form_rate_limit_consume(request, "cluster_join")
        if limit.refused:
            form.add_error(None, limit.message)
            return limit.respond(_cluster_page(request, cluster, join_form=form))
        try:
            services.cluster_membership_request(
                cluster=cluster,
                organisation=request.user.organisation,
                by=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            limit.rollback()
            form.add_error(None, error)
        else:
            sent = _("Your request to join %(cluster)s was sent. You will get an e-mail when it has been decided.")
            held = request.user.organisation.verification_notice if not request.user.organisation.is_verified else ""
            messages.success(request, " ".join(filter(None, [sent % {"cluster": cluster.name}, held])))
            return redirect(cluster)
    return _cluster_page(request, cluster, join_form=form)


@login_required
@require_POST
def cluster_leave(request, slug: str):
    cluster = get_object_or_404(Cluster, slug=slug)
    organisation = request.user.organisation
    membership = (
        ClusterMembership.objects.filter(cluster=cluster, organisation=organisation, status="active")
        .select_related("organisation", "cluster")
        .first()
        if organisation
        else None
    )
    if membership is None:
        messages.info(request, _("Your organisation is not a member of %(cluster)s.") % {"cluster": cluster.name})
        return redirect(cluster)
    if not can_leave_cluster(request.user, membership):
        return forbidden(
            request,
            _("Only your organisation's administrators can take it out of a cluster."),
            link=(cluster.get_absolute_url(), _("Back to %(cluster)s") % {"cluster": cluster.name}),
        )
    services.cluster_membership_leave(membership=membership, by=request.user)
    messages.success(
        request,
        _("%(organisation)s has left %(cluster)s. You can ask to join again at any time.")
        % {"organisation": organisation.name, "cluster": cluster.name},
    )
    return redirect(cluster)


@login_required
@require_POST
def cluster_withdraw(request, slug: str):
    """Take back the organisation's request to join, before the leaders decide."""
    cluster = get_object_or_404(Cluster, slug=slug)
    organisation = request.user.organisation
    membership = (
        ClusterMembership.objects.filter(cluster=cluster, organisation=organisation, status="pending")
        .select_related("organisation", "cluster")
        .first()
        if organisation
        else None
    )
    if membership is None:
        messages.info(
            request,
            _("There is no request of your organisation waiting for %(cluster)s: it may have been decided already.")
            % {"cluster": cluster.name},
        )
        return redirect(cluster)
    if not can_withdraw_cluster_request(request.user, membership):
        return forbidden(
            request,
            _("Only your organisation's administrators can withdraw its request."),
            link=(cluster.get_absolute_url(), _("Back to %(cluster)s") % {"cluster": cluster.name}),
        )
    try:
        services.cluster_membership_withdraw(membership=membership, by=request.user)
    except ValidationError as error:  # decided while the page was open
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The request of %(organisation)s to join %(cluster)s is withdrawn. You can ask again at any time.")
            % {"organisation": organisation.name, "cluster": cluster.name},
        )
    return redirect(cluster)


def _leader_page(request, *, retry: dict | None = None, focus: str = ""):
    # The led clusters are read first: their ids then answer every "is a leader" check of the page.
    clusters = selectors.clusters_led_by(request.user)
    remember_led_cluster_ids(request.user, (cluster.pk for cluster in clusters))
    if not is_any_cluster_leader(request.user):
        return forbidden(
            request,
            _("This page is for cluster leaders. The secretariat names the leaders of each cluster."),
            link=(reverse("clusters:list"), _("See all clusters")),
        )
    # One led cluster at a time (?cluster=<slug>), so the page costs the same however many clusters a person
    # leads; the others are a link each, with their waiting requests counted. Without a choice: the first cluster
    # where requests wait, else the first.
    focus = focus or request.GET.get("cluster", "")
    if focus:
        cluster = next((cluster for cluster in clusters if cluster.slug == focus), None)
        if cluster is None:
            raise Http404
    else:
        cluster = next((cluster for cluster in clusters if cluster.pending_count), clusters[0])
    # ?requests=all lists every waiting request of the cluster, a page at a time, instead of the oldest few.
    requests_page = None
    if request.GET.get("requests") == "all":
        requests_page = Paginator(
            selectors.pending_requests_of(cluster), selectors.LEADER_PAGE_REQUESTS_PER_PAGE
        ).get_page(request.GET.get("page"))
        cluster.pending_requests = list(requests_page)
    else:
        cluster.pending_requests = selectors.oldest_requests_of(cluster)
    membership = retry["membership"] if retry else None
    if membership and membership.is_pending and all(r.pk != membership.pk for r in cluster.pending_requests):
        # The request that failed is shown with its error even when it is not among the first ones.
        cluster.pending_requests.insert(0, membership)
    cluster.newest_members = selectors.newest_members_of(cluster)
    page_sections.leader_page_annotate(cluster)
    return render(
        request,
        "clusters/leader_page.html",
        {
            "clusters": clusters,
            "cluster": cluster,
            "page_obj": requests_page,
            "retry": retry,
            "pending_limit": selectors.LEADER_PAGE_PENDING,
            "members_limit": selectors.LEADER_PAGE_MEMBERS,
            "email_frequencies": ClusterEmailPreference.Frequency.choices,
            "digest_hour": f"{request.user.digest_hour:02d}:00",
            "digest_time_zone": request.user.time_zone,
        },
    )


@login_required
def leader_page(request):
    """A cluster the user leads: who waits for a decision, the newest members and submissions."""
    return _leader_page(request)


@login_required
@require_POST
def membership_decide(request, pk: int):
    membership = get_object_or_404(
        ClusterMembership.objects.select_related("cluster", "organisation", "requested_by"), pk=pk
    )
    if not rules.test_rule("clusters.decide_membership", request.user, membership):
        raise Http404
    form = ClusterMembershipDecisionForm(request.POST)
    if not form.is_valid():
        # Show the leader page again with the error beside this request and the note as it was typed.
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        retry = {"pk": membership.pk, "membership": membership, "note": request.POST.get("note", ""), "errors": errors}
        return _leader_page(request, retry=retry, focus=membership.cluster.slug)
    approve = form.cleaned_data["decision"] == "approve"
    decide = services.cluster_membership_approve if approve else services.cluster_membership_decline
    # The leader page opens again at the cluster's requests, where the leader was, with the outcome there.
    place = f"cluster-{membership.cluster.slug}-requests"
    try:
        decide(membership=membership, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        fragment = message_at(request, messages.ERROR, " ".join(error.messages), place=place)
    except PermissionDenied:
        raise Http404 from None
    else:
        names = {"organisation": membership.organisation.name, "cluster": membership.cluster.name}
        if approve:
            outcome = _("%(organisation)s is now a member of %(cluster)s.") % names
        else:
            outcome = _("The request from %(organisation)s to join %(cluster)s was declined.") % names
        fragment = message_at(request, messages.SUCCESS, outcome, place=place)
    return redirect(membership.cluster.get_leader_page_url() + fragment)


@login_required
@require_POST
def leader_email_preference(request, slug: str):
    """A leader chooses between an e-mail per event and a daily digest for one of their clusters."""
    cluster = get_object_or_404(Cluster, slug=slug)
    if not is_cluster_leader(request.user, cluster):
        return forbidden(
            request,
            _("Only the cluster's leaders choose how they are e-mailed about it."),
            link=(cluster.get_absolute_url(), _("Back to %(cluster)s") % {"cluster": cluster.name}),
        )
    form = ClusterEmailPreferenceForm(request.POST)
    place = f"cluster-{cluster.slug}-emails"  # the leader page opens again at this form, with the outcome in it
    if form.is_valid():
        services.cluster_email_preference_set(
            user=request.user, cluster=cluster, frequency=form.cleaned_data["frequency"]
        )
        if form.cleaned_data["frequency"] == ClusterEmailPreference.Frequency.DAILY:
            message = _("You will get one daily digest about %(cluster)s.")
        elif form.cleaned_data["frequency"] == ClusterEmailPreference.Frequency.OFF:
            message = _("You will get no e-mails about %(cluster)s; this page still lists everything that arrives.")
        else:
            message = _("You will get an e-mail about %(cluster)s as each event happens.")
        fragment = message_at(request, messages.SUCCESS, message % {"cluster": cluster.name}, place=place)
    else:
        fragment = message_at(request, messages.ERROR, " ".join(form.errors["frequency"]), place=place)
    return redirect(cluster.get_leader_page_url() + fragment)


def _theme_suggest_page(request, form: ThemeSuggestionForm):
    suggestions = Paginator(selectors.theme_suggestions_of(request.user), 10).get_page(request.GET.get("page"))
    return render(request, "clusters/theme_suggest.html", {"form": form, "page_obj": suggestions})


@login_required
def theme_suggest(request):
    form = ThemeSuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = form_rate_limit_consume(request, "theme_suggestion")
        if limit.refused:
            form.add_error(None, limit.message)
            return limit.respond(_theme_suggest_page(request, form))
        try:
            services.theme_suggestion_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            limit.rollback()
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. The secretariat will review your suggestion and tell you by e-mail what it decides."),
            )
            return redirect("clusters:suggest")
    return _theme_suggest_page(request, form)


# RFC 8058 one-click unsubscribe: mail providers POST "List-Unsubscribe=One-Click" to the link with no cookie and no
# CSRF token. The signed, expiring token in the address is the proof instead, and all it can do is turn e-mails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The unsubscribe link of a leader's e-mail, without signing in: GET shows the person's e-mail choices and a
    button, POST (the button, or the provider's one-click) turns off e-mails about the clusters the e-mail was about."""
    found = unsubscribe_read(token)
    person = selectors.unsubscribe_person(found.user_id) if found else None
    if person is None:
        return render(request, "clusters/unsubscribe.html", {"invalid": True}, status=404)
    clusters = selectors.clusters_of_unsubscribe_scopes(found.scopes)
    done = False
    if request.method == "POST":
        services.cluster_emails_turn_off(user=person, clusters=clusters)
        done = True
    return render(
        request,
        "clusters/unsubscribe.html",
        {
            "person": person,
            "clusters": clusters,
            "cluster_names": ", ".join(str(cluster.name) for cluster in clusters),
            "choices": selectors.leader_email_choices(person),
            "done": done,
        },
    )
