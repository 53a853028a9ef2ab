"""Writes about teams: forming one, its open roles, asking, inviting, deciding, leaving; merging and moving.

Views and the back office call these functions; nothing else changes a team membership's state. Each one checks
who may act with the rules in rules.py, changes the rows with the membership locked, and queues the e-mails to the
other side (in their language, through the outbox) in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationMembership, User
from applications.models import ProjectApplication
from clusters.models import Cluster, Round
from clusters.selectors import leaders_email_options
from core.text_limits import text_length_validate
from notifications.services import email_queue

from .models import ROLE_FOR_PARTNER_KIND, Milestone, OpenRole, Role, Team, TeamMembership
from .rules import (
    can_answer_team_invitation,
    can_ask_to_join_team,
    can_decide_team_request,
    can_edit_team,
    can_form_team_from,
    can_invite_to_team,
    can_leave_team,
    staff_may_add_teams,
    staff_may_change_teams,
    team_states,
)


def organisation_people(organisation: Organisation) -> list[User]:
    """Who hears about a team for an organisation: its active administrators (its active members without one)."""
    memberships = list(
        OrganisationMembership.objects.filter(organisation=organisation, status="active", user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    admins = [membership.user for membership in memberships if membership.role == "admin"]
    return admins or [membership.user for membership in memberships]


def _email(recipients, *, template: str, context: dict, key: str, thread: str, reply_to=None) -> None:
    for recipient in recipients:
        email_queue(
            user=recipient,
            template=template,
            context=context,
            dedup_key=f"{key}:user-{recipient.pk}",
            thread=thread,
            reply_to=reply_to,
        )


def _thread(team: Team) -> str:
    return f"team-{team.pk}"


def _clean_text(model, field: str, value: str) -> str:
    value = (value or "").strip()
    text_length_validate(model, field, value)
    return value


@transaction.atomic
def team_create(
    *,
    by: User,
    lead_organisation: Organisation,
    name: str,
    round: Round,
    cluster: Cluster,
    summary: str,
    supercluster: Cluster | None = None,
    application: ProjectApplication | None = None,
    discussion_url: str = "",
) -> Team:
    """A team with its lead as its first active member; the thematic cluster's leaders hear that it formed."""
    if application is None and not staff_may_add_teams(by):
        raise PermissionDenied(_("Only the secretariat can form a team without a project application."))
    if cluster.kind != Cluster.Kind.THEMATIC:
        raise ValidationError(_("Choose a thematic cluster."))
    if supercluster is not None and supercluster.kind != Cluster.Kind.SUPER:
        raise ValidationError(_("Choose a SuperCluster, or leave it empty."))
    team = Team.objects.create(
        name=name.strip(),
        summary=_clean_text(Team, "summary", summary),
        lead_organisation=lead_organisation,
        round=round,
        cluster=cluster,
        supercluster=supercluster,
        application=application,
        discussion_url=discussion_url,
        created_by=by,
    )
    team_started(team=team, by=by)
    return team


def team_started(*, team: Team, by: User) -> None:
    """A new team's lead becomes its first active member and the thematic cluster's leaders hear of it (also
    called by the back office after staff add a team)."""
    TeamMembership.objects.create(
        team=team,
        organisation=team.lead_organisation,
        role=Role.LEAD_CITY,
        state=TeamMembership.State.ACTIVE,
        requested_by=by,
        decided_by=by,
        decided_at=team.created_at,
    )
    _team_formed_emails(team)


def _team_formed_emails(team: Team) -> None:
    """The thematic cluster's active leaders hear of a new team on their theme (following their e-mail choice)."""
    leaders = list(User.objects.filter(led_clusters=team.cluster, is_active=True).order_by("pk"))
    choices = leaders_email_options((leader, team.cluster) for leader in leaders)
    for leader in leaders:
        options = choices[leader.pk, team.cluster.pk]
        if options is not None:
            email_queue(
                user=leader,
                template="team_formed",
                context={"team": team, "cluster": team.cluster, "organisation": team.lead_organisation},
                dedup_key=f"team-formed:{team.pk}:user-{leader.pk}",
                thread=_thread(team),
                **options,
            )


