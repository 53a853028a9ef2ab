"""Organisation tokens: personal access tokens with which an organisation's administrator lets a program use the
API for the organisation, as that administrator, with no more than they may do on the web pages.

A staff token (`kind` staff) is a staff member's own, for no organisation and read-only: with it a program reads
what the back office exports, as far as that person may (api/staff.py).

A token is shown once, when it is made; only its SHA-256 digest is kept (a token is 256 random bits, so a
digest cannot be reversed by guessing), with its first characters to recognise it in the list.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabelsMixin


class OrganisationToken(ChoiceLabelsMixin, models.Model):
    class Access(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation token")
        STAFF = "staff", _("Staff token")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    # Empty for a staff token, which belongs to no organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        null=True,
        blank=True,
    )
    # The token acts as this person: it dies with their account, and stops working when they stop administering
    # the organisation (api/authentication.py).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, such as “City website”."))
    access = models.CharField(_("access"), max_length=20, choices=Access.choices, default=Access.READ)
    prefix = models.CharField(_("starts with"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An organisation token has its organisation; a staff token has none and only reads.
            models.CheckConstraint(
                condition=models.Q(kind="organisation", organisation__isnull=False)
                | models.Q(kind="staff", organisation__isnull=True, access="read"),
                name="api_token_kind_matches_organisation_and_access",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def is_staff_token(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def may_write(self) -> bool:
        return self.access == self.Access.READ_WRITE
