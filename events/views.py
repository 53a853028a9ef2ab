"""The calendar pages, registration and cancellation, calendar files and agendas.

Thin: parse the form, call a service, choose the response. Refusals the person can act on (registration
closed, already registered) come back as messages on the event page; actions on someone else's
registration answer 404, so registrations cannot be probed.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.models import Cluster
from core.caches import cache_public_page
from core.errors import forbidden

from . import selectors, services
from .calendar import calendar_ics, event_ics, event_ics_filename
from .forms import RegistrationForm
from .models import Event, Registration, RegistrationState
from .rules import has_active_organisation

EVENTS_PAGE_SIZE = 20
MY_EVENTS_PAGE_SIZE = 20
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _event_list(request, events, *, template_context: dict):
    page = Paginator(events, EVENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/event_list.html", {"page_obj": page, **template_context})


@cache_public_page("events")
def upcoming(request):
    return _event_list(
        request,
        selectors.upcoming_events(),
        template_context={"heading": _("Upcoming events"), "showing": "upcoming"},
    )


@cache_public_page("events")
def past(request):
    return _event_list(
        request, selectors.past_events(), template_context={"heading": _("Past events"), "showing": "past"}
    )


@cache_public_page("events")
def cluster_events(request, slug: str):
    cluster = get_object_or_404(Cluster, slug=slug)
    return _event_list(
        request,
        selectors.cluster_events(cluster),
        template_context={
            "heading": _("Events of %(cluster)s") % {"cluster": cluster.name},
            "showing": "cluster",
            "cluster": cluster,
        },
    )


def _event_page(request, event: Event, *, form: RegistrationForm | None = None):
    registration = selectors.own_registration(event=event, user=request.user)
    active = registration if registration is not None and not registration.is_cancelled else None
    context = {
        "event": event,
        "registration": registration,
        "active_registration": active,
        "waitlist_rank": selectors.waitlist_rank(active) if active else None,
        "places_left": event.places_left,
        "registration_open": event.registration_state() == RegistrationState.OPEN,
        "refusal": services.registration_refusal(event),
        "can_register": has_active_organisation(request.user),
        "form": form or RegistrationForm(),
        "clusters": list(event.related_clusters.all()),
    }
    return render(request, "events/event_detail.html", context)


@cache_public_page("events")
def event_detail(request, slug: str):
    return _event_page(request, get_object_or_404(selectors.event_for_page(slug)))


@login_required
@require_POST
def register(request, slug: str):
    event = get_object_or_404(selectors.event_for_page(slug))
    if not has_active_organisation(request.user):
        return forbidden(
            request,
            _(
                "People register for events as members of their organisation. Register your organisation, "
                "or ask to join it, first."
            ),
            link=(reverse("accounts:organisation_start"), _("Set up your organisation")),
        )
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _event_page(request, event, form=form)
    try:
        registration = services.registration_create(
            event=event, user=request.user, attendance=form.cleaned_data["attendance"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    names = {"event": event.name}
    if registration.is_confirmed:
        messages.success(
            request,
            _("You are registered for %(event)s. A confirmation with a calendar file is on its way by e-mail.") % names,
        )
    else:
        messages.warning(
            request,
            _("%(event)s is full, so you are on the waiting list. You will get an e-mail if a place becomes free.")
            % names,
        )
    return redirect(event)


@login_required
@require_POST
def cancel(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("event", "user"), pk=pk)
    if not rules.test_rule("events.cancel_registration", request.user, registration):
        raise Http404
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request, _("Your registration for %(event)s is cancelled.") % {"event": registration.event.name}
        )
    return redirect(registration.event)


@login_required
def mine(request):
    page = Paginator(selectors.registrations_of(request.user), MY_EVENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/my_events.html", {"page_obj": page})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_calendar(request, slug: str):
    # An event whose date is to be announced has nothing a calendar program could hold.
    event = get_object_or_404(Event.objects.dated(), slug=slug)
    return _ics_response(event_ics(event), event_ics_filename(event))


def upcoming_feed(request):
    return _ics_response(
        calendar_ics(Event.objects.upcoming().dated(), name=_("WeGO and GCTC events")), "wego-upcoming-events.ics"
    )


def agenda(request, slug: str):
    """Agendas are public; they are served through this view because uploaded files have no public address."""
    event = get_object_or_404(Event, slug=slug)
    if not event.agenda:
        raise Http404
    try:
        handle = event.agenda.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = event.agenda.name.rsplit(".", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=f"{event.slug}-agenda.{extension}")
