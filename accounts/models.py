"""People and the organisations they act for.

A user logs in with an e-mail address and belongs to at most one organisation (a city, a company, a
nonprofit, a university...). Joining an existing organisation is a request that the organisation's
administrators or the secretariat approve; creating one makes the creator its administrator.
"""

import functools
import zoneinfo

from disarm import skeleton_key
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabelsMixin
from core.text_limits import texts_within_limits


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_digest_hour() -> int:
    return settings.DIGEST_HOUR


@functools.cache
def time_zone_names() -> list[str]:
    """Every IANA zone name (Asia/Seoul, America/New_York) this machine's tz database knows, sorted."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid_time_zone")


def organisation_name_skeleton(name: str) -> str:
    """What a name looks like, for finding look-alikes: its Unicode TR39 confusable skeleton (a Cyrillic
    capital Es reads as a Latin "C", full-width letters as plain ones), without case, spaces or punctuation."""
    skeleton = skeleton_key(name.casefold())
    return "".join(character for character in skeleton if character.isalnum()) or skeleton


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The portal and its e-mails use this language."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Event times are also shown in this time zone, beside the venue's local time."),
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("daily digest at"),
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        default=default_digest_hour,
        help_text=_("Cluster leaders who chose a daily digest receive it at this hour, in their time zone."),
    )
    is_staff = models.BooleanField(
        _("secretariat staff"), default=False, help_text=_("Can sign in to the secretariat's back office.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def active_membership(self) -> "OrganisationMembership | None":
        """The user's approved membership, cached on the instance for the request."""
        if not hasattr(self, "_active_membership"):
            self._active_membership = (
                self.organisation_memberships.filter(status=OrganisationMembership.Status.ACTIVE)
                .select_related("organisation")
                .first()
            )
        return self._active_membership

    @property
    def organisation(self) -> "Organisation | None":
        membership = self.active_membership
        return membership.organisation if membership else None


class Organisation(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City or local government")
        COMPANY = "company", _("Company")
        NONPROFIT = "nonprofit", _("Nonprofit")
        ACADEMIA = "academia", _("Academia")
        INVESTOR = "investor", _("Investor")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    # Kept by save(); two organisations in one country must not share it (see clean()).
    name_skeleton = models.CharField(_("name as it looks"), max_length=600, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_wego_member = models.BooleanField(_("WeGO member"), default=False)
    is_verified = models.BooleanField(
        _("verified by the secretariat"),
        default=False,
        db_index=True,
        help_text=_("The secretariat has confirmed that this organisation is who it says it is."),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    # Every change of every field, with who made it (shown in admin's "History"). Submissions already use
    # `history` for their review trail, so the field-level record is `change_history` on every model.
    change_history = HistoricalRecords(excluded_fields=["name_skeleton"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="organisation_unique_name_per_country",
                violation_error_message=_("An organisation with this name already exists in this country."),
            )
        ]
        indexes = [models.Index(fields=["country", "name_skeleton"], name="organisation_lookalike")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_skeleton = organisation_name_skeleton(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_skeleton"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse a name that looks like one already registered in the same country: "Demo City" spelt
        with a Cyrillic capital Es, "DEMO CITY" or "Demo-City" next to "Demo City"."""
        super().clean()
        if not self.name or not self.country:
            return
        existing = (
            Organisation.objects.filter(country=self.country, name_skeleton=organisation_name_skeleton(self.name))
            .exclude(pk=self.pk)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            label = f"“{existing.name}”" + (f" ({existing.city})" if existing.city else "")
            if self.pk:
                message = _(
                    "%(existing)s is already registered in this country, and this name looks the same. Keep your "
                    "organisation's name, or enter its full official name. If both are the same organisation, ask "
                    "the WeGO secretariat to merge them."
                )
            else:
                message = _(
                    "%(existing)s is already registered in this country. Ask to join it instead of creating it "
                    "again: choose “Find my organisation” and search for its name. If yours is a different "
                    "organisation, enter its full official name."
                )
            raise ValidationError(
                {"name": message % {"existing": label}},
                code="lookalike_name",
            )

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.country.name) if part)

    @property
    def verification_notice(self) -> str:
        """What its people are told about a submission or a join request held until the secretariat verifies it."""
        return _(
            "Waiting for the secretariat to verify %(organisation)s; the cluster's leaders see it once it is "
            "verified, usually within %(days)s working days."
        ) % {"organisation": self.name, "days": settings.VERIFICATION_WORKING_DAYS}


class OrganisationMembership(ChoiceLabelsMixin, models.Model):
    """A user's link to an organisation: requested, then approved (active) or declined; an active membership ends
    when the person leaves or an administrator removes them. Ended rows stay, so the history shows who was there."""

    class Role(models.TextChoices):
        CONTACT = "contact", _("Contact")
        ADMIN = "admin", _("Administrator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTACT)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("message to the administrators"), max_length=1000, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("note"), max_length=1000, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        ordering = ["-requested_at"]
        constraints = [
            # One organisation per person: a pending request or an active membership, never two.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["pending", "active"]),
                name="one_open_membership_per_user",
                violation_error_message=_("You already belong to an organisation or have asked to join one."),
            ),
            texts_within_limits(message=1000, decision_note=1000),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_status_display()})"

    @property
    def is_admin(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.ADMIN
