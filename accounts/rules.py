"""Who may do what with organisations: named predicates used by services, views, templates and tests."""

import rules


@rules.predicate
def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


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


@rules.predicate
def can_decide_membership(user, membership) -> bool:
    return is_staff(user) or is_organisation_admin(user, membership.organisation)


rules.add_perm("accounts.view_organisation", is_staff | is_organisation_member)
rules.add_perm("accounts.change_organisation", is_staff | is_organisation_admin)
rules.add_perm("accounts.decide_membership", can_decide_membership)
