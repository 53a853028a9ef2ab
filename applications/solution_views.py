"""Solution pages: the public directory, a solution's page, "My solutions", the registration form, brochures,
and the leaders' one-click introductions.

Thin: parse forms, call services, choose the response. Things a person may not see answer 404; actions
they may not take answer 403 with the reason and where to go instead.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.caches import cache_public_page
from core.errors import forbidden
from core.rate_limits import form_rate_limit_consume

from . import solution_selectors as selectors
from . import solution_services as services
from .forms import TransitionForm
from .models import ProjectApplication, SolutionBrochure, SolutionRegistration
from .solution_forms import (
    BrochureForm,
    DeploymentFormSet,
    IntroductionForm,
    SolutionFilterForm,
    SolutionForm,
    SolutionStartForm,
)
from .workflow import STAFF, Action, Status, allowed_actions

PAGE_SIZE = 20
DIRECTORY_PAGE_SIZE = 12


def _cannot_register(request, error: PermissionDenied):
    organisation = request.user.organisation
    if organisation is None:
        link = (reverse("accounts:organisation_start"), _("Set up your organisation"))
    elif organisation.kind == organisation.Kind.CITY:
        link = (reverse("applications:new"), _("Start a project application"))
    else:
        link = (reverse("solutions:directory"), _("See the solutions directory"))
    return forbidden(request, str(error), link=link)


def _visible_solution(request, pk: int) -> SolutionRegistration:
    try:
        solution = selectors.solution_for_page(pk)
    except SolutionRegistration.DoesNotExist:
        raise Http404 from None
    if not rules.test_rule("applications.view_solution", request.user, solution):
        raise Http404
    return solution


@cache_public_page("solutions")
def solution_directory(request):
    filters = SolutionFilterForm(request.GET or None, countries=selectors.deployment_countries())
    chosen = filters.cleaned_data if filters.is_valid() else {}
    solutions = selectors.solution_directory(
        q=chosen.get("q", ""),
        cluster=chosen.get("cluster"),
        offering=chosen.get("offering", ""),
        maturity=chosen.get("maturity", ""),
        country=chosen.get("country", ""),
    )
    page = Paginator(solutions, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/solutions/directory.html", {"filters": filters, "page_obj": page})


@login_required
def my_solutions(request):
    organisation = request.user.organisation
    try:
        services.ensure_can_register(request.user)
    except PermissionDenied as error:
        return _cannot_register(request, error)
    page = Paginator(selectors.solutions_of(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/solutions/my_solutions.html", {"page_obj": page, "organisation": organisation})


@login_required
def solution_new(request):
    try:
        services.ensure_can_register(request.user)
    except PermissionDenied as error:
        return _cannot_register(request, error)
    form = SolutionStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        solution = services.solution_start(by=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Your draft is saved. Describe the solution, then submit it for review."))
        return redirect("solutions:edit", pk=solution.pk)
    return render(request, "applications/solutions/solution_new.html", {"form": form})


def _edit_forms(solution, data=None, files=None, *, strict=False):
    return {
        "form": SolutionForm(data, instance=solution, strict=strict),
        "deployments": DeploymentFormSet(data, instance=solution, prefix="deployments"),
        "upload": BrochureForm(data, files, prefix="brochure"),
    }


def _render_edit(request, solution, forms, *, status=200):
    return render(
        request,
        "applications/solutions/solution_edit.html",
        {"solution": solution, "brochures": list(solution.brochures.all()), **forms},
        status=status,
    )


@login_required
def solution_edit(request, pk: int):
    solution = get_object_or_404(
        SolutionRegistration.objects.select_related("organisation").prefetch_related("clusters"), pk=pk
    )
    if not rules.test_rule("applications.view_solution", request.user, solution):
        raise Http404
    if not solution.is_applicant(request.user):
        return forbidden(
            request,
            _("Only people of %(organisation)s can change this solution.") % {"organisation": solution.organisation},
            link=(solution.get_absolute_url(), _("Back to the solution")),
        )
    if request.method != "POST":
        if not solution.is_editable:
            messages.info(
                request,
                _("This solution is “%(status)s” and cannot be changed now.")
                % {"status": solution.get_status_display()},
            )
            return redirect(solution)
        return _render_edit(request, solution, _edit_forms(solution))

    forms = _edit_forms(solution, request.POST, request.FILES)
    if not solution.is_editable:
        return _render_refused_edit(request, solution, forms)
    if not (forms["form"].is_valid() and forms["deployments"].is_valid()):
        messages.error(request, _("Some answers need your attention; they are marked below. Nothing was lost."))
        return _render_edit(request, solution, forms, status=400)
    try:
        solution = services.solution_save(
            solution=solution, by=request.user, form=forms["form"], deployments=forms["deployments"]
        )
    except ValidationError:
        # Submitted or withdrawn meanwhile (another tab, a colleague): nothing was written.
        return _render_refused_edit(request, solution, forms)
    if not forms["upload"].is_valid():
        messages.error(request, _("Your answers are saved, but the brochure was not attached: see why below."))
        fresh = _edit_forms(solution)
        fresh["upload"] = forms["upload"]
        return _render_edit(request, solution, fresh, status=400)
    if forms["upload"].cleaned_data.get("file"):
        try:
            services.brochure_add(solution=solution, by=request.user, upload=forms["upload"].cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(solution)
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect("solutions:edit", pk=solution.pk)
    return _submit_from_edit(request, solution)


def _render_refused_edit(request, solution, forms):
    """The solution stopped being editable while the person typed: say so, and show what they typed (409)."""
    solution.refresh_from_db(fields=["status", "submitted_at", "decided_at"])
    messages.error(
        request,
        _(
            "Your changes were not saved: this solution is now “%(status)s” and can no longer be changed, perhaps "
            "from another window or by a colleague. What you typed is shown below so that you can copy it."
        )
        % {"status": solution.get_status_display()},
    )
    return _render_edit(request, solution, forms, status=409)


def _submit_from_edit(request, solution):
    action = Action.RESUBMIT if solution.status == Status.CHANGES_REQUESTED else Action.SUBMIT
    try:
        services.solution_transition(solution, action, by=request.user)
    except ValidationError as error:
        forms = _edit_forms(solution)
        forms["form"] = SolutionForm(request.POST, instance=solution, strict=True)
        forms["form"].is_valid()
        messages.error(
            request,
            _("Your draft is saved, but it cannot be submitted yet: %(problems)s")
            % {"problems": " ".join(error.messages)},
        )
        return _render_edit(request, solution, forms, status=400)
    if solution.organisation.is_verified:
        messages.success(
            request,
            _("Submitted. The leaders of its clusters and the secretariat have been told; you will hear by e-mail."),
        )
    else:
        messages.success(request, f"{_('Submitted.')} {solution.organisation.verification_notice}")
    return redirect(solution)


@cache_public_page("solutions")
def solution_detail(request, pk: int):
    solution = _visible_solution(request, pk)
    user = request.user
    actions = allowed_actions(solution, user)
    context = {
        "solution": solution,
        "actions": actions,
        "staff_actions": [transition for transition in actions if transition.by == STAFF],
        "transition_form": TransitionForm(),
        "can_edit": rules.test_rule("applications.edit_solutionregistration", user, solution),
        "may_download": rules.test_rule("applications.download_solutionbrochure", user, solution),
    }
    if rules.test_rule("applications.see_solution_history", user, solution):
        context["history"] = solution.history.select_related("actor")
    return render(request, "applications/solutions/solution_detail.html", context)


@login_required
@require_POST
def solution_transition(request, pk: int):
    solution = _visible_solution(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(solution)
    action = form.cleaned_data["action"]
    try:
        services.solution_transition(solution, action, by=request.user, note=form.cleaned_data["note"])
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(solution.get_absolute_url(), _("Back to the solution")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if action in (Action.SUBMIT, Action.RESUBMIT) and solution.is_editable:
            return redirect("solutions:edit", pk=solution.pk)
        return redirect(solution)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(solution)


@login_required
def brochure_download(request, pk: int, brochure_pk: int):
    """Private files: only people the rules allow get the brochure, never through a public URL."""
    brochure = get_object_or_404(SolutionBrochure.objects.select_related("solution"), pk=brochure_pk, solution_id=pk)
    solution = brochure.solution
    if not rules.test_rule("applications.download_solutionbrochure", request.user, solution):
        raise Http404
    try:
        handle = brochure.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=brochure.original_name, content_type=brochure.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def brochure_delete(request, pk: int, brochure_pk: int):
    brochure = get_object_or_404(SolutionBrochure.objects.select_related("solution"), pk=brochure_pk, solution_id=pk)
    if not brochure.solution.is_applicant(request.user):
        raise Http404
    try:
        services.brochure_remove(brochure=brochure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": brochure.original_name})
    return redirect("solutions:edit", pk=pk)


@login_required
@require_POST
def introduce(request, pk: int):
    """A leader introduces the city behind a project application to the provider of an approved solution."""
    solution = get_object_or_404(SolutionRegistration.objects.select_related("organisation", "created_by"), pk=pk)
    form = IntroductionForm(request.POST)
    if not form.is_valid():
        raise Http404
    application = get_object_or_404(
        ProjectApplication.objects.select_related("organisation", "cluster", "created_by"),
        pk=form.cleaned_data["application"],
    )
    if not rules.test_rule("applications.view_application", request.user, application):
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = application.get_absolute_url()
    limit = form_rate_limit_consume(request, "introduction")
    if limit.refused:
        link = (back, _("Back to the application"))
        return limit.respond(render(request, "429.html", {"wait": limit.wait, "link": link}))
    try:
        services.introduction_create(application=application, solution=solution, by=request.user)
    except PermissionDenied as error:
        limit.rollback()
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        limit.rollback()
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(city)s and %(provider)s have been introduced by e-mail for “%(project)s”.")
            % {"city": application.organisation.name, "provider": solution.organisation.name, "project": application},
        )
    return redirect(back)
