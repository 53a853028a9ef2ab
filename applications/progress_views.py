"""The city reports what its project measured, from its application page; the evidence files it attached.

Thin: the form checks the input, services.progress_report_add decides and writes, rules.py says who may."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import forbidden

from . import selectors, services
from .forms import ProgressReportForm
from .models import ReportEvidence
from .rules import refusal
from .views import application_page


@login_required
@require_POST
def report_add(request, pk: int):
    try:
        application = selectors.application_to_show(pk)
    except selectors.ProjectApplication.DoesNotExist:
        raise Http404 from None
    if not rules.test_rule("applications.read_whole_projectapplication", request.user, application):
        raise Http404
    error = refusal("applications.report_progress", request.user, application)
    if isinstance(error, PermissionDenied):
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    if error is not None:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    form = ProgressReportForm(request.POST, request.FILES, application=application)
    if not form.is_valid():
        messages.error(request, _("The measured value was not saved: see what needs your attention below."))
        return application_page(request, application, report_form=form, status=400)
    try:
        services.progress_report_add(application=application, by=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Measured value saved."))
    return redirect(f"{application.get_absolute_url()}#progress")


@login_required
def evidence_download(request, pk: int, report_pk: int):
    """Private files: only those who may open the application's documents get them."""
    evidence = get_object_or_404(
        ReportEvidence.objects.select_related("report__kpi__application"),
        report_id=report_pk,
        report__kpi__application_id=pk,
    )
    if not rules.test_rule("applications.download_document", request.user, evidence.report.kpi.application):
        raise Http404
    return evidence.download()