@transaction.atomic
def team_form_from_application(
    *,
    application: ProjectApplication,
    by: User,
    name: str,
    round: Round,
    supercluster: Cluster | None = None,
    summary: str = "",
) -> Team:
    """A city turns its sent project application into a team: the worksheet's partners sought become open roles."""
    application = (
        ProjectApplication.objects.select_for_update(of=("self",))
        .select_related("organisation", "cluster")
        .get(pk=application.pk)
    )
    if not can_form_team_from(by, application):
        raise PermissionDenied(
            _("Only the city's administrators can form a team from a submitted or accepted application.")
        )
    if Team.objects.current().filter(application=application).exists():
        raise ValidationError(_("A team already works on this project."))
    if application.cluster is None:
        raise ValidationError(_("The application names no thematic cluster."))
    team = team_create(
        by=by,
        lead_organisation=application.organisation,
        name=name,
        round=round,
        cluster=application.cluster,
        summary=summary or application.summary or application.title,
        supercluster=supercluster,
        application=application,
    )
    OpenRole.objects.bulk_create(
        OpenRole(team=team, role=ROLE_FOR_PARTNER_KIND.get(sought.kind, Role.TECHNOLOGY), expertise=sought.expertise)
        for sought in application.partners_sought.all()
    )
    if application.round_id is None:
        application.round = round
        application.save(update_fields=["round", "updated_at"])
    return team


def _require_edit(team: Team, by: User) -> None:
    if not can_edit_team(by, team):
        raise PermissionDenied(_("Only the team's lead organisation can change the team."))


@transaction.atomic
def team_update(*, team: Team, by: User, form) -> Team:
    """The lead's changes to the team's name, summary and discussion link (a ModelForm of the team)."""
    _require_edit(team, by)
    return form.save()


@transaction.atomic
def team_formset_save(*, team: Team, by: User, formset) -> None:
    """The lead's open roles or milestones (a model formset of the team's rows)."""
    _require_edit(team, by)
    for form in formset.forms:
        form.instance.team = team
    formset.save()


def _locked(membership: TeamMembership) -> TeamMembership:
    return (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("team", "team__lead_organisation", "organisation", "requested_by", "open_role")
        .get(pk=membership.pk)
    )


def _role_still_open(open_role: OpenRole | None) -> None:
    if open_role is not None:
        open_role = OpenRole.objects.select_for_update().get(pk=open_role.pk)
        if open_role.is_filled:
            raise ValidationError(_("This role has already been filled. Look at the team's other open roles."))


@transaction.atomic
def team_join_ask(*, open_role: OpenRole, by: User, message: str) -> TeamMembership:
    """A member of a verified organisation asks to fill an open role; the team's lead is e-mailed."""
    open_role = (
        OpenRole.objects.select_for_update().select_related("team", "team__lead_organisation").get(pk=open_role.pk)
    )
    team = open_role.team
    organisation = by.organisation if by.is_authenticated else None
    if organisation is None:
        raise PermissionDenied(_("Organisations join teams. Register your organisation, or ask to join it, first."))
    if not organisation.is_verified:
        raise ValidationError(
            _("The secretariat has not verified %(organisation)s yet; you can ask to join teams once it has.")
            % {"organisation": organisation.name}
        )
    if open_role.is_filled:
        raise ValidationError(_("This role has already been filled. Look at the team's other open roles."))
    if not can_ask_to_join_team(by, team):
        state = team_states(by).get(team.pk)
        if state == TeamMembership.State.ASKED:
            raise ValidationError(
                _("%(organisation)s has already asked to join this team; the lead has not answered yet.")
                % {"organisation": organisation.name}
            )
        if state == TeamMembership.State.INVITED:
            raise ValidationError(
                _("%(organisation)s is already invited to this team: accept the invitation instead.")
                % {"organisation": organisation.name}
            )
        if state == TeamMembership.State.ACTIVE:
            raise ValidationError(
                _("%(organisation)s is already a member of this team.") % {"organisation": organisation.name}
            )
        raise PermissionDenied(_("This team takes no requests to join."))
    message = _clean_text(TeamMembership, "message", message)
    if not message:
        raise ValidationError(_("Please say in a sentence or two what your organisation would bring to the team."))
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                team=team,
                organisation=organisation,
                role=open_role.role,
                open_role=open_role,
                state=TeamMembership.State.ASKED,
                message=message,
                requested_by=by,
            )
    except IntegrityError as exc:  # a second request racing the first one
        raise ValidationError(
            _("%(organisation)s has already asked to join this team.") % {"organisation": organisation.name}
        ) from exc
    _email(
        organisation_people(team.lead_organisation),
        template="team_join_asked",
        context={"team": team, "membership": membership, "organisation": organisation, "requester": by},
        key=f"team-join-asked:{membership.pk}",
        thread=_thread(team),
        reply_to=by,
    )
    return membership


