"""Teams: the directory of teams looking for partners, the team page, forming a team from an application, the
lead's edit page, asking, inviting, answering and leaving, and a GCTC round's public page.

Thin: parse the form, call a service, choose the response. Permissions are the rules in teams/rules.py; actions
the user may not take answer 403 with the reason, refused input is shown again with what was typed.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.rules import is_organisation_member
from applications.models import ProjectApplication
from clusters.models import Round
from core.caches import cache_public_page
from core.errors import forbidden
from core.messages import message_at

from . import selectors, services
from .forms import (
    DecisionForm,
    DirectoryFilterForm,
    InviteForm,
    JoinRequestForm,
    MilestoneFormSet,
    OpenRoleFormSet,
    TeamForm,
    TeamFormationForm,
)
from .models import OpenRole, Team, TeamMembership
from .rules import is_team_lead

DIRECTORY_PAGE_SIZE = 20


@cache_public_page("teams")
def directory(request):
    """Teams looking for partners: those with an open role, filtered and searched."""
    filters = DirectoryFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    teams = selectors.team_directory(
        cluster=chosen.get("cluster"),
        supercluster=chosen.get("supercluster"),
        role=chosen.get("role", ""),
        country=chosen.get("country", ""),
        round=chosen.get("round"),
        search=(chosen.get("q") or "").strip(),
    )
    page = Paginator(teams, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "teams/directory.html", {"filters": filters, "page_obj": page, "query": query.urlencode()})


@login_required
def my_teams(request):
    """The teams of the person's organisation: invitations to answer, teams it is in, requests it made."""
    organisation = request.user.organisation
    page = None
    if organisation is not None:
        page = Paginator(selectors.teams_for_its_people(organisation), DIRECTORY_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "teams/my_teams.html", {"organisation": organisation, "page_obj": page})


def _back(team: Team) -> tuple[str, str]:
    return team.get_absolute_url(), _("Back to %(team)s") % {"team": team.name}


def _team_page(request, team: Team, *, ask_forms: dict | None = None, invite_form=None, status: int = 200):
    user = request.user
    memberships = team.open_memberships
    active = [m for m in memberships if m.state == TeamMembership.State.ACTIVE]
    is_lead = rules.test_rule("teams.edit", user, team)
    organisation = user.organisation if user.is_authenticated else None
    own = next((m for m in memberships if organisation and m.organisation_id == organisation.pk), None)
    can_see_contacts = rules.test_rule("teams.see_contacts", user, team)
    can_ask = rules.test_rule("teams.ask_to_join", user, team)
    contacts = selectors.member_contacts(team) if can_see_contacts else {}
    for member in active:
        member.contacts = contacts.get(member.organisation_id, [])
    ask_forms = ask_forms or {}
    roles = [
        (role, ask_forms.get(role.pk) or JoinRequestForm(prefix=f"role-{role.pk}")) for role in team.unfilled_roles
    ]
    context = {
        "team": team,
        "active_members": active,
        "waiting": [m for m in memberships if m.state != TeamMembership.State.ACTIVE] if is_lead else [],
        "roles": roles,
        "milestones": team.milestone_list,
        "kpis": selectors.team_kpis(team),
        "is_lead": is_lead,
        "own_membership": own,
        "can_answer": own is not None and rules.test_rule("teams.answer_invitation", user, own),
        "can_leave": own is not None and rules.test_rule("teams.leave", user, own),
        "can_ask": can_ask,
        "unverified": organisation is not None and not organisation.is_verified,
        "can_see_contacts": can_see_contacts,
        "invite_form": (invite_form or InviteForm())
        if is_lead and rules.test_rule("teams.invite", user, team)
        else None,
        "decision_form": DecisionForm(),
    }
    return render(request, "teams/team_detail.html", context, status=status)


def _team_or_404(pk: int) -> Team:
    try:
        return selectors.team_for_page(pk)
    except Team.DoesNotExist:
        raise Http404 from None


@cache_public_page("teams")
def team_detail(request, pk: int):
    team = _team_or_404(pk)
    if team.merged_into_id:
        return redirect(team.merged_into)
    return _team_page(request, team)


def _default_round(application: ProjectApplication) -> Round | None:
    if application.round_id:
        return application.round
    newest = Round.objects.aggregate(year=Max("year"))["year"]
    return Round.objects.filter(year=newest).order_by("name").first() if newest else None


