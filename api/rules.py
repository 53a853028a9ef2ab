"""Who may manage API tokens: an organisation's, its administrators, as on its other pages; a staff token, the
staff member who made it, with the second factor, as every staff power (accounts/rules.py)."""

import rules

from accounts.rules import is_organisation_admin, staff_holding

# Any staff member with the second factor makes their own staff tokens; what a token reads is then checked, on
# every request, against the back office permission of each export (api/staff.py).
can_make_staff_tokens = staff_holding()


@rules.predicate
def can_manage_tokens(user, organisation) -> bool:
    return organisation is not None and is_organisation_admin(user, organisation)


@rules.predicate
def can_revoke_token(user, token) -> bool:
    if token.is_staff_token:
        return token.created_by_id == getattr(user, "pk", None) and can_make_staff_tokens(user)
    return can_manage_tokens(user, token.organisation)


rules.add_rule("api.manage_tokens", can_manage_tokens)
rules.add_rule("api.make_staff_tokens", can_make_staff_tokens)
rules.add_rule("api.revoke_token", can_revoke_token)
