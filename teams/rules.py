"""Who may do what with teams: named predicates used by services, views, templates and tests.

The teams the user's organisation takes part in (and how) are read once per request and kept on the user object,
so a page that tests several permissions keeps a constant number of queries.
"""

import rules

from accounts.rules import is_organisation_admin, is_organisation_member, staff_holding

# Applications a city may turn into a team: sent to the secretariat and not declined or withdrawn.
TEAM_READY_STATUSES = frozenset({"submitted", "under_review", "accepted"})

staff_may_view_teams = staff_holding("teams.view_team")
staff_may_change_teams = staff_holding("teams.change_team")
staff_may_add_teams = staff_holding("teams.add_team")


def team_states(user) -> dict[int, str]:
    """{team id: state} of the open memberships (invited, asked, active) of the user's organisation."""
    if not user or not user.is_authenticated or user.organisation is None:
        return {}
    if not hasattr(user, "_team_states"):
        user._team_states = dict(
            user.organisation.team_memberships.filter(state__in=["invited", "asked", "active"]).values_list(
                "team_id", "state"
            )
        )
    return user._team_states


def _organisation(user):
    return user.organisation if user and user.is_authenticated else None


@rules.predicate
def is_team_lead(user, team) -> bool:
    """An administrator of the team's lead organisation."""
    return team is not None and is_organisation_admin(user, team.lead_organisation)


@rules.predicate
def is_team_member(user, team) -> bool:
    """The user acts for an organisation that is an active member of the team (the lead is one)."""
    return team is not None and team_states(user).get(team.pk) == "active"


@rules.predicate
def acts_for_verified_organisation(user) -> bool:
    organisation = _organisation(user)
    return organisation is not None and organisation.is_verified


@rules.predicate
def is_not_in_team(user, team) -> bool:
    return team is not None and team.pk not in team_states(user)


@rules.predicate
def is_current_team(user, team) -> bool:
    return team is not None and team.merged_into_id is None


@rules.predicate
def can_form_team_from(user, application) -> bool:
    """An administrator of the city that sent the application, or the secretariat."""
    if application is None or application.status not in TEAM_READY_STATUSES:
        return False
    return is_organisation_admin(user, application.organisation) or staff_may_add_teams(user)


can_edit_team = is_current_team & (is_team_lead | staff_may_change_teams)
can_see_team_contacts = is_team_member | staff_may_view_teams
can_ask_to_join_team = is_current_team & acts_for_verified_organisation & is_not_in_team
can_invite_to_team = is_current_team & is_team_lead


@rules.predicate
def can_decide_team_request(user, membership) -> bool:
    """The team's lead decides on a request to join."""
    return membership.state == "asked" and is_team_lead(user, membership.team)


@rules.predicate
def can_answer_team_invitation(user, membership) -> bool:
    """The invited organisation's people accept or decline."""
    return membership.state == "invited" and is_organisation_member(user, membership.organisation)


@rules.predicate
def can_leave_team(user, membership) -> bool:
    """An active member leaves; the lead organisation cannot leave its own team."""
    return (
        membership.state == "active"
        and membership.organisation_id != membership.team.lead_organisation_id
        and is_organisation_member(user, membership.organisation)
    )


rules.add_rule("teams.form_from_application", can_form_team_from)
rules.add_rule("teams.edit", can_edit_team)
rules.add_rule("teams.see_contacts", can_see_team_contacts)
rules.add_rule("teams.ask_to_join", can_ask_to_join_team)
rules.add_rule("teams.invite", can_invite_to_team)
rules.add_rule("teams.decide_request", can_decide_team_request)
rules.add_rule("teams.answer_invitation", can_answer_team_invitation)
rules.add_rule("teams.leave", can_leave_team)
