"""Writes of organisation tokens: made (shown once), revoked, recognised on a request."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OrganisationToken
from .rules import can_make_staff_tokens, can_manage_tokens, can_revoke_token

TOKEN_START = "wego_"
PREFIX_LENGTH = 12
# How often a token's "last used" is written: once a minute at most, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, by, name: str, access: str, valid_days: int) -> tuple[OrganisationToken, str]:
    """A new token for the organisation `by` administers; returns it with its secret, which is never kept."""
    organisation = by.organisation
    if not can_manage_tokens(by, organisation):
        raise PermissionDenied(_("Only an administrator of your organisation can create API tokens."))
    return _token_new(by=by, name=name, access=access, valid_days=valid_days, organisation=organisation)


def staff_token_create(*, by, name: str, valid_days: int) -> tuple[OrganisationToken, str]:
    """A read-only staff token of `by` (staff with the second factor); returns it with its secret."""
    if not can_make_staff_tokens(by):
        raise PermissionDenied(
            _("Only staff members who have activated two-factor authentication can create staff tokens.")
        )
    return _token_new(
        by=by, name=name, access=OrganisationToken.Access.READ, valid_days=valid_days, kind=OrganisationToken.Kind.STAFF
    )


def _token_new(*, by, name: str, access: str, valid_days: int, **fields) -> tuple[OrganisationToken, str]:
    raw = TOKEN_START + secrets.token_urlsafe(32)
    token = OrganisationToken.objects.create(
        created_by=by,
        name=name,
        access=access,
        prefix=raw[:PREFIX_LENGTH],
        key_hash=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=valid_days),
        **fields,
    )
    return token, raw


def token_revoke(*, token: OrganisationToken, by) -> OrganisationToken:
    """Revoke at once; a revoked token stays listed, with who revoked it and when."""
    with transaction.atomic():
        locked = OrganisationToken.objects.select_for_update().get(pk=token.pk)
        if not can_revoke_token(by, locked):
            raise PermissionDenied(_("Only an administrator of the organisation can revoke its API tokens."))
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = by
            locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def token_used(token: OrganisationToken) -> None:
    """Record the token's use, at most once per LAST_USED_RESOLUTION (a cheap conditional update)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        OrganisationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
