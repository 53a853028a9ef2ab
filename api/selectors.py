"""Reads of organisation tokens."""

from django.db.models import QuerySet

from .models import OrganisationToken


def tokens_of(organisation) -> QuerySet[OrganisationToken]:
    """The organisation's tokens, the newest first, with who made and who revoked each (one query)."""
    return OrganisationToken.objects.filter(
        organisation=organisation, kind=OrganisationToken.Kind.ORGANISATION
    ).select_related("created_by", "revoked_by")


def staff_tokens_of(user) -> QuerySet[OrganisationToken]:
    """A staff member's own staff tokens, the newest first (one query)."""
    return OrganisationToken.objects.filter(kind=OrganisationToken.Kind.STAFF, created_by=user).select_related(
        "created_by", "revoked_by"
    )
