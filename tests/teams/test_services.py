"""Teams' writes: forming a team from an application, asking, deciding, inviting, leaving, merging; bad input
changes nothing and says why; every step e-mails the other side in their language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import OutboundEmail
from teams import services
from teams.models import OpenRole, Team, TeamMembership
from tests.factories import (
    ClusterFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    SubmittedApplicationFactory,
    UserFactory,
)
from tests.teams.factories import OpenRoleFactory, RoundFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _admin_of(organisation, **user):
    return OrganisationMembershipFactory(
        organisation=organisation, role="admin", **{f"user__{k}": v for k, v in user.items()}
    ).user


def _company_person(**organisation):
    return OrganisationMembershipFactory(
        organisation__kind="company", **{f"organisation__{k}": v for k, v in organisation.items()}
    ).user


def test_city_forms_a_team_from_its_submitted_application_and_sought_partners_become_open_roles():
    leader = UserFactory(preferred_language="ko")
    cluster = ClusterFactory(leaders=[leader])
    application = SubmittedApplicationFactory(cluster=cluster)
    application.partners_sought.create(kind="company", expertise="LoRaWAN sensors")
    application.partners_sought.create(kind="academia", expertise="Evaluation")
    official = _admin_of(application.organisation)
    gctc = RoundFactory()

    team = services.team_form_from_application(application=application, by=official, name="Lighting", round=gctc)

    assert (team.lead_organisation, team.cluster, team.round) == (application.organisation, cluster, gctc)
    assert sorted(team.open_roles.values_list("role", flat=True)) == ["research", "technology"]
    assert team.memberships.get().state == "active"
    application.refresh_from_db()
    assert application.round == gctc
    email = OutboundEmail.objects.get(recipient=leader.email)
    assert "Lighting" in email.subject and email.language == "ko"


def test_a_draft_application_cannot_become_a_team():
    application = ProjectApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.team_form_from_application(
            application=application, by=_admin_of(application.organisation), name="X", round=RoundFactory()
        )
    assert not Team.objects.exists()


def test_a_second_team_for_the_same_application_is_refused():
    application = SubmittedApplicationFactory()
    official = _admin_of(application.organisation)
    services.team_form_from_application(application=application, by=official, name="A", round=RoundFactory())
    with pytest.raises(ValidationError, match="already works on this project"):
        services.team_form_from_application(application=application, by=official, name="B", round=RoundFactory())
    assert Team.objects.count() == 1


def test_asking_to_join_emails_the_leads_administrators():
    role = OpenRoleFactory()
    lead_admin = _admin_of(role.team.lead_organisation, preferred_language="es")
    person = _company_person()

    membership = services.team_join_ask(open_role=role, by=person, message="We build sensors.")

    assert (membership.state, membership.role, membership.open_role) == ("asked", "technology", role)
    email = OutboundEmail.objects.get(recipient=lead_admin.email)
    assert email.language == "es"


def test_an_unverified_organisation_cannot_ask():
    role = OpenRoleFactory()
    person = _company_person(is_verified=False)
    with pytest.raises(ValidationError, match="not verified"):
        services.team_join_ask(open_role=role, by=person, message="Hello")
    assert not TeamMembership.objects.filter(state="asked").exists()


def test_a_second_request_for_the_same_team_is_refused():
    role = OpenRoleFactory()
    person = _company_person()
    services.team_join_ask(open_role=role, by=person, message="First")
    del person._team_states
    with pytest.raises(ValidationError, match="already asked"):
        services.team_join_ask(open_role=role, by=person, message="Second")
    assert TeamMembership.objects.filter(state="asked").count() == 1


def test_a_filled_role_cannot_be_asked_for_or_accepted_twice():
    role = OpenRoleFactory()
    lead_admin = _admin_of(role.team.lead_organisation)
    first, second = _company_person(), _company_person()
    asked_first = services.team_join_ask(open_role=role, by=first, message="One")
    asked_second = services.team_join_ask(open_role=role, by=second, message="Two")
    services.team_request_accept(membership=asked_first, by=lead_admin)

    with pytest.raises(ValidationError, match="already been filled"):
        services.team_request_accept(membership=asked_second, by=lead_admin)
    with pytest.raises(ValidationError, match="already been filled"):
        services.team_join_ask(open_role=role, by=_company_person(), message="Three")
    asked_second.refresh_from_db()
    assert asked_second.state == "asked"


def test_lead_accepts_and_the_asker_is_told_and_the_role_is_filled():
    role = OpenRoleFactory()
    lead_admin = _admin_of(role.team.lead_organisation)
    person = _company_person()
    membership = services.team_join_ask(open_role=role, by=person, message="Sensors")

    services.team_request_accept(membership=membership, by=lead_admin, note="Welcome")

    role.refresh_from_db()
    assert role.filled_by == membership
    told = OutboundEmail.objects.filter(template="team_join_accepted")
    assert list(told.values_list("recipient", flat=True)) == [person.email]


def test_only_the_lead_decides():
    role = OpenRoleFactory()
    membership = services.team_join_ask(open_role=role, by=_company_person(), message="Sensors")
    with pytest.raises(PermissionDenied):
        services.team_request_decline(membership=membership, by=_company_person())
    membership.refresh_from_db()
    assert membership.state == "asked"


def test_invitation_accepted_emails_the_lead():
    team = TeamFactory()
    lead_admin = _admin_of(team.lead_organisation)
    investor = OrganisationFactory(kind="investor", name="Seoul Impact Fund")
    investor_person = _admin_of(investor)

    membership = services.team_invite(team=team, organisation=investor, role="investor", by=lead_admin)
    assert OutboundEmail.objects.filter(recipient=investor_person.email).exists()
    services.team_invitation_accept(membership=membership, by=investor_person)

    membership.refresh_from_db()
    assert membership.state == "active"
    assert OutboundEmail.objects.filter(recipient=lead_admin.email, template="team_invitation_accepted").exists()


def test_the_lead_cannot_leave_its_own_team():
    team = TeamFactory()
    lead_admin = _admin_of(team.lead_organisation)
    with pytest.raises(ValidationError, match="cannot leave its own team"):
        services.team_leave(membership=team.memberships.get(), by=lead_admin)
    assert team.memberships.get().state == "active"


def test_a_member_leaves_and_its_role_opens_again():
    role = OpenRoleFactory()
    member = TeamMembershipFactory(team=role.team, open_role=role)
    OpenRole.objects.filter(pk=role.pk).update(filled_by=member)
    person = _admin_of(member.organisation)

    services.team_leave(membership=member, by=person)

    role.refresh_from_db()
    member.refresh_from_db()
    assert (member.state, role.filled_by) == ("left", None)


def test_staff_merge_moves_members_and_roles_and_hides_the_duplicate(staff_user):
    into, duplicate = TeamFactory(), TeamFactory()
    TeamMembershipFactory(team=duplicate)
    OpenRoleFactory(team=duplicate)

    services.team_merge(duplicate=duplicate, into=into, by=staff_user)

    assert into.memberships.filter(state="active").count() == 3
    assert into.open_roles.count() == 1
    assert list(Team.objects.current()) == [into]


def test_organisations_in_the_same_team_cannot_be_merged(staff_user):
    from accounts.services import organisation_merge

    team = TeamFactory()
    member = TeamMembershipFactory(team=team)
    with pytest.raises(ValidationError, match=team.name):
        organisation_merge(survivor=team.lead_organisation, duplicates=[member.organisation], by=staff_user)
