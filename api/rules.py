"""Who may manage an organisation's API tokens: its administrators, as on its other pages."""

import rules

from accounts.rules import is_organisation_admin


@rules.predicate
def can_manage_tokens(user, organisation) -> bool:
    return organisation is not None and is_organisation_admin(user, organisation)


rules.add_rule("api.manage_tokens", can_manage_tokens)
