"""Who is signed in, read with what nearly every page asks of them next (wego_portal/authentication.py)."""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, FilteredRelation, OuterRef, Q

from .models import OrganisationMembership, User


def signed_in_people():
    """Users with their active organisation membership and its organisation (`User.active_membership`, None
    without one: a person has at most one, a constraint says so) and whether they activated an authenticator
    app (`accounts.rules.has_authenticator_app`), read in the same query."""
    return (
        User.objects.annotate(
            _active_membership=FilteredRelation(
                "organisation_memberships",
                condition=Q(organisation_memberships__status=OrganisationMembership.Status.ACTIVE),
            ),
            _has_authenticator_app=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
        )
        .select_related("_active_membership__organisation")
        .order_by()
    )
