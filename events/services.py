"""Writes about event registrations: register, cancel, and the waiting list's promotions.

Every function locks the event row (SELECT ... FOR UPDATE) before it counts confirmed registrations, so
two people registering at the same moment for the last place are served one after the other and the
capacity is never exceeded. E-mails are queued in the same transaction and leave after commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.services import email_queue

from .calendar import event_ics, event_ics_filename
from .models import Event, Registration, RegistrationState
from .rules import can_cancel_registration, has_active_organisation

# The calendar file's METHOD (events/calendar.py) is repeated in its type, as RFC 6047 asks of calendar e-mail.
ICS_MIMETYPE = "text/calendar; method=PUBLISH"


def registration_refusal(event: Event) -> str | None:
    """Why the portal does not take a registration for `event` now, in words a city official understands."""
    state = event.registration_state()
    names = {"event": event.name}
    if state == RegistrationState.PAST:
        return _("%(event)s has already taken place, so registration is closed.") % names
    if state == RegistrationState.NOT_OFFERED:
        if event.date_to_be_announced:
            return _("The date of %(event)s is to be announced; registration can open once it is known.") % names
        if event.external_url:
            return _("The portal does not take registrations for %(event)s. See the event's own website.") % names
        return _("Registration for %(event)s has not been announced yet.") % names
    if state == RegistrationState.NOT_YET_OPEN:
        opens = date_format(event.registration_opens_at.astimezone(event.zone), "DATETIME_FORMAT")
        return _("Registration for %(event)s opens on %(opens)s (venue time).") % {**names, "opens": opens}
    if state == RegistrationState.CLOSED:
        closed = date_format(event.registration_deadline.astimezone(event.zone), "DATETIME_FORMAT")
        return _("Registration for %(event)s closed on %(closed)s (venue time).") % {**names, "closed": closed}
    return None


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _ics_attachment(event: Event) -> tuple[str, bytes, str]:
    return (event_ics_filename(event), event_ics(event), ICS_MIMETYPE)


def _email(registration: Registration, template: str, key: str, *, with_calendar: bool = False, **context) -> None:
    event = registration.event
    email_queue(
        user=registration.user,
        template=template,
        context={"registration": registration, "event": event, **context},
        dedup_key=f"{key}:{registration.pk}",
        thread=f"registration-{registration.pk}",
        attachments=[_ics_attachment(event)] if with_calendar else (),
    )


@transaction.atomic
def registration_create(*, event: Event, user: User, attendance: str) -> Registration:
    """Register `user` for `event`: confirmed while places are left, else on the waiting list."""
    if not has_active_organisation(user):
        raise PermissionDenied(
            _("People register for events as members of their organisation. Set up your organisation first.")
        )
    if attendance not in Registration.Attendance.values:
        raise ValidationError(_("Please choose whether you will attend in person or online."))
    event = _locked_event(event)
    refusal = registration_refusal(event)
    if refusal:
        raise ValidationError(refusal)
    if event.registrations.filter(user=user, status__in=Registration.ACTIVE_STATUSES).exists():
        raise ValidationError(_("You are already registered for %(event)s.") % {"event": event.name})
    confirmed = event.capacity is None or _confirmed_count(event) < event.capacity
    fields = {"status": Registration.Status.CONFIRMED}
    if not confirmed:
        last = event.registrations.aggregate(last=Max("waitlist_position"))["last"] or 0
        fields = {"status": Registration.Status.WAITLISTED, "waitlist_position": last + 1}
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event, user=user, organisation=user.organisation, attendance=attendance, **fields
            )
    except IntegrityError as exc:  # the same person registering twice at once; the event lock makes it rare
        raise ValidationError(_("You are already registered for %(event)s.") % {"event": event.name}) from exc
    if registration.is_confirmed:
        _email(registration, "event_registration_confirmed", "event-registration-confirmed", with_calendar=True)
    else:
        rank = event.registrations.filter(status=Registration.Status.WAITLISTED).count()
        _email(registration, "event_registration_waitlisted", "event-registration-waitlisted", rank=rank)
    return registration


def _promote_waiting_list(event: Event) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. The caller holds the event lock."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _confirmed_count(event)
        if free <= 0:
            return []
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("waitlist_position", "pk")
    promoted = list(waiting.select_related("user", "event")[:free] if free is not None else waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_position = None
        registration.promoted_at = now
        registration.event = event
        registration.save(update_fields=["status", "waitlist_position", "promoted_at"])
        _email(registration, "event_registration_promoted", "event-registration-promoted", with_calendar=True)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> list[Registration]:
    """Cancel a registration; a freed place goes to the first person on the waiting list, who is e-mailed.

    Returns the registrations promoted from the waiting list.
    """
    if not can_cancel_registration(by, registration):
        raise PermissionDenied(_("Only the person who registered can cancel this registration."))
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().select_related("user").get(pk=registration.pk)
    registration.event = event
    if registration.is_cancelled:
        raise ValidationError(_("This registration was already cancelled."))
    if event.is_past:
        raise ValidationError(_("%(event)s has already taken place.") % {"event": event.name})
    was_confirmed = registration.is_confirmed
    registration.status = Registration.Status.CANCELLED
    registration.waitlist_position = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "waitlist_position", "cancelled_at"])
    _email(registration, "event_registration_cancelled", "event-registration-cancelled")
    if not was_confirmed:
        return []
    return _promote_waiting_list(event)


@transaction.atomic
def event_fill_from_waiting_list(*, event: Event) -> list[Registration]:
    """After the secretariat raises the capacity: promote as many waiting people as now fit."""
    event = _locked_event(event)
    if event.is_past:
        return []
    return _promote_waiting_list(event)