def _fill(membership: TeamMembership) -> None:
    if membership.open_role_id is not None:
        OpenRole.objects.filter(pk=membership.open_role_id).update(filled_by=membership)


def _requester_side(membership: TeamMembership) -> list[User]:
    if membership.requested_by is not None and membership.requested_by.is_active:
        return [membership.requested_by]
    return organisation_people(membership.organisation)


def _conclude(membership: TeamMembership, *, by: User, note: str, accept: bool) -> None:
    """The lead's decision on a request to join, or the invited organisation's answer: the membership becomes
    active, filling the open role it was for while that is still open, or declined."""
    note = _clean_text(TeamMembership, "decision_note", note)
    if accept:
        _role_still_open(membership.open_role)
    membership.move_to(TeamMembership.State.ACTIVE if accept else TeamMembership.State.DECLINED, by=by, note=note)
    if accept:
        _fill(membership)


def _decide_request(*, membership: TeamMembership, by: User, note: str, accept: bool) -> TeamMembership:
    membership = _locked(membership)
    if membership.state != TeamMembership.State.ASKED:
        raise ValidationError(_("This request has already been decided."))
    if not can_decide_team_request(by, membership):
        raise PermissionDenied(_("Only the team's lead organisation decides on requests to join."))
    _conclude(membership, by=by, note=note, accept=accept)
    _email(
        _requester_side(membership),
        template="team_join_accepted" if accept else "team_join_declined",
        context={"team": membership.team, "membership": membership, "organisation": membership.organisation},
        key=f"team-join-decided:{membership.pk}",
        thread=_thread(membership.team),
        reply_to=by,
    )
    return membership


@transaction.atomic
def team_request_accept(*, membership: TeamMembership, by: User, note: str = "") -> TeamMembership:
    return _decide_request(membership=membership, by=by, note=note, accept=True)


@transaction.atomic
def team_request_decline(*, membership: TeamMembership, by: User, note: str = "") -> TeamMembership:
    return _decide_request(membership=membership, by=by, note=note, accept=False)


@transaction.atomic
def team_invite(
    *, team: Team, organisation: Organisation, role: str, by: User, message: str = "", open_role: OpenRole | None = None
) -> TeamMembership:
    """The lead invites an organisation it found by name; the organisation's people are e-mailed."""
    if not can_invite_to_team(by, team):
        raise PermissionDenied(_("Only the team's lead organisation can invite others."))
    if not organisation.is_verified:
        raise ValidationError(
            _("The secretariat has not verified %(organisation)s yet.") % {"organisation": organisation.name}
        )
    if role not in dict(Role.choices) or role == Role.LEAD_CITY:
        raise ValidationError(_("Choose the role the organisation would take."))
    if open_role is not None:
        if open_role.team_id != team.pk:
            raise ValidationError(_("Choose one of this team's open roles."))
        _role_still_open(open_role)
        role = open_role.role
    message = _clean_text(TeamMembership, "message", message)
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                team=team,
                organisation=organisation,
                role=role,
                open_role=open_role,
                state=TeamMembership.State.INVITED,
                message=message,
                requested_by=by,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(organisation)s already belongs to the team, is invited or has asked to join.")
            % {"organisation": organisation.name}
        ) from exc
    _email(
        organisation_people(organisation),
        template="team_invited",
        context={"team": team, "membership": membership, "organisation": organisation, "inviter": by},
        key=f"team-invited:{membership.pk}",
        thread=_thread(team),
        reply_to=by,
    )
    return membership


def _answer_invitation(*, membership: TeamMembership, by: User, note: str, accept: bool) -> TeamMembership:
    membership = _locked(membership)
    if membership.state != TeamMembership.State.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    if not can_answer_team_invitation(by, membership):
        raise PermissionDenied(_("Only the invited organisation's people can answer its invitation."))
    _conclude(membership, by=by, note=note, accept=accept)
    _email(
        organisation_people(membership.team.lead_organisation),
        template="team_invitation_accepted" if accept else "team_invitation_declined",
        context={"team": membership.team, "membership": membership, "organisation": membership.organisation},
        key=f"team-invitation-answered:{membership.pk}",
        thread=_thread(membership.team),
        reply_to=by,
    )
    return membership


