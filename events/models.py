"""The GCTC and WeGO calendar: events, their agendas, and the people registered for them.

Registration goes through events/services.py only: it locks the event row so the capacity holds under
concurrent requests, and keeps a waiting list that is promoted in order when someone cancels.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabelsMixin
from core.languages import translation_columns
from core.text_limits import texts_within_limits

# Addresses under /events/ that are pages of their own, so no event may use them as its short name.
RESERVED_SLUGS = frozenset({"past", "mine", "feed", "clusters", "registrations"})
AGENDA_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "xlsx"]
AGENDA_MAX_BYTES = 10 * 1024 * 1024
DESCRIPTION_MAX_LENGTH = 10_000


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone. Use a name such as Asia/Seoul or America/New_York."),
            params={"value": value},
        )


def validate_event_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by another page of the portal. Choose another short name."),
            params={"value": value},
        )


def validate_agenda_size(file) -> None:
    if file.size > AGENDA_MAX_BYTES:
        raise ValidationError(
            _("The agenda is larger than %(limit)d MB. Please upload a smaller file."),
            params={"limit": AGENDA_MAX_BYTES // (1024 * 1024)},
        )


class EventQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def dated(self):
        """Events whose date is announced: the only ones a calendar file can hold."""
        return self.filter(date_to_be_announced=False)

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def with_registration_counts(self):
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed")),
            waitlisted_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
        )


class RegistrationState(models.TextChoices):
    """Whether the portal takes registrations for an event right now, and if not, why."""

    NOT_OFFERED = "not_offered", _("Registration is not offered here")
    NOT_YET_OPEN = "not_yet_open", _("Registration opens later")
    OPEN = "open", _("Registration is open")
    CLOSED = "closed", _("Registration is closed")
    PAST = "past", _("The event has taken place")


class Event(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        TECH_JAM = "tech_jam", _("Tech jam")
        EXPO = "expo", _("Expo")
        SUMMIT = "summit", _("Summit")
        MEETING = "meeting", _("Meeting")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=100, unique=True, validators=[validate_event_slug])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    starts_at = models.DateTimeField(
        _("starts"),
        db_index=True,
        help_text=_("While the date is to be announced: the start of the period in which the event is expected."),
    )
    ends_at = models.DateTimeField(
        _("ends"),
        db_index=True,
        help_text=_("While the date is to be announced: the end of that period, after which the event counts as past."),
    )
    # An event announced for a season ("winter 2018") has no date yet: pages say "date to be announced" and the
    # expected period in words, never the placeholder times above, which only order the calendar.
    date_to_be_announced = models.BooleanField(
        _("date to be announced"),
        default=False,
        help_text=_(
            "Tick while the organisers have not announced the date. Pages show the expected period below instead "
            "of the dates, calendar files leave the event out, and nobody can register yet."
        ),
    )
    expected_period = models.CharField(
        _("expected period"),
        max_length=100,
        blank=True,
        help_text=_("In words, as the organisers announced it, for example “Winter 2018”."),
    )
    time_zone = models.CharField(
        _("venue time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, for example Asia/Seoul."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    # Empty while the organisers have not announced where the event takes place.
    city = models.CharField(_("city"), max_length=120, blank=True, help_text=_("Empty: place to be announced."))
    country = CountryField(_("country"), blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    co_located_with = models.CharField(_("co-located with"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    related_clusters = models.ManyToManyField(
        "clusters.Cluster", verbose_name=_("related clusters"), blank=True, related_name="events"
    )
    # A key event of a GCTC round (its kickoff conference, Tech Jam, Expo): listed on the round's page.
    round = models.ForeignKey(
        "clusters.Round",
        verbose_name=_("GCTC round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_events",
        help_text=_("Fill in for the kickoff conference, Tech Jam or Expo of a GCTC round."),
    )
    agenda = models.FileField(
        _("agenda"),
        upload_to="events/agendas/",
        blank=True,
        validators=[FileExtensionValidator(AGENDA_EXTENSIONS), validate_agenda_size],
        help_text=_("A PDF or office document that anyone can download from the event page."),
    )
    external_url = models.URLField(_("external link"), blank=True)
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty when people do not register through the portal (for example on the external link)."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: registration closes when the event starts."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many people can register, in person and online together. Later registrations join the waiting "
            "list. Empty: no limit."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = EventQuerySet.as_manager()

    # Every change of every field, with who made it (shown in admin's "History"). Submissions already use
    # `history` for their review trail, so the field-level record is `change_history` on every model.
    # The per-language columns (name_ko...) come from django-modeltranslation; the history keeps English.
    change_history = HistoricalRecords(
        excluded_fields=translation_columns("name", "description", "expected_period", "host", "co_located_with")
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("The event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__isnull=True)
                | models.Q(registration_opens_at__isnull=True)
                | models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_it_opens",
                violation_error_message=_("Registration cannot close before it opens."),
            ),
            texts_within_limits(
                description=DESCRIPTION_MAX_LENGTH,
                **dict.fromkeys(translation_columns("description"), DESCRIPTION_MAX_LENGTH),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # django-modeltranslation writes the untranslated column (and simple-history records it) in the active
        # language; saving in English keeps that column, and the change history, English whoever saves.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.date_to_be_announced and not self.expected_period.strip():
            raise ValidationError(
                {
                    "expected_period": _(
                        "Say when the event is expected, for example “Winter 2018”, or untick “date to be announced”."
                    )
                }
            )
        if self.date_to_be_announced and self.registration_opens_at:
            raise ValidationError(
                {
                    "registration_opens_at": _(
                        "People cannot register for an event whose date is to be announced. Leave the registration "
                        "dates empty until the date is known."
                    )
                }
            )
        if self.registration_closes_at and not self.registration_opens_at:
            raise ValidationError(
                {"registration_opens_at": _("Say when registration opens, or leave both registration dates empty.")}
            )
        if self.registration_opens_at and self.starts_at and self.registration_opens_at >= self.starts_at:
            raise ValidationError({"registration_opens_at": _("Registration must open before the event starts.")})
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            raise ValidationError({"registration_closes_at": _("Registration cannot close after the event has ended.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> dt.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> dt.datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def location(self) -> str:
        """Venue, city and country as far as they are known; empty while the place is to be announced."""
        return ", ".join(part for part in (self.venue, self.city, self.country.name if self.country else "") if part)

    @property
    def place(self) -> str:
        """City and country as far as they are known; empty while the place is to be announced."""
        return ", ".join(part for part in (self.city, self.country.name if self.country else "") if part)

    @property
    def registration_deadline(self) -> dt.datetime:
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now: dt.datetime | None = None) -> RegistrationState:
        now = now or timezone.now()
        if self.date_to_be_announced:  # not even known to have taken place
            return RegistrationState.NOT_OFFERED
        if self.ends_at < now:
            return RegistrationState.PAST
        if self.registration_opens_at is None:
            return RegistrationState.NOT_OFFERED
        if now < self.registration_opens_at:
            return RegistrationState.NOT_YET_OPEN
        if now >= self.registration_deadline:
            return RegistrationState.CLOSED
        return RegistrationState.OPEN

    @property
    def places_left(self) -> int | None:
        """Free places; None when there is no limit. Needs EventQuerySet.with_registration_counts()."""
        return None if self.capacity is None else max(self.capacity - self.confirmed_count, 0)


class Registration(ChoiceLabelsMixin, models.Model):
    """One person's registration for an event, on behalf of their organisation.

    A cancelled registration stays as history; the person may register again with a new row.
    """

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    waitlist_position = models.PositiveIntegerField(
        _("waiting list order"), null=True, blank=True, help_text=_("Lower numbers are promoted first.")
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_active_registration_per_person_and_event",
                violation_error_message=_("This person is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="waitlisted", waitlist_position__isnull=False)
                | ~models.Q(status="waitlisted"),
                name="waitlisted_registration_has_a_position",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "waitlist_position"]),
            # The back office lists registrations newest first.
            models.Index(fields=["created_at"], name="registration_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED
