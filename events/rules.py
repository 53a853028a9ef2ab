"""Who may do what with events and registrations: named predicates for services, views and templates."""

import rules

from accounts.rules import is_staff


@rules.predicate
def has_active_organisation(user) -> bool:
    """People register for events as members of their organisation."""
    return bool(user and user.is_authenticated and user.active_membership is not None)


@rules.predicate
def is_registrant(user, registration) -> bool:
    return bool(user and user.is_authenticated and registration is not None and registration.user_id == user.pk)


@rules.predicate
def can_cancel_registration(user, registration) -> bool:
    return is_registrant(user, registration) or is_staff(user)


rules.add_perm("events.cancel_registration", can_cancel_registration)
rules.add_rule("events.can_register", has_active_organisation)