@transaction.atomic
def team_invitation_accept(*, membership: TeamMembership, by: User, note: str = "") -> TeamMembership:
    return _answer_invitation(membership=membership, by=by, note=note, accept=True)


@transaction.atomic
def team_invitation_decline(*, membership: TeamMembership, by: User, note: str = "") -> TeamMembership:
    return _answer_invitation(membership=membership, by=by, note=note, accept=False)


@transaction.atomic
def team_leave(*, membership: TeamMembership, by: User) -> TeamMembership:
    """An organisation leaves; the role it filled opens again and the lead is e-mailed."""
    membership = _locked(membership)
    if membership.organisation_id == membership.team.lead_organisation_id:
        raise ValidationError(
            _(
                "The lead organisation cannot leave its own team. Ask the secretariat to hand the lead to another "
                "member."
            )
        )
    if not can_leave_team(by, membership):
        raise PermissionDenied(_("Only the organisation's own people can take it out of a team."))
    membership.move_to(TeamMembership.State.LEFT, by=by)
    OpenRole.objects.filter(filled_by=membership).update(filled_by=None)
    _email(
        organisation_people(membership.team.lead_organisation),
        template="team_member_left",
        context={"team": membership.team, "membership": membership, "organisation": membership.organisation},
        key=f"team-member-left:{membership.pk}",
        thread=_thread(membership.team),
    )
    return membership


@transaction.atomic
def team_merge(*, duplicate: Team, into: Team, by: User) -> Team:
    """The secretariat merges a duplicate team into another: its members (those not already there), open roles and
    milestones move over; the duplicate stays on record, marked merged, and leaves the directory."""
    if not staff_may_change_teams(by):
        raise PermissionDenied(_("Only the secretariat can merge teams."))
    duplicate, into = (Team.objects.select_for_update().get(pk=pk) for pk in (duplicate.pk, into.pk))
    if duplicate.pk == into.pk:
        raise ValidationError(_("Choose two different teams."))
    if duplicate.merged_into_id or into.merged_into_id:
        raise ValidationError(_("One of these teams has already been merged into another."))
    present = set(
        into.memberships.filter(state__in=TeamMembership.OPEN_STATES).values_list("organisation_id", flat=True)
    )
    for membership in duplicate.memberships.filter(state__in=TeamMembership.OPEN_STATES):
        if membership.organisation_id in present:
            continue
        if membership.role == Role.LEAD_CITY:
            membership.role = Role.PARTNER_CITY
        membership.team = into
        membership.save(update_fields=["team", "role"])
    OpenRole.objects.filter(team=duplicate).update(team=into)
    Milestone.objects.filter(team=duplicate).update(team=into)
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    return into


@transaction.atomic
def team_move(*, team: Team, supercluster: Cluster | None, by: User) -> Team:
    """The secretariat moves a team to another SuperCluster (or to none)."""
    if not staff_may_change_teams(by):
        raise PermissionDenied(_("Only the secretariat can move teams."))
    if supercluster is not None and supercluster.kind != Cluster.Kind.SUPER:
        raise ValidationError(_("Choose a SuperCluster, or leave it empty."))
    team.supercluster = supercluster
    team.save(update_fields=["supercluster", "updated_at"])
    return team


def organisation_merge_refusal(sender, *, organisation_ids: list[int], **kwargs) -> str | None:
    """accounts.services.organisation_merge_checking: organisations that are members of (or invited to, or asked
    to join) the same team cannot be merged, since an organisation takes one place in a team."""
    clashes = (
        TeamMembership.objects.filter(organisation_id__in=organisation_ids, state__in=TeamMembership.OPEN_STATES)
        .values("team__name")
        .annotate(organisations=Count("organisation_id", distinct=True))
        .filter(organisations__gt=1)
        .order_by("team__name")
    )
    names = [row["team__name"] for row in clashes]
    if not names:
        return None
    return _(
        "These organisations cannot be merged yet: more than one of them belongs to (or is invited to, or asked to "
        "join) the team %(teams)s. End the extra membership first."
    ) % {"teams": ", ".join(names)}