@login_required
@require_http_methods(["GET", "POST"])
def team_form(request, application_pk: int):
    """A city turns its submitted or accepted application into a team."""
    application = get_object_or_404(
        ProjectApplication.objects.visible_to(request.user).select_related("organisation", "cluster", "round"),
        pk=application_pk,
    )
    existing = selectors.teams_of_application(application)
    if existing:
        messages.info(request, _("A team already works on this project."))
        return redirect(existing[0])
    if not rules.test_rule("teams.form_from_application", request.user, application):
        return forbidden(
            request,
            _("Only the city's administrators can form a team, once the application is submitted or accepted."),
            link=(application.get_absolute_url(), _("Back to the application")),
        )
    if not Round.objects.exists():
        return forbidden(
            request,
            _("The secretariat has not opened a GCTC round yet. Please try again later."),
            link=(application.get_absolute_url(), _("Back to the application")),
        )
    initial = {"name": application.title, "summary": application.summary, "round": _default_round(application)}
    form = TeamFormationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_form_from_application(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The team %(team)s is formed. Check its open roles so that partners can find it.")
                % {"team": team.name},
            )
            return redirect("teams:edit", pk=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    """The lead's page: the team's name, summary and discussion link, its open roles and its milestones."""
    team = get_object_or_404(Team.objects.select_related("lead_organisation"), pk=pk)
    if not rules.test_rule("teams.edit", request.user, team):
        return forbidden(request, _("Only the team's lead organisation can change the team."), link=_back(team))
    data = request.POST if request.method == "POST" else None
    form = TeamForm(data, instance=team, prefix="team")
    roles = OpenRoleFormSet(
        data, instance=team, prefix="roles", queryset=OpenRole.objects.filter(filled_by__isnull=True)
    )
    milestones = MilestoneFormSet(data, instance=team, prefix="milestones")
    if data is not None and form.is_valid() and roles.is_valid() and milestones.is_valid():
        services.team_update(team=team, by=request.user, form=form)
        services.team_formset_save(team=team, by=request.user, formset=roles)
        services.team_formset_save(team=team, by=request.user, formset=milestones)
        messages.success(request, _("The team's page is saved."))
        return redirect(team)
    return render(
        request, "teams/team_edit.html", {"team": team, "form": form, "roles": roles, "milestones": milestones}
    )


@login_required
@require_POST
def team_ask(request, pk: int, role_pk: int):
    team = _team_or_404(pk)
    open_role = get_object_or_404(OpenRole, pk=role_pk, team=team)
    if request.user.organisation is None:
        return forbidden(
            request,
            _("Organisations join teams. Register your organisation, or ask to join it, first."),
            link=(reverse("accounts:organisation_start"), _("Set up your organisation")),
        )
    form = JoinRequestForm(request.POST, prefix=f"role-{open_role.pk}")
    if form.is_valid():
        try:
            services.team_join_ask(open_role=open_role, by=request.user, message=form.cleaned_data["message"])
        except PermissionDenied as error:
            return forbidden(request, str(error.args[0] if error.args else error), link=_back(team))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            anchor = message_at(
                request,
                messages.SUCCESS,
                _("Your request was sent to %(team)s. You will get an e-mail when the lead answers.")
                % {"team": team.name},
                place="team-roles",
            )
            return redirect(team.get_absolute_url() + anchor)
    return _team_page(request, team, ask_forms={open_role.pk: form}, status=400)


def _membership(pk: int) -> TeamMembership:
    return get_object_or_404(
        TeamMembership.objects.select_related("team", "team__lead_organisation", "organisation", "open_role"), pk=pk
    )


def _act(request, membership: TeamMembership, action, done: str):
    """Run a decision service; a refusal is a 403 with its reason, an impossible move a message on the team page."""
    team = membership.team
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(team)
    try:
        action(membership=membership, by=request.user, note=note)
    except PermissionDenied as error:
        return forbidden(request, str(error.args[0] if error.args else error), link=_back(team))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(team)
    messages.success(request, done % {"organisation": membership.organisation.name, "team": team.name})
    return redirect(team)


@login_required
@require_POST
def request_decide(request, membership_pk: int):
    """The lead accepts or declines a request to join."""
    membership = _membership(membership_pk)
    if not is_team_lead(request.user, membership.team):
        return forbidden(
            request, _("Only the team's lead organisation decides on requests to join."), link=_back(membership.team)
        )
    if request.POST.get("decision") == "accept":
        return _act(request, membership, services.team_request_accept, _("%(organisation)s has joined %(team)s."))
    return _act(request, membership, services.team_request_decline, _("You declined the request of %(organisation)s."))


@login_required
@require_POST
def invitation_answer(request, membership_pk: int):
    """The invited organisation accepts or declines."""
    membership = _membership(membership_pk)
    if not is_organisation_member(request.user, membership.organisation):
        return forbidden(
            request,
            _("Only the invited organisation's people can answer its invitation."),
            link=_back(membership.team),
        )
    if request.POST.get("decision") == "accept":
        return _act(request, membership, services.team_invitation_accept, _("%(organisation)s has joined %(team)s."))
    return _act(request, membership, services.team_invitation_decline, _("You declined the invitation to %(team)s."))


@login_required
@require_POST
def team_invite(request, pk: int):
    team = _team_or_404(pk)
    if not rules.test_rule("teams.invite", request.user, team):
        return forbidden(request, _("Only the team's lead organisation can invite others."), link=_back(team))
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.team_invite(
                team=team,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(organisation)s is invited. Its people got an e-mail.")
                % {"organisation": form.cleaned_data["organisation"].name},
            )
            return redirect(team)
    return _team_page(request, team, invite_form=form, status=400)


@login_required
@require_POST
def team_leave(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    organisation = request.user.organisation
    membership = (
        TeamMembership.objects.filter(team=team, organisation=organisation, state="active")
        .select_related("team", "team__lead_organisation", "organisation")
        .first()
        if organisation
        else None
    )
    if membership is None:
        messages.info(request, _("Your organisation is not a member of %(team)s.") % {"team": team.name})
        return redirect(team)
    try:
        services.team_leave(membership=membership, by=request.user)
    except PermissionDenied as error:
        return forbidden(request, str(error.args[0] if error.args else error), link=_back(team))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(team)
    messages.success(
        request, _("%(organisation)s has left %(team)s.") % {"organisation": organisation.name, "team": team.name}
    )
    return redirect(team)


@cache_public_page("teams")
def round_detail(request, slug: str):
    """A GCTC round: its key events and its figures, counted from the data."""
    round = get_object_or_404(Round, slug=slug)
    return render(
        request,
        "teams/round_detail.html",
        {
            "round": round,
            "figures": selectors.round_figures(round),
            "key_events": list(round.key_events.order_by("starts_at", "pk")),
        },
    )
