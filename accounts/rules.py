"""Who may do what with organisations, and what a staff power takes: named predicates used by services, views,
templates, the back office and tests.

A staff power (reading other organisations' drafts and files, deciding, publishing...) takes three things, on every
page that offers it as in the back office: a staff account, the second factor (an activated authenticator app,
with settings.ADMIN_REQUIRE_MFA) and the Django model permission the back office asks for the same work.
`staff_holding(permission)` is that predicate; `needs_two_factor` is the one test the admin gate uses too.

Portal rules are registered with `rules.add_rule` and tested with `rules.test_rule` (or the `test_rule` template
tag), never with `user.has_perm`: Django answers `has_perm` True for any superuser before asking any rule, which
would skip the second factor.
"""

import rules
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

_model_permissions = ModelBackend()


def has_authenticator_app(user) -> bool:
    """The person activated an authenticator app (TOTP), so signing in asked them for its code.

    Read once per request and kept on the user object, as the led clusters are."""
    if not hasattr(user, "_has_authenticator_app"):
        user._has_authenticator_app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return user._has_authenticator_app


def needs_two_factor(user) -> bool:
    """A staff member who must activate an authenticator app before any staff power, in the back office or not."""
    return bool(
        settings.ADMIN_REQUIRE_MFA
        and user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not has_authenticator_app(user)
    )


def was_refused_for_two_factor(user) -> bool:
    """During this request, a staff power was refused to `user` only because the second factor is missing."""
    return getattr(user, "_refused_for_two_factor", False)


def staff_holding(*permissions: str) -> rules.Predicate:
    """A staff member who passed two-factor and holds every one of these Django model permissions ("app.codename",
    as the back office checks them; superusers hold them all)."""

    def check(user) -> bool:
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if not all(_model_permissions.has_perm(user, permission) for permission in permissions):
            return False
        if needs_two_factor(user):
            # Remembered for this request: a refusal that follows is explained (accounts/middleware.py).
            user._refused_for_two_factor = True
            return False
        return True

    return rules.predicate(check, name=f"staff_holding({', '.join(permissions)})")


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if not user or not user.is_authenticated or organisation is None:
        return False
    membership = user.active_membership
    return membership is not None and membership.organisation_id == organisation.pk


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if not is_organisation_member(user, organisation):
        return False
    return user.active_membership.is_admin


# The back office's permissions for the same work (accounts/migrations/0003_staff_group.py gives them to the
# "Secretariat staff" group).
staff_may_view_organisations = staff_holding("accounts.view_organisation")
staff_may_change_organisations = staff_holding("accounts.change_organisation")
staff_may_decide_memberships = staff_holding("accounts.change_organisationmembership")
staff_may_merge_organisations = staff_holding("accounts.change_organisation", "accounts.delete_organisation")


def has_public_profile(organisation) -> bool:
    """Anyone may read an organisation's public profile (and follow links to it) once the secretariat has verified
    it: until then it may not be who it says it is, and no page of the portal speaks for it. What the profile lists
    is public anyway (active cluster memberships, published cases, approved solutions)."""
    return organisation is not None and organisation.is_verified


@rules.predicate
def can_decide_membership(user, membership) -> bool:
    return staff_may_decide_memberships(user) or is_organisation_admin(user, membership.organisation)


@rules.predicate
def can_manage_membership(user, membership) -> bool:
    """Promote, demote or remove a person: the secretariat, or an administrator of the same organisation."""
    return staff_may_decide_memberships(user) or is_organisation_admin(user, membership.organisation)


rules.add_rule("accounts.view_organisation", staff_may_view_organisations | is_organisation_member)
rules.add_rule("accounts.change_organisation", staff_may_change_organisations | is_organisation_admin)
rules.add_rule("accounts.decide_membership", can_decide_membership)
rules.add_rule("accounts.manage_membership", can_manage_membership)
rules.add_rule("accounts.verify_organisation", staff_may_change_organisations)
rules.add_rule("accounts.merge_organisations", staff_may_merge_organisations)
