"""Project application pages of their own: the application page, publication, comments, the worksheet file, the
case library (the pages they share with solutions are submission_views.py's).

Thin: parse forms, call services, choose the response. Things a person may not see answer 404; actions
they may not take answer 403 with the reason and where to go instead.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.caches import cache_public_page
from core.errors import forbidden
from core.messages import message_at

from . import selectors, services, worksheet
from .benchmarks import guidance_for
from .forms import CaseFilterForm, LeaderCommentForm, ProgressReportForm, PublicationConsentForm
from .kinds import APPLICATION
from .matching import matchmaking_for
from .models import ProjectApplication
from .rules import is_applicant, leads_target_cluster
from .submission_views import detail_context, filtered_page, visible_submission
from .workflow import Status

CASES_PAGE_SIZE = 12
REVIEWS_PAGE_SIZE = 20


def _visible_application(request, pk: int, *, to_show: bool = False) -> ProjectApplication:
    """The application, if the person may see it; `to_show`: for its page, read with its history."""
    return visible_submission(
        request, APPLICATION, pk, read=selectors.application_to_show if to_show else selectors.application_for_page
    )


def _way_back(user, application) -> tuple[str, str]:
    """The breadcrumb's page for this reader: where they came to the application from."""
    if is_applicant(user, application):
        return _("My applications"), reverse("applications:mine")
    if leads_target_cluster(user, application):
        return _("Leader page"), reverse("clusters:lead")
    # The secretariat: nobody else reads the whole application (others are sent to the public case page).
    return _("Project applications"), reverse("admin:applications_projectapplication_changelist")


@login_required
def application_detail(request, pk: int):
    application = _visible_application(request, pk, to_show=True)
    if not rules.test_rule("applications.read_whole_projectapplication", request.user, application):
        # Seen only because it is a public case: the public page, with only what the city agreed to publish.
        return redirect("cases:detail", pk=application.pk)
    return application_page(request, application)


def application_page_again(request, pk: int, **refused):
    """The application's page shown again with refused input (`message_form`: submission_views.message)."""
    return application_page(request, _visible_application(request, pk, to_show=True), **refused)


def application_page(
    request,
    application: ProjectApplication,
    *,
    report_form=None,
    review_form=None,
    message_form=None,
    status: int = 200,
):
    """The whole application for those who read it; `report_form`, `review_form`, `message_form`: refused input
    shown again."""
    user = request.user
    context = {
        **detail_context(request, APPLICATION, application, message_form=message_form, review_form=review_form),
        "history": application.history.all(),
        "can_comment": rules.test_rule("applications.comment_projectapplication", user, application),
        "can_publish": application.status == Status.ACCEPTED
        and rules.test_rule("applications.publish_application", user, application),
        "sees_comments": rules.test_rule("applications.see_leader_comments", user, application),
        "comment_form": LeaderCommentForm(),
        "matchmaking": matchmaking_for(application, user),
        "way_back": _way_back(user, application),
        "city_decides_publication": rules.test_rule("applications.decide_publication", user, application),
        "consent_form": PublicationConsentForm(instance=application),
        "can_report": rules.test_rule("applications.report_progress", user, application),
    }
    kpis = application.kpis.all()
    if context["can_report"] and kpis:
        # With one KPI its unit is the likely one; with several the city chooses.
        initial = {"unit": kpis[0].unit} if len(kpis) == 1 else {}
        context["report_form"] = report_form or ProgressReportForm(application=application, initial=initial)
    if context["sees_comments"]:
        context["comments"] = application.leader_comments.select_related("author")
    if is_applicant(user, application):
        context["guidance"] = guidance_for(application)
    return render(request, "applications/application_detail.html", context, status=status)


@login_required
def my_reviews(request):
    """The applications and solutions the secretariat asked the person to score, those still to score first."""
    page = Paginator(selectors.reviews_of(request.user), REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/my_reviews.html", {"page_obj": page})


@login_required
@require_POST
def application_publish(request, pk: int):
    application = _visible_application(request, pk)
    publish = request.POST.get("publish", "1") == "1"
    try:
        application = services.application_publish(application=application, by=request.user, publish=publish)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Published in the best-practice library.") if publish else _("Taken out of the best-practice library."),
        )
    return redirect(application)


@login_required
@require_POST
def publication_consent(request, pk: int):
    """The city says what its public case may show beyond the project itself."""
    application = _visible_application(request, pk)
    form = PublicationConsentForm(request.POST)
    if not form.is_valid():
        errors = " ".join(e for errors in form.errors.values() for e in errors)
        fragment = message_at(request, messages.ERROR, errors, place="publication")
        return redirect(application.get_absolute_url() + fragment)
    try:
        services.application_publication_consent(application=application, by=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        level, outcome = messages.ERROR, " ".join(error.messages)
    else:
        level, outcome = (
            messages.SUCCESS,
            _("Saved. The public case page shows exactly this from now on.")
            if application.is_published
            else _("Saved. If the secretariat publishes the case, its public page will show exactly this."),
        )
    return redirect(application.get_absolute_url() + message_at(request, level, outcome, place="publication"))


@login_required
@require_POST
def case_withdraw(request, pk: int):
    """The city takes its case out of the public library at once, or allows it to be published again."""
    application = _visible_application(request, pk)
    withdraw = request.POST.get("withdraw", "1") == "1"
    try:
        services.application_case_withdraw(application=application, by=request.user, withdraw=withdraw)
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        level, outcome = messages.ERROR, " ".join(error.messages)
    else:
        level, outcome = (
            messages.SUCCESS,
            _("Your case is no longer public. The secretariat has been told and will not publish it again.")
            if withdraw
            else _("The secretariat may publish your case again."),
        )
    return redirect(application.get_absolute_url() + message_at(request, level, outcome, place="publication"))


@login_required
@require_POST
def comment_add(request, pk: int):
    application = _visible_application(request, pk)
    form = LeaderCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(application)
    try:
        services.leader_comment_add(application=application, by=request.user, body=form.cleaned_data["body"])
    except PermissionDenied as error:
        return forbidden(request, str(error))
    saved = _("Your comment is saved for the secretariat.")
    return redirect(application.get_absolute_url() + message_at(request, messages.SUCCESS, saved, place="comments"))


def worksheet_download(request, variant: str):
    """The GCTC project worksheet as a Word document: blank, or filled in with a fictional example."""
    if variant not in ("template", "example"):
        raise Http404
    content = worksheet.build(example=variant == "example")
    # In the language of the address it was asked at (/ko/...), which the name says too.
    name = "gctc-project-worksheet" if variant == "template" else "gctc-project-worksheet-example"
    filename = f"{name}-{get_language()}.docx"
    response = HttpResponse(content, content_type=worksheet.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cache_public_page("cases")
def case_library(request):
    filters, page = filtered_page(
        request,
        CaseFilterForm,
        countries=selectors.case_countries(),
        select=selectors.case_library,
        page_size=CASES_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "applications/case_library.html", {"filters": filters, "page_obj": page, "query": query.urlencode()}
    )


@cache_public_page("cases")
def case_detail(request, pk: int):
    try:
        case = selectors.public_case(pk)
    except ProjectApplication.DoesNotExist:
        raise Http404 from None
    return render(request, "applications/case_detail.html", {"case": case, "similar": selectors.similar_cases(case)})
