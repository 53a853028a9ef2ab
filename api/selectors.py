"""Reads of organisation tokens."""

from django.db.models import QuerySet

from .models import OrganisationToken


def tokens_of(organisation) -> QuerySet[OrganisationToken]:
    """The organisation's tokens, the newest first, with who made and who revoked each (one query)."""
    return OrganisationToken.objects.filter(organisation=organisation).select_related("created_by", "revoked_by")
