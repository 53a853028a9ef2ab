"""Who may do what with events and registrations: named predicates for services, views and templates."""

import rules

from accounts.rules import staff_holding

# The back office's permission for the same work (accounts/migrations/0003_staff_group.py).
staff_may_change_registrations = staff_holding("events.change_registration")


@rules.predicate
def has_active_organisation(user) -> bool:
    """People register for events as members of their organisation."""
    return bool(user and user.is_authenticated and user.active_membership is not None)


@rules.predicate
def is_registrant(user, registration) -> bool:
    return bool(user and user.is_authenticated and registration is not None and registration.user_id == user.pk)


@rules.predicate
def can_cancel_registration(user, registration) -> bool:
    return is_registrant(user, registration) or staff_may_change_registrations(user)


# A rule, not a permission: Django grants every permission to superusers, second factor or not.
rules.add_rule("events.cancel_registration", can_cancel_registration)
rules.add_rule("events.can_register", has_active_organisation)
