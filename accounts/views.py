"""Profile and organisation pages. Thin: parse the form, call a service, choose the response."""

import rules
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.rate_limits import form_rate_limit_consume

from . import personal_data, services
from .forms import (
    AccountDeleteForm,
    MembershipDecisionForm,
    MembershipRequestForm,
    MembershipRoleForm,
    OrganisationForm,
    OrganisationSearchForm,
    ProfileForm,
)
from .middleware import set_language_cookie
from .models import Organisation, OrganisationMembership


def _pending_request(user) -> OrganisationMembership | None:
    return user.organisation_memberships.filter(status="pending").select_related("organisation").first()


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.profile_update(form=form)
        # The page (and the language cookie) follow a newly chosen language at once.
        translation.activate(user.preferred_language)
        messages.success(request, _("Your details have been saved."))
        response = redirect("accounts:profile")
        set_language_cookie(response, user.preferred_language)
        return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "membership": request.user.active_membership,
            "pending_request": _pending_request(request.user),
        },
    )


@login_required
def data_download(request):
    """Everything the portal holds about the person, as JSON."""
    response = HttpResponse(personal_data.personal_data_json(request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="wego-portal-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.account_delete(user)
        messages.success(
            request, _("Your account has been deleted. Your organisation keeps what you submitted for it.")
        )
        return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "successor": services.administration_successor(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
def organisation_start(request):
    """After sign-up: create the organisation you work for, or ask to join it if it is already here."""
    if request.user.active_membership:
        return redirect("accounts:organisation")
    return render(request, "accounts/organisation_start.html", {"pending_request": _pending_request(request.user)})


@login_required
def organisation_create(request):
    if request.user.active_membership:
        messages.info(request, _("You already belong to an organisation."))
        return redirect("accounts:organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = form_rate_limit_consume(request, "organisation_create")
        if limit.refused:
            form.add_error(None, limit.message)
            return limit.respond(render(request, "accounts/organisation_form.html", {"form": form, "creating": True}))
        try:
            organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            limit.rollback()
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s has been created and you are its administrator. The secretariat will verify it shortly.")
                % {"name": organisation.name},
            )
            return redirect("accounts:organisation")
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


@login_required
def organisation_edit(request):
    membership = request.user.active_membership
    if membership is None:
        raise Http404
    organisation = membership.organisation
    if not rules.test_rule("accounts.change_organisation", request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can change its details."))
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.organisation_update(organisation=organisation, by=request.user, **fields)
        messages.success(request, _("The organisation's details have been saved."))
        return redirect("accounts:organisation")
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": False})


@login_required
def organisation_detail(request):
    membership = request.user.active_membership
    if membership is None:
        return redirect("accounts:organisation_start")
    organisation = membership.organisation
    members = organisation.memberships.filter(status="active").select_related("user").order_by("user__full_name")
    pending = None
    if rules.test_rule("accounts.decide_membership", request.user, membership):
        pending = organisation.memberships.filter(status="pending").select_related("user").order_by("requested_at")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "members": members,
            "pending": pending,
            "can_edit": rules.test_rule("accounts.change_organisation", request.user, organisation),
            "can_manage": rules.test_rule("accounts.manage_membership", request.user, membership),
        },
    )


def _organisation_join_page(request, search: OrganisationSearchForm, request_form: MembershipRequestForm):
    results = Organisation.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status="active"))
    ).order_by("name")
    if search.is_valid():
        if search.cleaned_data["q"]:
            results = results.filter(name__icontains=search.cleaned_data["q"])
        if search.cleaned_data["country"]:
            results = results.filter(country=search.cleaned_data["country"])
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_join.html",
        {
            "search": search,
            "request_form": request_form,
            "page_obj": page,
            "pending_request": _pending_request(request.user),
        },
    )


@login_required
def organisation_join(request):
    """Search the organisations already registered and ask to join one."""
    if request.user.active_membership:
        messages.info(request, _("You already belong to an organisation."))
        return redirect("accounts:organisation")
    search = OrganisationSearchForm(request.GET or None)
    request_form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and request_form.is_valid():
        limit = form_rate_limit_consume(request, "organisation_join")
        if limit.refused:
            request_form.add_error(None, limit.message)
            return limit.respond(_organisation_join_page(request, search, request_form))
        try:
            services.membership_request(
                user=request.user,
                organisation=request_form.cleaned_data["organisation"],
                message=request_form.cleaned_data["message"],
            )
        except ValidationError as error:
            limit.rollback()
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your request has been sent. You will receive an e-mail when an administrator has decided."),
            )
            return redirect("accounts:profile")
    return _organisation_join_page(request, search, request_form)


@login_required
@require_POST
def membership_cancel(request):
    pending = _pending_request(request.user)
    if pending is None:
        messages.info(request, _("You have no request waiting for a decision."))
    else:
        services.membership_cancel(membership=pending, by=request.user)
        messages.success(request, _("Your request to join %(name)s was withdrawn.") % {"name": pending.organisation})
    return redirect("accounts:organisation_start")


@login_required
@require_POST
def membership_decide(request, pk: int):
    membership = get_object_or_404(OrganisationMembership.objects.select_related("organisation", "user"), pk=pk)
    if not rules.test_rule("accounts.decide_membership", request.user, membership):
        raise Http404
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose to approve or decline the request."))
        return redirect("accounts:organisation")
    decide = services.membership_approve if form.cleaned_data["decision"] == "approve" else services.membership_decline
    try:
        decide(membership=membership, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["decision"] == "approve":
            messages.success(request, _("%(name)s is now a member.") % {"name": membership.user})
        else:
            messages.success(request, _("The request from %(name)s was declined.") % {"name": membership.user})
    return redirect("accounts:organisation")


def _colleague(request, pk: int) -> OrganisationMembership:
    """An active membership the signed-in person may manage; anyone else's is not found (404, never 403)."""
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation", "user"),
        pk=pk,
        status=OrganisationMembership.Status.ACTIVE,
    )
    if not rules.test_rule("accounts.manage_membership", request.user, membership):
        raise Http404
    return membership


@login_required
@require_POST
def membership_role(request, pk: int):
    membership = _colleague(request, pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["role"]))
        return redirect("accounts:organisation")
    try:
        services.membership_role_set(membership=membership, by=request.user, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["role"] == OrganisationMembership.Role.ADMIN:
            messages.success(request, _("%(name)s is now an administrator.") % {"name": membership.user})
        else:
            messages.success(request, _("%(name)s is now a contact.") % {"name": membership.user})
    return redirect("accounts:organisation")


@login_required
def membership_remove(request, pk: int):
    """Ask first, then remove the person from the organisation (they are told by e-mail)."""
    membership = _colleague(request, pk)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s no longer belongs to %(organisation)s.")
                % {"name": membership.user, "organisation": membership.organisation},
            )
        return redirect("accounts:organisation")
    return render(request, "accounts/membership_remove.html", {"membership": membership})


@login_required
def organisation_leave(request):
    """Ask first, then leave; the only administrator is asked to hand over first."""
    membership = request.user.active_membership
    if membership is None:
        return redirect("accounts:organisation_start")
    if request.method == "POST":
        try:
            services.membership_leave(user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:organisation")
        messages.success(request, _("You left %(organisation)s.") % {"organisation": membership.organisation})
        return redirect("accounts:organisation_start")
    return render(
        request,
        "accounts/organisation_leave.html",
        {"membership": membership, "refusal": services.leave_refusal(request.user)},
    )
