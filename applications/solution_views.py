"""Solution pages of their own: the public directory, a solution's page, and the leaders' one-click introductions
(the pages they share with project applications are submission_views.py's).

Thin: parse forms, call services, choose the response. Things a person may not see answer 404; actions
they may not take answer 403 with the reason and where to go instead.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.caches import cache_public_page
from core.errors import forbidden
from core.rate_limits import form_rate_limit_consume

from . import services
from . import solution_selectors as selectors
from .kinds import SOLUTION
from .models import ProjectApplication, SolutionRegistration
from .solution_forms import IntroductionForm, SolutionFilterForm
from .submission_views import detail_context, filtered_page, visible_submission

DIRECTORY_PAGE_SIZE = 12


@cache_public_page("solutions")
def solution_directory(request):
    filters, page = filtered_page(
        request,
        SolutionFilterForm,
        countries=selectors.deployment_countries(),
        select=selectors.solution_directory,
        page_size=DIRECTORY_PAGE_SIZE,
    )
    return render(request, "applications/solutions/directory.html", {"filters": filters, "page_obj": page})


@cache_public_page("solutions")
def solution_detail(request, pk: int):
    return solution_page_again(request, pk)


def solution_page_again(request, pk: int, *, message_form=None, review_form=None, status: int = 200):
    """The solution's page (shown again with refused input: `message_form`, `review_form`, from submission_views)."""
    solution = visible_submission(request, SOLUTION, pk)
    context = detail_context(request, SOLUTION, solution, message_form=message_form, review_form=review_form)
    if rules.test_rule("applications.see_solution_history", request.user, solution):
        context["history"] = solution.history.select_related("actor")
    return render(request, "applications/solutions/solution_detail.html", context, status=status)


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
